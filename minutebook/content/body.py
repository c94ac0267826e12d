"""The parts of a Markdown body: what rendering one document gives, and the scratch state while it is read.

Links to other documents stay placeholders (`OPEN`/`CLOSE` around a
reference number) that the page stage fills in once every target is known;
element ids carry `ID_PREFIX`, so one paper can appear alone or inside an
agenda pack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from markdown_it.token import Token

ID_PREFIX = "\x00P\x00"
OPEN, CLOSE = "\x00O{}\x00", "\x00C{}\x00"
PLACEHOLDER_RE = re.compile("\x00([OC])(\\d+)\x00")
MAX_NESTING = 40


class LinkRef(NamedTuple):
    """A link to another document, to be resolved once the whole site is known.

    An archive's model holds tens of thousands of links and headings: as named tuples (immutable values, like the
    dataclasses) they load from the cache folder in a fraction of the time, which every edit waits for.
    """

    target: str
    line: int
    text: str
    auto: bool = False  # found in running text rather than written as a link
    paragraph: str = ""  # the numbered paragraph the mention sits in, if any
    resolution: str = ""  # the resolution block the mention sits in, if any
    section: str = ""  # the heading of the section the mention sits in, if any
    item: str = ""  # in minutes: the agenda item of the minute the mention sits in


class Heading(NamedTuple):
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class ResolutionBlock:
    """A `::: resolved NUMBER` block of the minutes."""

    number: str
    line: int
    item: str  # agenda item number of the minute it sits under
    html: str
    text: str


@dataclass(frozen=True)
class MinuteSection:
    item: str
    title: str
    line: int
    anchor: str


@dataclass(frozen=True)
class Rendered:
    """What one Markdown body becomes; placeholders are resolved by the page stage."""

    html: str
    refs: tuple[LinkRef, ...] = ()
    headings: tuple[Heading, ...] = ()
    paragraphs: tuple[str, ...] = ()
    recommendations_html: str = ""
    resolutions: tuple[ResolutionBlock, ...] = ()
    sections: tuple[MinuteSection, ...] = ()
    text: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    images: tuple[str, ...] = ()
    stored: str | None = None  # the source path when html and text wait in the body store (build.bodystore)


@dataclass
class State:
    """Per-document scratch space while the token tree is transformed."""

    path: str
    line0: int
    numbered: bool
    refs: list[LinkRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tables: int = 0
    resolution: str = ""  # the `::: resolved` block being read, if any
    in_footnote: bool = False  # footnotes cite other documents: their paragraph mentions are not ours
    too_deep: bool = False  # nesting beyond MAX_NESTING was reported
    section: str = ""  # the heading of the section being read
    numbered_headings: list[str] = field(default_factory=list)  # numbers of a paper's numbered headings
    fragments: list[tuple[int, str]] = field(default_factory=list)  # (line, anchor) of links within the page
    minutes: bool = False  # the body is minutes: its `##` headings name agenda items
    item: str = ""  # in minutes: the agenda item of the minute being read

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, message, "warning"))

    def error(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, message, "error"))

    def unique(self, anchor: str) -> str:
        candidate, n = anchor, 2
        while candidate in self.ids:
            candidate, n = f"{anchor}-{n}", n + 1
        self.ids.add(candidate)
        return candidate


def slugify(text: str) -> str:
    text = re.sub(r"[*_`\[\]()]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


def plain_text(tokens: Sequence[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(inline_text(token))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return "\n".join(part for part in parts if part)


def inline_text(token: Token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def attr(token: Token, name: str) -> str:
    """A link's href or an image's src, "" when missing: markdown-it types every attribute value as
    str | int | float, but these two are always the text the author wrote."""
    return str(token.attrGet(name) or "")


def link_text(children: list[Token], index: int) -> str:
    out = []
    for child in children[index + 1 :]:
        if child.type == "link_close":
            break
        if child.type in ("text", "code_inline"):
            out.append(child.content)
    return "".join(out).strip()


def image_alt(children: list[Token], index: int) -> str:
    """The alt text of images inside the link opened at `index`: a linked logo is named by its alt."""
    alts = []
    for child in children[index + 1 :]:
        if child.type == "link_close":
            break
        if child.type == "image":
            alts.append(child.content.strip())
    return "".join(alts)


def short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "…"


def finish(html: str, links: Sequence[tuple[str, str] | None], id_prefix: str = "") -> str:
    """Fill placeholders: links[i] is (href, "") for a public target, None for text only, and
    ("", public title) for withheld material, whose link text is replaced by its public title."""
    html = _withhold(html, links)

    def replace(match: re.Match[str]) -> str:
        kind, index = match.group(1), int(match.group(2))
        link = links[index] if index < len(links) else None
        if link is None:
            return ""  # not public or not found: the text stays, the link goes
        href = link[0]
        if kind == "C":
            return "</a>"
        if href.startswith("#"):
            href = "#" + id_prefix + href[1:]
        return f'<a href="{escape(href)}">'

    return PLACEHOLDER_RE.sub(replace, html).replace(ID_PREFIX, id_prefix)


def _withhold(html: str, links: Sequence[tuple[str, str] | None]) -> str:
    for index, link in enumerate(links):
        if link is not None and not link[0] and link[1]:
            span = re.compile(f"\x00O{index}\x00.*?\x00C{index}\x00", re.DOTALL)
            shown = f'<span class="withheld">{escape(link[1])} (exempt)</span>'
            html = span.sub(_literally(shown), html)
    return html


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for re.sub that is `text` as it is: a string would have its backslashes read as escapes."""
    return lambda _: text
