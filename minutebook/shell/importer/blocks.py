"""The body of an imported paper as Markdown blocks, each with notes for the clerk at its own lines.

A block knows whether it is a list item (list items of one list follow each
other without a blank line) and carries notes as (line offset, message), so
that once the front matter is written every note can name its line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docx import ParagraphFacts
from .inline import ImageUse

BLOCK_START_RE = re.compile(r"^(#|[-+](?=\s|$)|={2,}|-{3,}|:::)")
LONG_NUMBER_RE = re.compile(r"^(\d{4,})([.)])")
SHOWN = 70


@dataclass
class Block:
    """Lines of Markdown and the notes about them."""

    lines: list[str]
    item: bool = False
    notes: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    """Something in the written file the clerk should look at."""

    line: int
    message: str


def guard(text: str) -> str:
    """Text that starts a line stays text: `# 5`, `- x`, `2021.` would otherwise be headings or lists."""
    lines = (LONG_NUMBER_RE.sub(r"\1\\\2", BLOCK_START_RE.sub(r"\\\1", line)) for line in text.split("\n"))
    return "\n".join(lines)


def join(blocks: list[Block], first_line: int) -> tuple[list[str], list[Notice]]:
    """The blocks as lines, a blank line between them except between items of one list, and located notices."""
    lines: list[str] = []
    notices: list[Notice] = []
    for index, block in enumerate(blocks):
        if not block.lines:
            continue
        if lines and not (block.item and blocks[index - 1].item):
            lines.append("")
        start = first_line + len(lines)
        notices += [Notice(start + offset, message) for offset, message in block.notes]
        lines += [part for line in block.lines for part in line.split("\n")]
    return lines, notices


def paragraph_notes(facts: list[ParagraphFacts]) -> list[str]:
    """What Word holds in a paragraph that the paper leaves out or takes as it is: tracked changes, comments."""
    notes = []
    for fact in facts:
        for revision in fact.revisions:
            by = f" by {revision.author}" if revision.author else ""
            if revision.kind == "inserted":
                notes.append(
                    f"unaccepted tracked change: insertion '{short(revision.text)}'{by} is kept; "
                    "check it (accept or reject it in Word, or edit it here)"
                )
            else:
                notes.append(f"unaccepted tracked change: deletion '{short(revision.text)}'{by} is left out; check it")
        notes += [f"Word comment left out of the paper: {short(comment)}" for comment in fact.comments]
    return notes


def image_notes(images: list[ImageUse]) -> list[str]:
    notes = []
    for image in images:
        if not image.alt:
            notes.append(f"image {image.file} has no alt text in Word: write what it shows between the [ ]")
        if image.file.rsplit(".", 1)[-1] in ("emf", "wmf"):
            notes.append(f"image {image.file} is a Windows metafile that browsers cannot show: save it as PNG")
    return notes


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1].rstrip() + "…"


def follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """Whether paragraph `number` may come straight after `previous` (2.3 → 2.4, 2.4 → 3, 3 → 3.1)."""
    if not previous:
        return True
    for depth in range(len(number)):
        expected = previous[depth] + 1 if depth < len(previous) else 1
        if (
            number[:depth] == previous[:depth]
            and number[depth] == expected
            and all(n == 1 for n in number[depth + 1 :])
        ):
            return True
    return False
