"""Scaffolding (a shell command, outside the build): `new …` writes files for the clerk to fill in.

This module holds the `new` command and the meeting, paper and minutes;
scaffold_site.py starts a council and its committees, scaffold_appendix.py
an appendix, and scaffold_base.py holds what they share. Every new meeting,
paper, appendix and set of minutes carries `draft: true`, so unfinished work
can never reach the public site: the preview shows it with a "Draft" banner
until the clerk deletes that line. Nothing that exists is overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

from . import scaffold_agenda, scaffold_appendix, scaffold_site
from .scaffold_base import DRAFT_NOTE, Created, Meeting, Refused, relative
from .scaffold_base import committee_folder as _committee_folder
from .scaffold_base import date as _date
from .scaffold_base import existing_meeting as _existing_meeting
from .scaffold_base import front_matter as _front_matter
from .scaffold_base import item as _item
from .scaffold_base import long_date as _long
from .scaffold_base import read_text as _text
from .scaffold_base import shown as _shown
from .scaffold_base import write as _write
from .scaffold_base import yaml_scalar as _yaml

STANDARD_ITEMS = (
    ("Apologies for Absence", "apologies"),
    ("Declarations of Interests by Members and Officers", "declarations"),
)
RESOLVED_RE = re.compile(r"^::: *resolved +(\d{4})/(\d+)", re.MULTILINE)
SLUG_LENGTH = 48
LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}


def run(root: Path, args: argparse.Namespace) -> int:
    """`new <kind>` (its arguments: minutebook.shell.scaffold_arguments)."""
    create = {
        "site": scaffold_site.create_site,
        "committee": scaffold_site.create_committee,
        "meeting": _create_dated,
        "paper": _create_dated,
        "appendix": scaffold_appendix.create_appendix,
        "minutes": _create_dated,
    }[args.kind]
    try:
        paths, notes = create(root, args)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"created {relative(path, root)}{'/' if path.is_dir() else ''}")
    for note in notes:
        print(note)
    return 0


def _create_dated(root: Path, args: argparse.Namespace) -> Created:
    path, notes = create(
        root, args.kind, args.committee, args.date, getattr(args, "item", ""), getattr(args, "title", "")
    )
    return [path], notes


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
        path = _write(folder / f"{paper_stem(number, title)}.md", paper_text(title))
        return path, _on_the_agenda(meeting, number, title)
    return _write(folder / "minutes.md", minutes_text(root, meeting)), _unminuted(meeting)


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
    if not values or previous is None:
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
    """04-digital-strategy: the item number, then the title's first whole words (never part of one)."""
    slug = ""
    for word in _words(title):
        if len(slug) + len(word) + 1 > SLUG_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word
    number, letter = re.match(r"(\d+)([a-z]?)", item).groups()  # type: ignore[union-attr]
    return f"{int(number):02d}{letter}-{slug or 'paper'}"


def _words(title: str) -> list[str]:
    """The title's words in plain letters: "Council’s café" is councils, cafe; no accent or apostrophe splits a word.

    Accents are dropped and letters of other scripts left out, never turned into a break between words.
    """
    text = "".join(LETTERS.get(char, char) for char in unicodedata.normalize("NFKD", title.lower()))
    text = "".join(char for char in text if char.isascii() or unicodedata.category(char)[0] not in "LM")
    text = re.sub(r"(?<=[a-z0-9])['’‘ʼ](?=[a-z])", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).split()


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


def _on_the_agenda(meeting: Meeting, item: str, title: str) -> list[str]:
    """A paper for an item the agenda lacks is an error: the item is added, as a draft, or the clerk told how."""
    if not (notes := _agenda_notes(meeting, item, title)):
        return []
    if not scaffold_agenda.add_item(meeting.folder / "meeting.md", item, title):
        return notes
    return [
        f"added agenda item {item} to {_shown(meeting.folder / 'meeting.md')} as a draft: 'draft: true' keeps it "
        "off the published agenda; check its title and kind, then delete that line (mark it 'access: exempt' first "
        "if it is exempt)"
    ]


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
    sections = [_section(entry) for entry in _agenda(meeting) if entry.get("draft") is not True]
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


def _agenda(meeting: Meeting) -> list[dict]:
    agenda = _front_matter(meeting.folder / "meeting.md").get("agenda")
    return [entry for entry in agenda if isinstance(entry, dict) and entry.get("number")] if agenda else []


def _unminuted(meeting: Meeting) -> list[str]:
    """Draft items have no minute: minutes are published whole, and would publish them."""
    return [
        f"note: agenda item {entry['number']} is a draft (draft: true in meeting.md), so the minutes have no "
        f"section for it; publish the item first, then add '## {entry['number']}. …' to the minutes"
        for entry in _agenda(meeting)
        if entry.get("draft") is True
    ]


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
