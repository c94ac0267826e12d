"""Parsing, the per-source stage: one source's path and text into a `Parsed` document, nothing else read.

What a file is comes from where it sits (committee, meeting date, paper
file name); its front matter is checked against its kind's schema and its
body rendered. A pure function of path and text, so it is memoised by the
source's digest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..diagnostics import Diagnostic, Diagnostics, did_you_mean
from . import frontmatter, markdown
from .body import Rendered, ResolutionBlock
from .documents import COMMITTEE, EARLIER_DECISION, MEETING, MINUTES, PAPER, RESOLUTION, SUBJECT
from .parsed import Parsed
from .schema import SLUG_RE, Record, Schema, check
from .sources import Source

COMMITTEES = "content/committees/"
SUBJECTS = "content/subjects/"
DECISIONS = "decisions"  # content/committees/<committee>/decisions/: decisions whose minutes are not on the site
DATE_DIR_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAPER_RE = re.compile(r"^0*(?P<item>[1-9][0-9]{0,2}[a-z]?)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
RESOLVED_BLOCK_RE = re.compile(r"^ {0,3}:::+\s*resolved\b")
APPENDIX_RE = re.compile(r"^(?P<parent>.+)-appendix-(?P<label>[a-z0-9]+)$")


SCHEMAS: dict[str, Schema] = {
    "committee": COMMITTEE,
    "meeting": MEETING,
    "minutes": MINUTES,
    "paper": PAPER,
    "decision": EARLIER_DECISION,
    "subject": SUBJECT,
}


def classify(path: str) -> tuple[str, tuple[str, ...]] | str:
    """Say what a file is from where it sits, or explain where it should be."""
    if path.startswith(SUBJECTS):
        name = path[len(SUBJECTS) :]
        return ("subject", (name[:-3],)) if "/" not in name else "subjects are files directly in content/subjects/"
    if not path.startswith(COMMITTEES):
        return "expected papers under content/committees/<committee>/ or subjects under content/subjects/"
    parts = path[len(COMMITTEES) :].split("/")
    if len(parts) == 2 and parts[1] == "committee.md":
        return ("committee", (parts[0],))
    if len(parts) == 3 and DATE_DIR_RE.match(parts[1]):
        name = parts[2][:-3]
        if name in ("meeting", "minutes"):
            return (name, (parts[0], parts[1]))
        return ("paper", (parts[0], parts[1], name))
    if len(parts) == 3 and parts[1] == DECISIONS:
        return ("decision", (parts[0], parts[2][:-3]))
    return (
        "expected content/committees/<committee>/committee.md, "
        "content/committees/<committee>/<yyyy-mm-dd>/<meeting.md | minutes.md | nn-paper.md> or "
        f"content/committees/<committee>/{DECISIONS}/<name>.md"
    )


def parse(source: Source) -> Parsed | Diagnostic:
    """Front matter and body of one source; depends only on its path and text, so it can be memoised."""
    kind = classify(source.path)
    if isinstance(kind, str):
        return Diagnostic(source.path, 0, f"is not where a document can be: {kind}")
    name, parts = kind
    diagnostics = Diagnostics()
    _check_names(source.path, name, parts, diagnostics)
    split = frontmatter.split(source.text)
    front = frontmatter.load(split, source.path, diagnostics)
    record = check(front, SCHEMAS[name], source.path, diagnostics) if front is not None else Record()
    body = markdown.render(
        split.body, source.path, split.body_line, numbered=(name == "paper"), minutes=(name == "minutes")
    )
    if name == "decision":
        _check_wording(split.body, source.path, split.body_line, diagnostics)
        body = _wording(body, record, source.path, split.body_line, diagnostics)
    settings = _resolution_settings(front, body, source.path, diagnostics) if name == "minutes" else {}
    unreadable = name == "meeting" and (front is None or "agenda" in front.data) and "agenda" not in record.values
    found = tuple(diagnostics.items) + body.diagnostics
    return Parsed(source, name, parts, record, body, found, resolutions=settings, agenda_unreadable=unreadable)


def _resolution_settings(
    front: frontmatter.Value | None, body: Rendered, path: str, diagnostics: Diagnostics
) -> dict[str, Record]:
    """Minutes: the settings the front matter's `resolutions` gives each decision, by number, each checked."""
    given = front.data.get("resolutions") if front is not None and isinstance(front.data, dict) else None
    if given is None:
        return {}
    if not isinstance(given.data, dict):
        diagnostics.error(path, given.line, "'resolutions': expected resolution numbers, each with its settings")
        return {}
    numbers = [block.number for block in body.resolutions]
    settings = {}
    for number, value in given.data.items():
        if number not in numbers:
            diagnostics.error(
                path,
                value.key_line,
                f"'resolutions' names {number}, but no '::: resolved {number}' block is in these minutes"
                + did_you_mean(number, numbers),
            )
            continue
        settings[number] = check(value, RESOLUTION, path, diagnostics)
    return settings


def _wording(body: Rendered, record: Record, path: str, line: int, diagnostics: Diagnostics) -> Rendered:
    """An earlier decision's body is its wording, kept as a decision's is in its minutes (a block of the body,
    part of the model), not in the body store: registers, relations and the data export read it alike."""
    if not body.text.strip():
        diagnostics.error(
            path, line, "expected the decision's wording below the front matter, as the council recorded it; found none"
        )
    block = ResolutionBlock(record.get("number", ""), line, "", body.html, body.text)
    return dataclasses.replace(body, html="", text="", resolutions=(block,))


def _check_wording(body: str, path: str, line0: int, diagnostics: Diagnostics) -> None:
    """A `::: resolved` block, as in minutes, would print the decision's heading twice: the whole body is it."""
    for offset, text in enumerate(body.splitlines()):
        if RESOLVED_BLOCK_RE.match(text):
            diagnostics.error(
                path,
                line0 + offset,
                f"expected the decision's wording alone below the front matter, found '{text.strip()}': "
                "a file in decisions/ is one decision, so its wording needs no '::: resolved' block; remove "
                "this line and its closing ':::'",
            )


def _check_names(path: str, kind: str, parts: tuple[str, ...], diagnostics: Diagnostics) -> None:
    if not SLUG_RE.match(parts[0]):
        suggestion = re.sub(r"[^a-z0-9]+", "-", parts[0].lower()).strip("-") or "committee-name"
        diagnostics.error(
            path, 0, f"folder name '{parts[0]}' must be lower-case letters, digits and hyphens, e.g. '{suggestion}'"
        )
    if kind == "decision":
        if not SLUG_RE.match(parts[1]):
            suggestion = re.sub(r"[^a-z0-9]+", "-", parts[1].lower()).strip("-") or "2015-042"
            diagnostics.error(
                path,
                0,
                f"file name '{parts[1]}.md' must be lower-case letters, digits and hyphens, e.g. {suggestion}.md",
            )
    elif len(parts) > 1:
        try:
            dt.date.fromisoformat(parts[1])
        except ValueError:
            diagnostics.error(
                path, 0, f"meeting folder '{parts[1]}' is not a real date: expected YYYY-MM-DD, e.g. 2021-02-08"
            )
    if kind == "paper" and not PAPER_RE.match(parts[2]):
        diagnostics.error(path, 0, _paper_name_problem(parts[2]))


def _paper_name_problem(stem: str) -> str:
    """Say which part of a paper's file name is wrong, with the name it should probably have."""
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if re.match(r"^0*[1-9][0-9]{0,2}[a-z]?-", suggestion):
        return (
            f"paper file name '{stem}.md' must be lower-case letters, digits and hyphens after the item number, "
            f"e.g. {suggestion}.md"
        )
    return f"paper file name '{stem}.md' must start with its agenda item number, e.g. 04-{suggestion or 'report'}.md"
