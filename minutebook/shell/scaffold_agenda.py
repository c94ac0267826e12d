"""A paper's agenda item, added to meeting.md when `new paper` writes a paper for an item the agenda lacks.

A paper for an item that is not on the agenda is an error in every build, and
copying YAML into meeting.md by hand is where clerks trip. The entry is added
as a draft (`draft: true`): nothing new reaches the published agenda until the
clerk says so, since its title may be one an exempt item must never show. The
file changes only when it reads back as the same meeting with that one entry
more; otherwise nothing is written and the clerk is told what to add.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .. import filekinds
from ..content import frontmatter
from ..content.schema import ITEM_RE
from ..content.sources import MAX_SOURCE_BYTES
from ..diagnostics import Diagnostics
from .scaffold_base import yaml_scalar

AGENDA_RE = re.compile(r"^agenda:\s*(?:#.*)?$")
ENTRY_RE = re.compile(r"^(?P<indent> *)- +number: *[\"']?(?P<number>[0-9A-Za-z]+)[\"']?\s*(?:#.*)?$")


def add_item(path: Path, number: str, title: str) -> bool:
    """Add agenda item `number` to the meeting.md at `path` as a draft; False, having written nothing, if unsafe."""
    try:
        if path.is_symlink():
            return False
        text = filekinds.read(path, MAX_SOURCE_BYTES, "").decode("utf-8")
    except (OSError, filekinds.Refused, filekinds.TooLarge, UnicodeDecodeError):
        return False
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = with_entry(text.removeprefix(bom).split(newline), number, title)
    if lines is None or not _reads_back(text, bom + newline.join(lines), number, title):
        return False
    try:
        _replace(path, bom + newline.join(lines))
    except OSError:
        return False
    return True


def with_entry(lines: list[str], number: str, title: str) -> list[str] | None:
    """The lines of meeting.md with the entry in number order in its agenda, or None when the agenda is unusual."""
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    start = next((i for i in range(1, end) if AGENDA_RE.match(lines[i])), None)
    if start is None:
        if any(line.startswith("agenda") for line in lines[1:end]):
            return None  # agenda: [] or something else written on one line: left to the clerk
        return [*lines[:end], "agenda:", *_entry("  ", number, title), *lines[end:]]
    block = range(start + 1, _block_end(lines, start, end))
    entries = [(i, match) for i in block if (match := ENTRY_RE.match(lines[i]))]
    meaningful = [i for i in block if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    if meaningful and not entries:
        return None
    indent = entries[0][1]["indent"] if entries else "  "
    later = [i for i, match in entries if match["indent"] == indent and _order(match["number"]) > _order(number)]
    at = later[0] if later else (meaningful[-1] + 1 if meaningful else start + 1)
    return [*lines[:at], *_entry(indent, number, title), *lines[at:]]


def _block_end(lines: list[str], start: int, end: int) -> int:
    """The line after the agenda: the next setting at the left margin, or the end of the front matter."""
    return next((i for i in range(start + 1, end) if lines[i].strip() and lines[i][0] not in " #"), end)


def _entry(indent: str, number: str, title: str) -> list[str]:
    return [
        f"{indent}- number: {number}",
        f"{indent}  title: {yaml_scalar(title.strip())}",
        f"{indent}  kind: report",
        f"{indent}  draft: true   # added with its paper: off the published agenda until you delete this line",
    ]


def _order(number: str) -> tuple[int, str]:
    match = ITEM_RE.match(number.lower())
    return (int(match.group(1)), match.group(2)) if match else (0, "")


def _reads_back(before: str, after: str, number: str, title: str) -> bool:
    """The edited file is the same meeting with one more agenda entry: the draft one just added."""
    old, new = _plain(before), _plain(after)
    if old is None or new is None:
        return False
    old_agenda, new_agenda = old.pop("agenda", None) or [], new.pop("agenda", None) or []
    added = {"number": int(number) if number.isdigit() else number, "title": title.strip(), "kind": "report"}
    added["draft"] = True
    if old != new or added not in new_agenda:
        return False
    return [entry for entry in new_agenda if entry != added] == old_agenda


def _plain(text: str) -> dict | None:
    diagnostics = Diagnostics()
    source = frontmatter.split(text.removeprefix("\ufeff").replace("\r\n", "\n"))
    value = frontmatter.load(source, "meeting.md", diagnostics)
    if value is None or diagnostics.errors or not isinstance(value.plain, dict):
        return None
    return value.plain


def _replace(path: Path, text: str) -> None:
    """The new text in place in one step: a reader sees the old file or the new one, never half of either."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".meeting-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
