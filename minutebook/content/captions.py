"""Table captions the way reports print them: "Table 1: Performance against target" on the line before a table.

The line becomes the table's `<caption>` and is not printed again. A table
without such a line gets no caption (none is invented), but its scrolling
region still needs a name for screen readers: the section it sits in.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .body import inline_text

CAPTION_RE = re.compile(
    r"^Table(?:\s+(?P<number>[0-9]+(?:\.[0-9]+)*[A-Za-z]?)\s*(?:[:.]|\s[–—-])|\s*:)\s*(?P<title>\S.*)$",
    re.IGNORECASE,
)


def mark(tokens: list[Token]) -> None:
    """Find each table's caption line and its section; the caption's paragraph is taken out by `take_out`."""
    section = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            section = inline_text(tokens[index + 1])
        elif token.type == "table_open":
            token.meta["section"] = section
            caption = _caption_before(tokens, index)
            if caption is not None:
                token.meta["caption"] = caption
                tokens[index - 3].meta["caption_of_table"] = True


def _caption_before(tokens: list[Token], index: int) -> Token | None:
    """The inline token of a one-line paragraph just before the table that reads as a caption."""
    if index < 3:
        return None
    opening, inline, closing = tokens[index - 3 : index]
    if (opening.type, inline.type, closing.type) != ("paragraph_open", "inline", "paragraph_close"):
        return None
    if opening.level != tokens[index].level or "\n" in inline.content.strip():
        return None
    return inline if CAPTION_RE.match(inline_text(inline).strip()) else None


def is_caption(paragraph_open: Token) -> bool:
    return bool(paragraph_open.meta.get("caption_of_table"))


def take_out(tokens: list[Token]) -> list[Token]:
    """The body without the caption paragraphs: each is printed once, as its table's caption."""
    out, skip = [], 0
    for token in tokens:
        if skip:
            skip -= 1
        elif is_caption(token):
            skip = 2
        else:
            out.append(token)
    return out


def unbolded(caption: Token) -> list[Token]:
    """A caption printed in bold ("**Table 2: Posts**") without its bold: every caption is shown bold already."""
    children = [c for c in caption.children or [] if c.type != "text" or c.content.strip()]
    kinds = [c.type for c in children]
    if kinds[:1] == ["strong_open"] and kinds[-1:] == ["strong_close"] and kinds.count("strong_open") == 1:
        return children[1:-1]
    return list(caption.children or [])


def label(table_open: Token, number: int) -> str:
    """What the table's scrolling region is called: its caption, else "Table 2 in 'Financial Implications'"."""
    caption = table_open.meta.get("caption")
    if caption is not None:
        return inline_text(caption).strip()
    section = table_open.meta.get("section", "")
    return f"Table {number} in ‘{section}’" if section else f"Table {number}"
