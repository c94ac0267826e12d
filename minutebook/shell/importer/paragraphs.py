"""Where a paragraph goes in Markdown: numbered paragraph, nested point, recommendation, background paper.

The authoring guide gives numbered paragraphs anchors in two forms only: `21.`
list items at the top level and `2.35 ` at the start of a paragraph, so
Word's paragraph numbering is written in exactly those forms. Lettered points
and bullets are nested under the paragraph they belong to; recommendations
are `1)` items with lettered points as `- a)` bullets. The printed numbers are
checked as they go: a number that skips or repeats is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, follows, guard
from .inline import escape
from .numbering import Label

TYPED_NUMBER_RE = re.compile(r"^(\d{1,3})\.\s")
TYPED_MULTI_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s")
TYPED_POINT_RE = re.compile(r"^\(?[a-z]{1,3}[.)]\s")
TYPED_RECOMMENDATION_RE = re.compile(r"^(\d{1,2})[.)]\s+")
LIST_START_RE = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
INTRO_RE = re.compile(
    r"available for (?:public )?inspection|^except\b|^for (?:any |further )?(?:enquiries|information)\b", re.IGNORECASE
)


@dataclass
class Placement:
    """The list a paragraph may be nested in, and the last paragraph number written."""

    main_list: str  # the Word list that numbers the report's paragraphs
    nest: list[tuple[int, int, str]] = field(default_factory=list)  # (Word level, content column, list) per item
    last_number: tuple[int, ...] = ()

    def reset(self) -> None:
        """Headings, plain paragraphs and tables end any list."""
        self.nest = []

    def numbered(self, text: str, label: Label) -> Block:
        """A paragraph Word numbers automatically, in the form its label calls for."""
        if label.kind == "number" and label.list_id == self.main_list:
            return self._paragraph_item(f"{label.numbers[0]}.", text, label, label.numbers)
        if label.kind == "multi":
            self.reset()
            return self._checked(Block([f"{label.text} {guard(text)}"]), label.numbers)
        if label.kind == "number":  # a numbered list inside a paragraph, not a paragraph number
            return self._point(f"{label.numbers[0]})", text, label)
        if label.kind == "point":
            return self._point("-", f"{escape(label.text)} {text}", label)
        if label.kind == "bullet":
            return self._point("-", text, label)
        self.reset()
        return Block([guard(f"{escape(label.text)} {text}")])

    def plain(self, text: str) -> Block:
        """A paragraph without Word numbering; a number typed at its start still numbers it."""
        typed = TYPED_NUMBER_RE.match(text)
        if typed:
            number = int(typed.group(1))
            return self._paragraph_item(f"{number}.", text[typed.end() :], Label("", 0, "typed", "number"), (number,))
        self.reset()
        multi = TYPED_MULTI_RE.match(text)
        if multi:
            numbers = tuple(int(n) for n in multi.group(1).split("."))
            return self._checked(Block([guard(text)]), numbers)
        return Block([guard(text)])

    def background(self, text: str) -> Block:
        """Each background paper is an item of a list; the sentence introducing them stays a paragraph."""
        if INTRO_RE.search(text) or text.endswith(":"):
            return self.plain(text)
        return Block([_item("-", text, 0)], item=True)

    def recommendation(self, text: str, label: Label | None) -> Block:
        """Recommendations are `1)` items; lettered points under them are `- a)` bullets."""
        if label is not None and label.kind in ("number", "multi"):
            return self._recommendation_item(f"{label.numbers[0]})", text, label)
        if label is not None and label.kind in ("point", "bullet"):
            return self.numbered(text, label)
        typed = TYPED_RECOMMENDATION_RE.match(text)
        if label is None and typed:
            return self._recommendation_item(f"{typed.group(1)})", text[typed.end() :], Label("", 0, "typed", "number"))
        if label is None and TYPED_POINT_RE.match(text):
            column = self.nest[0][1] if self.nest else 0
            return Block([_item("-", text, column)], item=True)
        if label is not None:
            text = f"{escape(label.text)} {text}"
        self.reset()
        return Block([guard(text)])

    def _paragraph_item(self, marker: str, text: str, label: Label, numbers: tuple[int, ...]) -> Block:
        self.nest = [(label.level, len(marker) + 1, label.list_id)]
        return self._checked(Block([_item(marker, text, 0)], item=True), numbers)

    def _recommendation_item(self, marker: str, text: str, label: Label) -> Block:
        self.nest = [(label.level, len(marker) + 1, label.list_id)]
        return Block([_item(marker, text, 0)], item=True)

    def _point(self, marker: str, text: str, label: Label) -> Block:
        """A point nested under the item it follows: deeper Word levels, or another list, nest further."""
        while self.nest and self.nest[-1][2] == label.list_id and self.nest[-1][0] >= label.level:
            self.nest.pop()
        column = self.nest[-1][1] if self.nest else 0
        self.nest.append((label.level, column + len(marker) + 1, label.list_id))
        return Block([_item(marker, text, column)], item=True)

    def _checked(self, block: Block, numbers: tuple[int, ...]) -> Block:
        if not follows(self.last_number, numbers):
            shown, before = ".".join(map(str, numbers)), ".".join(map(str, self.last_number))
            note = f"paragraph {shown} follows paragraph {before}: a number is skipped or repeated; check the numbering"
            block.notes.append((0, note))
        self.last_number = numbers
        return block


def _item(marker: str, text: str, column: int) -> str:
    """A list item at `column`; its text's later lines are indented to stay inside it."""
    content = LIST_START_RE.sub(r"\1\\\2", guard(text))
    pad = " " * (column + len(marker) + 1)
    return " " * column + marker + " " + content.replace("\n", "\n" + pad)
