"""Scaffolding (a shell command, outside the build): `new meeting|paper|minutes` writes a file for the clerk to fill in.

Every new file carries `draft: true`, so an unfinished agenda, paper or set of
minutes can never reach the public site: the preview shows it with a "Draft"
banner until the clerk deletes that line. Nothing that exists is overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import filekinds
from ..content import frontmatter
from ..content.schema import ITEM_RE
from ..content.sources import MAX_SOURCE_BYTES
from ..diagnostics import Diagnostics, did_you_mean

DRAFT_NOTE = (
    "# 'draft: true' keeps this {what} off the public site; the preview (python build.py serve) shows it\n"
    '# marked "Draft — not published". Delete the line when it is ready to publish.\n'
)
STANDARD_ITEMS = (
    ("Apologies for Absence", "apologies"),
    ("Declarations of Interests by Members and Officers", "declarations"),
)
RESOLVED_RE = re.compile(r"^::: *resolved +(\d{4})/(\d+)", re.MULTILINE)


class Refused(Exception):
    """The command would overwrite something or cannot know where the file belongs."""


@dataclass(frozen=True)
class Meeting:
    """What a new file needs to know about an existing meeting folder."""

    folder: Path
    committee: str
    day: dt.date


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `new` command and its three kinds, added to the command line's subcommands."""
    new = commands.add_parser(
        "new",
        help="start a new meeting, paper or minutes from a template",
        description="Create a new file with every field filled or marked, as a draft. "
        "Nothing that exists is overwritten.",
    )
    kinds = new.add_subparsers(dest="kind", metavar="kind", required=True)
    for kind, text in (
        ("meeting", "a meeting folder and its meeting.md"),
        ("paper", "a paper for an agenda item"),
        ("minutes", "the minutes of a meeting, one section per agenda item"),
    ):
        sub = kinds.add_parser(kind, help=text, description=f"Create {text}.")
        sub.add_argument("--committee", required=True, metavar="SLUG", help="the committee's folder name")
        sub.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the meeting's date")
        if kind == "paper":
            sub.add_argument("--item", required=True, metavar="N", help="the agenda item number, e.g. 4 or 4a")
            sub.add_argument("--title", required=True, help="the paper's title as printed")


def run(root: Path, args: argparse.Namespace) -> int:
    try:
        path, notes = create(
            root, args.kind, args.committee, args.date, getattr(args, "item", ""), getattr(args, "title", "")
        )
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"created {path.relative_to(root).as_posix()}")
    for note in notes:
        print(note)
    return 0


def create(root: Path, kind: str, committee: str, date: str, item: str = "", title: str = "") -> tuple[Path, list[str]]:
    """Write the new file; returns its path and notes for the clerk. Raises Refused, having written nothing."""
    day = _date(date)
    folder = _committee_folder(root, committee) / day.isoformat()
    if kind == "meeting":
        return _write(folder / "meeting.md", meeting_text(root, committee, day)), []
    meeting = _existing_meeting(root, committee, day, folder)
    if kind == "paper":
        number = _item(item)
        if not title.strip():
            raise Refused("--title expects the paper's title as printed, found nothing")
        path = folder / f"{paper_stem(number, title)}.md"
        return _write(path, paper_text(title)), _agenda_notes(meeting, number, title)
    return _write(folder / "minutes.md", minutes_text(root, meeting)), []


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise Refused(f"--date expects a date written YYYY-MM-DD, found {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"--date {text} is not a real date") from None


def _committee_folder(root: Path, slug: str) -> Path:
    committees = root / "content" / "committees"
    folder = committees / slug
    if (folder / "committee.md").is_file():
        return folder
    known = sorted(p.parent.name for p in committees.glob("*/committee.md"))
    if not known:
        raise Refused(
            f"no committee '{slug}': there are no committees yet; write content/committees/{slug}/committee.md first"
        )
    raise Refused(f"no committee '{slug}'{did_you_mean(slug, known)}; the committees are: {', '.join(known)}")


def _existing_meeting(root: Path, committee: str, day: dt.date, folder: Path) -> Meeting:
    if not (folder / "meeting.md").is_file():
        raise Refused(
            f"no meeting of '{committee}' on {day.isoformat()}: create it first with "
            f"python build.py new meeting --committee {committee} --date {day.isoformat()}"
        )
    return Meeting(folder, committee, day)


def _item(text: str) -> str:
    match = ITEM_RE.match(text.strip().lower())
    if not match:
        raise Refused(f"--item expects an agenda item number such as 4 or 4a, found {text!r}")
    return match.group(1) + match.group(2)


def _write(path: Path, text: str) -> Path:
    """Exclusive creation: if the file exists, even one created a moment ago, it is left alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Refused(f"{_shown(path)} already exists; nothing was written") from None
    return path


def _shown(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index("content") :]) if "content" in parts else str(path)


# --- the files ------------------------------------------------------------------------


def meeting_text(root: Path, committee: str, day: dt.date) -> str:
    """meeting.md: the standard opening items, and the time and place of the last meeting to check."""
    previous = _previous_meeting(root / "content" / "committees" / committee, day)
    lines = [
        "---",
        DRAFT_NOTE.format(what="meeting, its agenda and its papers").rstrip("\n"),
        "draft: true",
        "status: scheduled",
    ]
    lines += _place(previous)
    lines += [
        "agenda:",
        *_minutes_item(previous),
        *_standard_items(),
        "  # - number: 4",
        "  #   title: the report's title as printed",
        "  #   kind: report",
        "---",
        "",
    ]
    return "\n".join(lines)


def _previous_meeting(committee_folder: Path, day: dt.date) -> Path | None:
    earlier = sorted(p.parent for p in committee_folder.glob("*/meeting.md") if p.parent.name < day.isoformat())
    return earlier[-1] if earlier else None


def _place(previous: Path | None) -> list[str]:
    keys = ("time", "venue", "virtual", "webcast")
    found = _front_matter(previous / "meeting.md") if previous else {}
    values = {k: found[k] for k in keys if isinstance(found.get(k), (str, bool, int))}
    if not values:
        return ['# time: "10:30"        # the start time, 24-hour', "# venue: County Hall   # where it is held"]
    return [
        f"# Copied from the meeting on {_long(previous.name)}: check them.",
        *(f"{k}: {_yaml(v)}" for k, v in values.items()),
    ]


def _minutes_item(previous: Path | None) -> list[str]:
    lines = ["  - number: 1"]
    if previous is None:
        return [*lines, "    title: Minutes of the last meeting", "    kind: minutes"]
    lines += [f"    title: Minutes of the last meeting held on {_long(previous.name)}", "    kind: minutes"]
    if (previous / "minutes.md").is_file():
        lines.append(f"    ref: minutes:{previous.name}")
    return lines


def _standard_items() -> list[str]:
    lines = []
    for number, (title, kind) in enumerate(STANDARD_ITEMS, start=2):
        lines += [f"  - number: {number}", f"    title: {title}", f"    kind: {kind}"]
    return lines


def paper_stem(item: str, title: str) -> str:
    """04-digital-strategy: the item number, then the first words of the title."""
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 48:
            break
        slug = f"{slug}-{word}" if slug else word
    number, letter = re.match(r"(\d+)([a-z]?)", item).groups()  # type: ignore[union-attr]
    return f"{int(number):02d}{letter}-{slug or 'paper'}"


def paper_text(title: str) -> str:
    return f"""---
title: {_yaml(title.strip())}
{DRAFT_NOTE.format(what="paper")}# Or replace it with 'publish_on: YYYY-MM-DD' to publish on that date.
draft: true
# report_of: Corporate Director, Adult Social Care   # whose report it is
# author: Melanie Brooks                             # who signed it
# contact:                                           # contact officer for enquiries
#   name: Jennifer Allen
#   phone: 0115 977 2052
#   email: jennifer.allen@example.gov.uk
key_decision: false
# wards: [All]
# subjects: [digital-strategy]
---
## Purpose of the Report

1. The purpose of this report is to …

## Information

2. …

## Other Options Considered

3. …

## Reason/s for Recommendation/s

4. …

::: recommendations
That Committee:

1) …
:::

## Background Papers and Published Documents

- None
"""


def _agenda_notes(meeting: Meeting, item: str, title: str) -> list[str]:
    agenda = _front_matter(meeting.folder / "meeting.md").get("agenda")
    numbers = [str(entry.get("number", "")).lstrip("0").lower() for entry in agenda or () if isinstance(entry, dict)]
    if item in numbers:
        return []
    return [
        f"note: agenda item {item} is not in {_shown(meeting.folder / 'meeting.md')} yet; add it there, "
        f"or the build will report this paper:",
        f"  - number: {item}",
        f"    title: {_yaml(title)}",
        "    kind: report",
    ]


def minutes_text(root: Path, meeting: Meeting) -> str:
    """minutes.md: one section per agenda item (exempt items by their public title only)."""
    agenda = _front_matter(meeting.folder / "meeting.md").get("agenda") or []
    sections = [_section(entry) for entry in agenda if isinstance(entry, dict) and entry.get("number")]
    last = _last_resolution(root / "content" / "committees" / meeting.committee, meeting.day.year)
    hint = (
        f"# The highest resolution number used so far for {meeting.day.year} is {last};"
        if last
        else f"# No resolutions are numbered for {meeting.day.year} yet;"
    )
    return (
        "\n".join(
            [
                "---",
                DRAFT_NOTE.format(what="set of minutes").rstrip("\n"),
                "# Once published, 'status: draft' marks them \"draft, subject to approval\" until they are confirmed.",
                "draft: true",
                "status: draft",
                f"{hint} record each decision under its item as",
                "# ::: resolved YYYY/NNN … ::: and list any it amends or supersedes here:",
                "resolutions: {}",
                "---",
                "",
                *sections,
            ]
        )
        + "\n"
    )


def _section(entry: dict) -> str:
    title = entry.get("title", "")
    if entry.get("access") == "exempt":
        title = entry.get("public_title") or "Exempt item"
    return f"## {entry['number']}. {title}\n\n…\n"


def _last_resolution(committee_folder: Path, year: int) -> str:
    numbers = []
    for path in committee_folder.glob("*/minutes.md"):
        text = _text(path, errors="replace")
        numbers += [int(n) for y, n in RESOLVED_RE.findall(text) if int(y) == year]
    return f"{year}/{max(numbers):03d}" if numbers else ""


def _front_matter(path: Path) -> dict:
    """The plain front matter of an existing file, or {} when it cannot be read (the build reports why)."""
    try:
        text = _text(path)
    except UnicodeDecodeError:
        return {}
    value = frontmatter.load(frontmatter.split(text), path.name, Diagnostics())
    plain = value.plain if value is not None else None
    return plain if isinstance(plain, dict) else {}


def _yaml(value: str | bool | int) -> str:
    """A YAML scalar that reads back exactly as given (a title may hold a colon or a quote)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def _long(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _text(path: Path, errors: str = "strict") -> str:
    """A file's text, or "" when it is not a regular file that can be read (a pipe is never opened)."""
    try:
        return filekinds.read(path, MAX_SOURCE_BYTES, "").decode("utf-8", errors=errors)
    except (OSError, filekinds.Refused, filekinds.TooLarge):
        return ""
