"""Short forms of what a document says, for the places that cannot show it all.

A meeting page shows each paper's first recommendation, a paper page's
`<meta name="description">` its purpose, a search engine or a link preview
a sentence or two: each is plain text cut at a whole word, read from the
HTML the body was rendered to (its links and placeholders left out).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..content.body import ID_PREFIX, PLACEHOLDER_RE

SHORT_WORDS = 30  # a recommendation or decision shown in a list: about two lines on a phone
DESCRIPTION_CHARACTERS = 200  # what search engines show of a page's description
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "caption"})
TABLE_CELLS = frozenset({"td", "th", "caption"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)
NEXT_HEADING_RE = re.compile(r"<h[1-6]\b")
SECTION_RE = re.compile(r'<h2\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")
OPENING = 20_000  # characters of a body in which its first paragraph is looked for
STRETCH = 2_000  # characters read at a time when only the first paragraph is wanted


@dataclass
class Block:
    """A paragraph, list item or heading of a body, with all the text inside it (nested blocks included)."""

    tag: str
    depth: int  # how many list items and paragraphs it sits in
    id: str = ""
    parts: list[str] = field(default_factory=list)
    closed: bool = False  # its end tag was read: its text is whole

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class _Reader(HTMLParser):
    """Every block of an HTML fragment in document order; the text of each includes that of blocks inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.open: list[Block] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            ident = next((value or "" for name, value in attrs if name == "id"), "")
            block = Block(tag, len(self.open), ident)
            self.blocks.append(block)
            self.open.append(block)
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                for block in self.open[index:]:
                    block.closed = True
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        for block in self.open:
            block.parts.append(data)


def blocks(fragment: str) -> list[Block]:
    """The blocks of a body's HTML, as it was rendered (placeholders and id prefixes are taken out first)."""
    reader = _Reader()
    reader.feed(_readable(fragment))
    reader.close()
    return reader.blocks


def _readable(fragment: str) -> str:
    return PLACEHOLDER_RE.sub("", fragment).replace(ID_PREFIX, "")


def text(fragment: str) -> str:
    """All the text of a fragment, on one line."""
    return " ".join(b.text for b in blocks(fragment) if b.depth == 0)


def first_words(text: str, words: int = SHORT_WORDS) -> str:
    """The first `words` words of a text, never a word cut in two, with "…" when anything was left out."""
    found = text.split()
    if len(found) <= words:
        return " ".join(found)
    return " ".join(found[:words]).rstrip(",;:–-") + "…"


def up_to(text: str, characters: int = DESCRIPTION_CHARACTERS) -> str:
    """As much of a text as fits in `characters`, cut at a space, with "…" when anything was left out."""
    text = " ".join(text.split())
    if len(text) <= characters:
        return text
    cut = text[: characters - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–-") + "…"


@dataclass(frozen=True)
class Recommendations:
    """A report's recommendations in short: the first of them (cut at a whole word) and how many there are."""

    short: str
    count: int
    complete: bool  # the short form is all they say


REBUILT_LEAD = "That the committee"  # for points that carry on a lead-in the report did not write
DETAILS = " (details in the report)."  # for a short form that would end on a colon promising what is not shown


def recommendations(fragment: str, words: int = SHORT_WORDS) -> Recommendations | None:
    """The short form of a recommendations block: a sentence, from its lead-in ("That Committee:") and first point.

    The lead-in is kept whether or not it ends with a colon ("That the Adult Social Care and Public Health
    Committee" then "reviews …"); points that carry on a lead-in the report left out get "That the committee".
    A first point that ends on a colon ("the following post:", then a table) says where its details are.
    """
    found = blocks(fragment)
    if not found:
        return None
    points = [b for b in found if b.tag == "li" and b.depth == min(x.depth for x in found if x.tag == "li")]
    if not points:  # paragraphs only: a table after them ("the following posts:") is left to the report
        top = [b for b in found if b.depth == 0 and b.text]
        prose = [b for b in top if b.tag not in TABLE_CELLS]
        whole = " ".join(b.text for b in prose)
        complete = len(prose) == len(top) and len(whole.split()) <= words
        return Recommendations(_sentence("", whole, words), 1, complete) if whole else None
    first = next(index for index, b in enumerate(found) if b is points[0])
    lead = next((b for b in found[:first] if b.tag == "p" and b.depth == 0 and b.text), None)
    shown = {id(lead), id(points[0])}
    rest = [b for b in found if b.depth == 0 and b.text and id(b) not in shown and b.tag != "li"]
    said = _sentence(lead.text if lead else "", points[0].text, words)
    complete = len(points) == 1 and not rest and len(f"{lead.text if lead else ''} {points[0].text}".split()) <= words
    return Recommendations(said, len(points), complete)


def _sentence(lead: str, point: str, words: int) -> str:
    """A lead-in and a point as one sentence a reader can start at: never mid-sentence, never on a colon."""
    if not lead and point[:1].islower():
        lead = REBUILT_LEAD
    said = first_words(f"{lead} {point}" if lead else point, words)
    return said[:-1].rstrip() + DETAILS if said.endswith(":") else said


def purpose(fragment: str, characters: int = DESCRIPTION_CHARACTERS) -> str:
    """What a paper is for, for its description: the first paragraph under a "Purpose" heading, else its first.

    Only the part of the body that can hold it is read (the section, or the opening), so a long paper costs
    no more than a short one.
    """
    heading = next((h for h in HEADING_RE.finditer(fragment) if "purpose" in h.group(2).lower()), None)
    if heading is not None:
        following = NEXT_HEADING_RE.search(fragment, heading.end())
        section = fragment[heading.end() : following.start() if following else len(fragment)]
        if text := _first_paragraph(section):
            return up_to(text, characters)
    return up_to(_first_paragraph(fragment[:OPENING]), characters)


def _first_paragraph(fragment: str) -> str:
    """The text of the first paragraph or list item with any words in it, read only as far as it ends.

    A block's text only grows while it is open, so once every block before it has ended too short, the first
    ended block long enough is the one a reading of the whole fragment would find.
    """
    reader, text = _Reader(), _readable(fragment)
    for start in range(0, len(text), STRETCH):
        reader.feed(text[start : start + STRETCH])
        for block in reader.blocks:
            if block.tag not in ("p", "li"):
                continue
            if not block.closed:
                break  # it may yet say more: read on
            if len(block.text) > 3:
                return block.text
    reader.close()
    return next((b.text for b in reader.blocks if b.tag in ("p", "li") and len(b.text) > 3), "")


def contents(fragment: str) -> list[dict[str, str]]:
    """The sections of a body, in the order they stand in it: every second-level heading with an id."""
    found = []
    for match in SECTION_RE.finditer(fragment):
        text = " ".join(html.unescape(TAG_RE.sub("", match.group(2))).split())
        if text:
            found.append({"anchor": match.group(1), "text": text})
    return found
