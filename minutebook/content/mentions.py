"""Mentions: the way clerks already write references ("paragraph 21", "section 1.9", "resolution 2021/002") made
into links.

Works on markdown-it inline tokens, never on rendered HTML, so text inside
existing links, code and footnote markers is left alone.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from . import numbering
from .body import LinkRef, State

NUMBER = r"\d{1,3}(?:\.\d{1,3})*"
PARAGRAPHS_RE = re.compile(
    rf"\b(?P<word>[Pp]aragraphs?|[Pp]aras?\.?|[Ss]ections?)\s+(?P<list>{NUMBER}(?:\s*(?:-|–|to|and|&|,)\s*{NUMBER})*)"
    r"(?P<of>\s+of\s+(?P<whose>(?:this|the)\s+report|[\w'’]+))?"
)
NUMBER_RE = re.compile(NUMBER)
STATUTORY_RE = re.compile(r"\s+(?:agreements?|arrangements?|notices?|orders?|budgets?|funds?|funding|partnerships?)\b")
RESOLUTION_RE = re.compile(
    r"\b(?:[Rr]esolution|RESOLUTION|RESOLVED|(?P<minute>[Mm]inute|MINUTE))\s+(?:[Nn]o\.?\s*)?"
    r"(?P<number>\d{4}/\d{1,4}|\d{1,3}/\d{2}|\d{1,3})\b(?!/)"
)
GENERIC_LINK_TEXT = {"click here", "here", "read more", "more", "link", "this link", "click", "this", "this page"}
DOCUMENT_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip)(?:[?#].*)?$", re.IGNORECASE)
FORMAT_SIZE_RE = re.compile(
    r"\((?:PDF|Word|Excel|PowerPoint|ODT|ODS|CSV|ZIP|DOCX?|XLSX?)[^)]*\d+(?:\.\d+)?\s*[KMG]B\)", re.I
)


def link_mentions(children: list[Token], state: State, line: int, paragraph: str) -> list[Token]:
    """Split text tokens around mentions, wrapping each mention in a link token."""
    out: list[Token] = []
    depth = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        spans = _spans(child.content, state) if child.type == "text" and depth == 0 else None
        if spans:
            out.extend(_split(child.content, spans, line))
        else:
            out.append(child)  # most text mentions nothing: the token stays as it is
    return out


RESOLUTION_WORDS = ("esolution", "RESOLUTION", "RESOLVED", "inute", "INUTE")  # what RESOLUTION_RE needs in a text


def _spans(text: str, state: State) -> list[tuple[int, int, str]]:
    """Mentions in one text, in order; the substring tests spare the regular expressions most of the text."""
    spans = _paragraph_spans(text, state) if "ara" in text or "ection" in text else []
    if any(word in text for word in RESOLUTION_WORDS):
        spans += _resolution_spans(text, state)
    return sorted(spans)


def _split(text: str, spans: list[tuple[int, int, str]], line: int) -> list[Token]:
    tokens, position = [], 0
    for start, end, target in spans:
        if start < position:
            continue
        tokens.append(_text(text[position:start]))
        tokens.extend(_link(text[start:end], target, line))
        position = end
    tokens.append(_text(text[position:]))
    return [token for token in tokens if token.type != "text" or token.content]


def _paragraph_spans(text: str, state: State) -> list[tuple[int, int, str]]:
    spans = []
    for match in PARAGRAPHS_RE.finditer(text):
        whose = (match.group("whose") or "").lower()
        if match.group("of") and "report" not in whose:
            continue  # "paragraph 3 of Schedule 12A": a paragraph of something else
        if (state.resolution or state.item) and "report" in whose:
            spans.extend(_number_spans(match, "report#"))  # the report of the minute's item, or the decision's
        elif state.paragraphs and not state.resolution and not state.in_footnote and _own(match, text, state):
            spans.extend(_number_spans(match, "#"))
    return spans


def _own(match: re.Match[str], text: str, state: State) -> bool:
    """Whether a mention is of this paper's own numbering: "section 75 agreement" or "Section 100D" (of an Act)
    is not, unless the paper numbers its headings and the number is written whole."""
    if not match.group("word").lower().startswith("section"):
        return True
    after = text[match.end("list") :]
    return bool(state.numbered_headings) and not (after[:1].isalnum() or STATUTORY_RE.match(after))


def _number_spans(match: re.Match[str], prefix: str) -> list[tuple[int, int, str]]:
    spans = []
    base = match.start("list")
    for index, number in enumerate(NUMBER_RE.finditer(match.group("list"))):
        start = match.start() if index == 0 else base + number.start()
        spans.append((start, base + number.end(), f"{prefix}para-{number.group().lstrip('0') or '0'}"))
    return spans


def _resolution_spans(text: str, state: State) -> list[tuple[int, int, str]]:
    """ "resolution 2021/002", "minute 17/23"; and in minutes, "minute 9": minute 9 of the same meeting."""
    return [
        (m.start(), m.end(), f"resolution:{m.group('number')}")
        for m in RESOLUTION_RE.finditer(text)
        if not numbering.per_meeting(m.group("number")) or (m.group("minute") and state.minutes)
    ]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(content: str, target: str, line: int) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", target)
    opening.meta["ref"] = LinkRef(target, line, content, auto=True)
    closing = Token("link_close", "a", -1)
    return [opening, _text(content), closing]


def lint_link_text(text: str, href: str, state: State, line: int) -> None:
    """Warn about link text a screen reader user cannot act on, and documents without format and size."""
    words = re.sub(r"[^\w\s]", "", text).strip().lower()
    if words in GENERIC_LINK_TEXT:
        state.warn(line, f"link text '{text}' does not say where it goes: describe the destination")
    document = DOCUMENT_RE.search(href)
    if document and not FORMAT_SIZE_RE.search(text) and text.strip() != href.strip():
        kind = document.group(1).upper()
        state.warn(line, f"link to a {kind} document should give its format and size, e.g. '({kind}, 1.2 MB)'")
