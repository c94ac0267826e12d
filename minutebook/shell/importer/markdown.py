"""mammoth's HTML, with each paragraph's Word facts, written as the body of a Minutebook paper.

The body follows the authoring guide: the title is the page's h1 (front
matter), so the report's sections are `##` and below; numbered paragraphs
keep Word's printed numbers in the two forms that get anchors (`21.` list
items, `2.35 ` paragraph starts); lettered points are nested under their
paragraph; the "Recommendations" section is a `::: recommendations` block;
"Background papers" is a list; footnotes are `[^1]`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .blocks import Block, guard, image_notes, paragraph_notes, short
from .docx import ParagraphFacts, WordReport
from .inline import MARKER_RE, Inline
from .paragraphs import Placement
from .tables import pipe_table
from .tree import Element

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RECOMMENDATIONS_RE = re.compile(r"^(?:the\s+)?recommendations?(?:\s*\(s\)|/s)?\s*:?$", re.IGNORECASE)
BACKGROUND_RE = re.compile(r"^background\s+papers?\b", re.IGNORECASE)
NOTE_ID_RE = re.compile(r"^(footnote|endnote)-(\d+)$")


@dataclass
class Writer:
    """Walks the report's HTML once, top to bottom, keeping the context each block depends on."""

    report: WordReport
    image_files: dict[str, str]
    place: Placement
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Block] = field(default_factory=list)
    section: str = ""  # "recommendations" or "background" while inside one
    section_level: int = 0
    heading_level: int = 1  # the last heading written; the title is the page's h1
    shift: int = 1  # added to Word's heading level (Heading 1 → ##)
    pending: list[str] = field(default_factory=list)  # notes of paragraphs that wrote nothing

    def write(self, root: Element, title_element: Element | None) -> None:
        headings = [e for e in root.elements() if e.tag in HEADINGS and e is not title_element]
        self.shift = 2 - min((int(e.tag[1]) for e in headings), default=2)
        for element in root.elements():
            if element is not title_element:
                self._element(element)
        self._close_section()
        if self.pending and self.blocks:
            self.blocks[-1].notes += [(0, note) for note in self.pending]
        self.blocks += self.footnotes

    def _element(self, element: Element) -> None:
        if element.tag in HEADINGS:
            self._heading(element)
        elif element.tag == "p":
            self._paragraph(element)
        elif element.tag == "table":
            self._table(element)
        elif element.tag == "blockquote":
            self._quote(element)
        elif element.tag in ("ol", "ul"):
            self._list(element)

    def _emit(self, block: Block, inline: Inline) -> None:
        facts = [self._facts(index) for index in inline.markers]
        notes = self.pending + paragraph_notes(facts) + image_notes(inline.images)
        self.pending = []
        block.notes = [(0, note) for note in notes] + block.notes
        self.blocks.append(block)

    def _facts(self, index: int) -> ParagraphFacts:
        paragraphs = self.report.paragraphs
        return paragraphs[index] if 0 <= index < len(paragraphs) else ParagraphFacts()

    # --- headings and sections ---------------------------------------------------------

    def _heading(self, element: Element) -> None:
        inline = Inline(self.image_files, breaks=False)
        text = inline.render(element)
        plain = " ".join(MARKER_RE.sub("", element.text()).split())
        if not plain:
            self._skip(inline)
            return
        if len(plain) > 120 or (plain.endswith(".") and len(plain) > 60):
            block = Block([guard(text)])
            block.notes.append((0, f"'{short(plain)}' is a heading in Word but reads as a paragraph; check it"))
            self.place.reset()
            self._emit(block, inline)
            return
        level = min(int(element.tag[1]) + self.shift, 6)
        level = max(2, min(level, self.heading_level + 1))
        if self.section and level <= self.section_level:
            self._close_section()
        self.place.reset()
        if RECOMMENDATIONS_RE.match(plain):
            self._open_recommendations(level, inline)
            return
        self.heading_level = level
        self._emit(Block([f"{'#' * level} {text}"]), inline)
        if BACKGROUND_RE.match(plain):
            self.section, self.section_level = "background", level

    def _open_recommendations(self, level: int, inline: Inline) -> None:
        self._close_section()
        self.section, self.section_level = "recommendations", level
        self.heading_level = level
        self._emit(Block(["::: recommendations"]), inline)

    def _close_section(self) -> None:
        if self.section == "recommendations":
            self.blocks.append(Block([":::"]))
        self.section, self.section_level = "", 0
        self.place.reset()

    # --- paragraphs ------------------------------------------------------------------

    def _paragraph(self, element: Element) -> None:
        inline = Inline(self.image_files)
        text = inline.render(element)
        if not text:
            self._skip(inline)
            return
        facts = self._facts(inline.markers[0]) if inline.markers else ParagraphFacts()
        if self.section == "recommendations":
            block = self.place.recommendation(text, facts.label)
        elif facts.label is not None:
            block = self.place.numbered(text, facts.label)
        elif self.section == "background":
            block = self.place.background(text)
        elif _bold_only(element, text) and not self._in_list_of_points():
            block = self._bold_heading(text)
        else:
            block = self.place.plain(text)
        self._emit(block, inline)

    def _in_list_of_points(self) -> bool:
        return bool(self.blocks) and self.blocks[-1].item

    def _bold_heading(self, text: str) -> Block:
        """A short bold paragraph is a heading Word was not told about: made one, and reported."""
        level = min(self.section_level + 1 if self.section else self.heading_level + 1, 6)
        level = max(level, 2)
        self.place.reset()
        plain = text.strip("*")
        marks = "#" * level
        block = Block([f"{marks} {plain}"])
        note = f"bold paragraph '{short(plain)}' looks like a heading, so it is a {marks} heading here: check it"
        block.notes.append((0, note))
        return block

    def _skip(self, inline: Inline) -> None:
        self.pending += paragraph_notes([self._facts(index) for index in inline.markers])

    # --- tables, quotes, lists, footnotes --------------------------------------------------

    def _table(self, element: Element) -> None:
        inline = Inline(self.image_files, breaks=False)
        lines, notes = pipe_table(element, inline)
        self.place.reset()
        if lines:
            self._emit(Block(lines, notes=notes), inline)
        else:
            self._skip(inline)

    def _quote(self, element: Element) -> None:
        inline = Inline(self.image_files)
        texts = [inline.render(child) for child in element.elements()]
        lines = [f"> {line}" for text in texts if text for line in guard(text).split("\n")]
        self.place.reset()
        if lines:
            self._emit(Block(lines), inline)

    def _list(self, element: Element) -> None:
        for item in element.elements():
            note = NOTE_ID_RE.match(item.attrs.get("id", ""))
            inline = Inline(self.image_files, breaks=False)
            text = " ".join(filter(None, (inline.render(child) for child in item.elements()))) or inline.render(item)
            if note:
                label = f"{'e' if note.group(1) == 'endnote' else ''}{note.group(2)}"
                self.footnotes.append(Block([f"[^{label}]: {text}"]))
            elif text:
                self._emit(Block([f"- {guard(text)}"], item=True), inline)


def title_element(root: Element) -> Element | None:
    """The paragraph styled Title, else the first heading if it comes before any text."""
    for element in root.elements():
        if element.tag == "h1" and "title" in element.attrs.get("class", "").split():
            return element
    first = next(iter(root.elements()), None)
    return first if first is not None and first.tag in HEADINGS and first.text().strip() else None


def main_list(report: WordReport) -> str:
    """The list that numbers the report's paragraphs: the one numbering the most paragraphs."""
    counts = Counter(
        fact.label.list_id for fact in report.paragraphs if fact.label and fact.label.kind in ("number", "multi")
    )
    return counts.most_common(1)[0][0] if counts else ""


def _bold_only(element: Element, text: str) -> bool:
    """A whole paragraph in bold, short and without closing punctuation: how a heading looks when unstyled."""
    kinds = [c for c in element.children if not (isinstance(c, str) and not MARKER_RE.sub("", c).strip())]
    return (
        len(kinds) == 1
        and isinstance(kinds[0], Element)
        and kinds[0].tag == "strong"
        and text.startswith("**")
        and text.endswith("**")
        and text.count("**") == 2
        and len(text) <= 104
        and text[-3:-2] not in (".", ":", ";", ",")
    )
