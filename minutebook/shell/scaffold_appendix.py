"""`new appendix`: a draft appendix to an agenda item's report, named after it (`<report>-appendix-<k>.md`).

Which paper an appendix belongs to comes from its file name, so the item must
have exactly one report to name it after; the label is the next free one
unless the clerk gives it.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..content.parse import APPENDIX_RE, PAPER_RE
from .scaffold_base import DRAFT_NOTE, Created, Meeting, Refused, item, meeting, shown, write, yaml_scalar

LABEL_RE = re.compile(r"^[a-z0-9]+$")

APPENDIX_MD = """\
---
title: {title}
{draft_note}draft: true
# An appendix holding exempt information says so here; its report stays public:
# access: exempt
# exempt_paragraph: 3              # the paragraph of Schedule 12A relied on
# public_title: Exempt appendix    # what residents see
---
The appendix, in Markdown.
"""


def create_appendix(root: Path, args: argparse.Namespace) -> Created:
    """Every argument checked, and the report found, before anything is written."""
    found = meeting(root, args.committee, args.date)
    number = item(args.item)
    label = _label(args.label) if args.label is not None else None
    if args.title is not None and not args.title.strip():
        raise Refused("--title expects the appendix's title as printed, found nothing")
    report = _report(found, number)
    label = label or next_label(_labels(found.folder, report))
    title = args.title.strip() if args.title else f"Appendix {label.upper() if label.isalpha() else label}"
    text = APPENDIX_MD.format(title=yaml_scalar(title), draft_note=DRAFT_NOTE.format(what="appendix"))
    path = write(found.folder / f"{report}-appendix-{label}.md", text)
    notes = [] if args.title else [f'note: the appendix is called "{title}" until you give it its title in the file']
    return [path], notes


def next_label(taken: list[str]) -> str:
    """After 1 and 2 comes 3; after a and b comes c; the first is 1."""
    letters = sorted(label for label in taken if len(label) == 1 and label.isalpha())
    numbers = [int(label) for label in taken if label.isdigit()]
    if letters and not numbers and letters[-1] < "z":
        return chr(ord(letters[-1]) + 1)
    return str(max(numbers, default=0) + 1)


def _label(text: str) -> str:
    label = text.strip().lower()
    if not LABEL_RE.match(label):
        raise Refused(f"--label expects a number or a letter (1, 2 … or a, b …), found {text!r}")
    return label


def _report(found: Meeting, number: str) -> str:
    """The stem of the item's one report: an appendix is named after it."""
    stems = sorted(path.stem for path in found.folder.glob("*.md") if path.is_file())
    reports = [
        stem
        for stem in stems
        if (paper := PAPER_RE.match(stem)) and paper["item"] == number and not APPENDIX_RE.match(stem)
    ]
    if len(reports) == 1:
        return reports[0]
    where = shown(found.folder)
    if not reports:
        raise Refused(
            f"agenda item {number} has no report in {where} to attach an appendix to: write it first with "
            f"python build.py new paper --committee {found.committee} --date {found.day.isoformat()} "
            f'--item {number} --title "…"'
        )
    listed = ", ".join(f"{stem}.md" for stem in reports)
    raise Refused(
        f"agenda item {number} has {len(reports)} reports in {where} ({listed}): cannot tell which one the "
        "appendix belongs to"
    )


def _labels(folder: Path, report: str) -> list[str]:
    prefix = f"{report}-appendix-"
    return [path.stem.removeprefix(prefix) for path in folder.glob(f"{prefix}*.md")]
