"""Word's automatic paragraph numbering, worked out the way Word prints it.

mammoth turns numbered paragraphs into HTML lists and forgets the numbers, but
a report's paragraph numbers are what committees cite ("paragraph 2.35"), so
the printed label of every numbered paragraph is computed here from the
numbering definitions (numbering.xml) that python-docx exposes: levels, start
values, restarts, level overrides and formats.

Word keeps one set of counters per abstract list: two list instances (`w:num`)
of the same abstract list continue each other unless an instance overrides a
level's start (Word's "Restart numbering"), which restarts that level the
first time the instance is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

LEVELS = 9
ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


@dataclass(frozen=True)
class Level:
    """One level of a list definition: how its number starts, restarts and prints."""

    start: int = 0
    format: str = "decimal"
    text: str = ""
    restart: int | None = None  # restart after a use of a level above this one-based level; 0: never
    legal: bool = False  # "legal" numbering prints every level in decimal


@dataclass(frozen=True)
class Label:
    """The printed number of one paragraph and what kind of number it is."""

    text: str  # as Word prints it: "2.", "2.35", "a)", "•"
    level: int  # Word's list level (0 is the outermost)
    list_id: str  # the abstract list it belongs to: one list numbers the report's paragraphs
    kind: str  # "number" (2.), "multi" (2.35), "point" (a), iv.), "bullet" or "other"

    @property
    def numbers(self) -> tuple[int, ...]:
        """2.35 → (2, 35); only meaningful for "number" and "multi" labels."""
        return tuple(int(part) for part in re.findall(r"\d+", self.text))


@dataclass
class _Counters:
    """The current value of each level of one abstract list (None: not used since its last restart)."""

    values: list[int | None] = field(default_factory=lambda: [None] * LEVELS)


def paragraph_labels(document: Document, paragraphs: list[BaseOxmlElement]) -> dict[int, Label]:
    """The label of every numbered paragraph, by its position in `paragraphs` (document order)."""
    numbering = _numbering_element(document)
    if numbering is None:
        return {}
    styles = document.styles.element
    counters: dict[str, _Counters] = {}
    started: set[str] = set()
    labels: dict[int, Label] = {}
    for index, paragraph in enumerate(paragraphs):
        found = _num_and_level(paragraph, styles)
        if found is None:
            continue
        num_id, level = found
        resolved = _resolve(numbering, num_id, styles)
        if resolved is None:
            continue
        abstract_id, levels = resolved
        state = counters.setdefault(abstract_id, _Counters())
        if num_id not in started:
            started.add(num_id)
            _apply_start_overrides(numbering, num_id, state)
        labels[index] = _advance(state, levels, level, abstract_id)
    return labels


def _numbering_element(document: Document) -> BaseOxmlElement | None:
    try:
        part = document.part.part_related_by(RT.NUMBERING)
    except KeyError:
        return None
    return getattr(part, "element", None)


def _num_and_level(paragraph: BaseOxmlElement, styles: BaseOxmlElement) -> tuple[str, int] | None:
    """The list instance and level a paragraph uses, directly or through its paragraph style."""
    num_pr = _first(paragraph, "./w:pPr/w:numPr")
    if num_pr is None:
        num_pr = _style_num_pr(_first_value(paragraph, "./w:pPr/w:pStyle/@w:val"), styles)
    if num_pr is None:
        return None
    num_id = _first_value(num_pr, "./w:numId/@w:val")
    if not num_id or num_id == "0":  # numId 0 switches numbering off
        return None
    level = _first_value(num_pr, "./w:ilvl/@w:val")
    return num_id, min(int(level), LEVELS - 1) if level and level.isdigit() else 0


def _style_num_pr(style_id: str | None, styles: BaseOxmlElement) -> BaseOxmlElement | None:
    style = styles.get_by_id(style_id) if style_id else styles.default_for(WD_STYLE_TYPE.PARAGRAPH)
    seen: set[str] = set()
    while style is not None and style.styleId not in seen:
        seen.add(style.styleId)
        num_pr = _first(style, "./w:pPr/w:numPr")
        if num_pr is not None:
            return num_pr
        based_on = style.basedOn_val
        style = styles.get_by_id(based_on) if based_on else None
    return None


def _resolve(numbering: BaseOxmlElement, num_id: str, styles: BaseOxmlElement) -> tuple[str, dict[int, Level]] | None:
    """The abstract list of an instance and its levels, with the instance's level overrides applied."""
    num = _first(numbering, f'./w:num[@w:numId="{num_id}"]')
    abstract_id = _first_value(num, "./w:abstractNumId/@w:val") if num is not None else None
    abstract = _abstract(numbering, abstract_id, styles)
    if num is None or abstract is None or abstract_id is None:
        return None
    levels = {int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in find_all(abstract, "./w:lvl")}
    for override in find_all(num, "./w:lvlOverride[w:lvl]"):
        levels[int(override.get(qn("w:ilvl"), "0"))] = _level(find_all(override, "./w:lvl")[0])
    return abstract.get(qn("w:abstractNumId"), abstract_id), levels


def _abstract(numbering: BaseOxmlElement, abstract_id: str | None, styles: BaseOxmlElement) -> BaseOxmlElement | None:
    """An abstract list, following a numbering style link (`w:numStyleLink`) to the list that defines it."""
    abstract = _first(numbering, f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]')
    link = _first_value(abstract, "./w:numStyleLink/@w:val") if abstract is not None else None
    if not link:
        return abstract
    style = styles.get_by_id(link)
    linked_num = _first_value(style, "./w:pPr/w:numPr/w:numId/@w:val") if style is not None else None
    num = _first(numbering, f'./w:num[@w:numId="{linked_num}"]') if linked_num else None
    target = _first_value(num, "./w:abstractNumId/@w:val") if num is not None else None
    found = _first(numbering, f'./w:abstractNum[@w:abstractNumId="{target}"]') if target else None
    return found if found is not None else abstract


def _level(lvl: BaseOxmlElement) -> Level:
    start = _first_value(lvl, "./w:start/@w:val")
    restart = _first_value(lvl, "./w:lvlRestart/@w:val")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 0,
        format=_first_value(lvl, "./w:numFmt/@w:val") or "decimal",
        text=_first_value(lvl, "./w:lvlText/@w:val") or "",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=bool(find_all(lvl, "./w:isLgl[not(@w:val) or @w:val!='0' and @w:val!='false']")),
    )


def _apply_start_overrides(numbering: BaseOxmlElement, num_id: str, state: _Counters) -> None:
    """Word's "Restart numbering": the instance's first paragraph restarts the overridden levels."""
    for override in find_all(numbering, f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[w:startOverride]'):
        level = int(override.get(qn("w:ilvl"), "0"))
        value = _first_value(override, "./w:startOverride/@w:val") or "1"
        if level < LEVELS and value.lstrip("-").isdigit():
            state.values[level] = int(value) - 1


def _advance(state: _Counters, levels: dict[int, Level], level: int, list_id: str) -> Label:
    """Count one paragraph at `level`, restart the levels below it, and print its label."""
    this = levels.get(level, Level())
    current = state.values[level]
    state.values[level] = this.start if current is None else current + 1
    for deeper in range(level + 1, LEVELS):
        restart = levels.get(deeper, Level()).restart
        threshold = deeper if restart is None else restart
        if level < threshold:
            state.values[deeper] = None
    text = _print(this, levels, state)
    return Label(text=text, level=level, list_id=list_id, kind=_kind(this, text))


def _print(this: Level, levels: dict[int, Level], state: _Counters) -> str:
    if this.format == "bullet":
        return this.text or "•"

    def number(match: re.Match[str]) -> str:
        at = int(match.group(1)) - 1
        if not 0 <= at < LEVELS:
            return ""
        spec = levels.get(at, Level())
        value = state.values[at]
        shown = spec.start if value is None else value
        return format_number(shown, "decimal" if this.legal and spec.format != "none" else spec.format)

    return re.sub(r"%(\d)", number, this.text).strip()


def format_number(value: int, style: str) -> str:
    """One counter in one of Word's number formats (decimal, letters, roman numerals)."""
    if style in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (max(value, 1) - 1) % 26) * ((max(value, 1) - 1) // 26 + 1)
        return letter.upper() if style == "upperLetter" else letter
    if style in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if style == "upperRoman" else roman
    if style == "none":
        return ""
    if style == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for amount, letters in ROMAN:
        while value >= amount:
            out, value = out + letters, value - amount
    return out


def _kind(this: Level, text: str) -> str:
    if this.format == "bullet":
        return "bullet"
    if re.fullmatch(r"\d{1,3}[.)]?", text):
        return "number"
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})+\.?", text):
        return "multi"
    if re.fullmatch(r"\(?(?:[a-zA-Z]{1,3}|[ivxlcdmIVXLCDM]{1,6})[.)]", text):
        return "point"
    return "other"


def find_all(element: BaseOxmlElement, path: str) -> list:
    """XPath with Word's namespaces, on any element (python-docx gives its own classes to only some of them)."""
    return list(etree.XPath(path, namespaces=nsmap)(element))


def _first(element: BaseOxmlElement | None, path: str) -> BaseOxmlElement | None:
    found = find_all(element, path) if element is not None else []
    return found[0] if found else None


def _first_value(element: BaseOxmlElement | None, path: str) -> str | None:
    found = find_all(element, path) if element is not None else []
    return str(found[0]) if found else None
