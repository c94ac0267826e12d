"""How body tokens become HTML: links as placeholders, captioned tables, recommendations, resolutions, footnotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from . import captions, numbering
from .body import CLOSE, ID_PREFIX, OPEN, attr


def install(md: MarkdownIt) -> None:
    rules = md.add_render_rule
    rules("link_open", _render_link_open)
    rules("link_close", _render_link_close)
    rules("html_block", lambda self, tokens, idx, options, env: tokens[idx].meta.get("safe_html", "") + "\n")
    rules("html_inline", lambda self, tokens, idx, options, env: tokens[idx].meta.get("safe_html", ""))
    rules("image", _render_image)
    rules("table_open", _render_table_open)
    rules("table_close", lambda self, tokens, idx, options, env: "</table>\n</div>\n")
    rules("th_open", _render_th_open)
    rules("container_recommendations_open", _render_recommendations_open)
    rules("container_recommendations_close", lambda self, tokens, idx, options, env: "</section>\n")
    rules("container_resolved_open", _render_resolved_open)
    rules("container_resolved_close", lambda self, tokens, idx, options, env: "</section>\n")
    rules("footnote_anchor_name", _render_footnote_name)
    rules("footnote_block_open", _render_footnote_block_open)
    rules("footnote_anchor", _render_footnote_anchor)
    rules("footnote_ref", _render_footnote_ref)


def _render_link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    if "ref" in token.meta:
        return OPEN.format(token.meta["ref"])
    if token.meta.get("drop"):
        return ""
    if _shows_its_address(tokens, idx):
        token.attrJoin("class", "link-address")  # the print stylesheet does not print its address a second time
    return self.renderToken(tokens, idx, options, env)


def _shows_its_address(tokens: Sequence[Token], idx: int) -> bool:
    """A pasted address that became a link, or a link whose text is its own address."""
    token = tokens[idx]
    after = tokens[idx + 1] if idx + 1 < len(tokens) else None
    text = after.content if after is not None and after.type == "text" else ""
    return token.markup in ("linkify", "autolink") or _bare(text) == _bare(attr(token, "href"))


def _bare(address: str) -> str:
    return re.sub(r"^https?://", "", address.strip(), flags=re.IGNORECASE).rstrip("/").lower()


def _render_link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    opening = _matching_open(tokens, idx)
    if opening is not None and "ref" in opening.meta:
        return CLOSE.format(opening.meta["ref"])
    if opening is not None and opening.meta.get("drop"):
        return ""
    return "</a>"


def _matching_open(tokens: Sequence[Token], idx: int) -> Token | None:
    depth = 0
    for back in range(idx - 1, -1, -1):
        if tokens[back].type == "link_close":
            depth += 1
        elif tokens[back].type == "link_open":
            if depth == 0:
                return tokens[back]
            depth -= 1
    return None


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    if token.meta.get("drop"):
        return escape(token.content)
    alt = escape(token.content)
    return f'<img src="{escape(attr(token, "src"))}" alt="{alt}" loading="lazy">'


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    _mark_numeric_columns(tokens, idx)
    token = tokens[idx]
    label = escape(captions.label(token, token.meta.get("number", 1)))
    caption = token.meta.get("caption")
    shown = f"<caption>{self.renderInline(captions.unbolded(caption), options, env)}</caption>\n" if caption else ""
    return f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">\n<table>\n{shown}'


NUMBER_RE = re.compile(r"^\(?[-−+]?[£$€]?[-−]?\d[\d,]*(?:\.\d+)?\)?(?:%|[kmb]n?)?$", re.IGNORECASE)
NOT_A_VALUE = ("", "-", "–", "—", "n/a", "nil")


def _mark_numeric_columns(tokens: Sequence[Token], idx: int) -> None:
    """Class "num" on every cell of a column whose filled cells are all numbers or sums ("£1,250", "12.5%")."""
    columns: dict[int, list[tuple[Token, str]]] = {}
    column = 0
    for index in range(idx + 1, len(tokens)):
        token = tokens[index]
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            column = 0
        elif token.type in ("th_open", "td_open"):
            text = tokens[index + 1].content.strip() if tokens[index + 1].type == "inline" else ""
            columns.setdefault(column, []).append((token, text))
            column += 1
    for cells in columns.values():
        values = [text.replace(" ", "") for token, text in cells if token.type == "td_open"]
        values = [value for value in values if value.lower() not in NOT_A_VALUE]
        if values and all(NUMBER_RE.match(value) for value in values):
            for token, _ in cells:
                token.attrJoin("class", "num")


def _render_th_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    tokens[idx].attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)


def _render_recommendations_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return (
        f'<section class="recommendations" aria-labelledby="{ID_PREFIX}recommendations">\n'
        f'<h2 id="{ID_PREFIX}recommendations">Recommendations</h2>\n'
    )


def _render_resolved_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    parts = tokens[idx].info.strip().split(" ", 1)
    number = parts[1].strip() if len(parts) > 1 else ""
    anchor = numbering.block_anchor(number)
    heading = escape(numbering.heading(number))
    if "ref" in tokens[idx].meta:  # the heading leads to the decision's own page
        heading = OPEN.format(tokens[idx].meta["ref"]) + heading + CLOSE.format(tokens[idx].meta["ref"])
    return (
        f'<section class="resolution" id="{ID_PREFIX}{escape(anchor)}">\n<h3 class="resolution-number">{heading}</h3>\n'
    )


def _render_footnote_name(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ID_PREFIX + str(tokens[idx].meta["id"] + 1)


def _render_footnote_block_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return (
        f'<section class="footnotes" aria-labelledby="{ID_PREFIX}footnotes">\n'
        f'<h2 id="{ID_PREFIX}footnotes">Footnotes</h2>\n<ol class="footnotes-list">\n'
    )


def _render_footnote_anchor(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    number = tokens[idx].meta["id"] + 1
    if tokens[idx].meta.get("subId", 0) > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    return f' <a href="#fnref{ident}" class="footnote-backref">Back to reference {number}</a>'


def _render_footnote_ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    number = tokens[idx].meta["id"] + 1
    refid = ident
    if tokens[idx].meta.get("subId", -1) > 0:
        refid += ":" + str(tokens[idx].meta["subId"])
    return (
        f'<sup class="footnote-ref"><a href="#fn{ident}" id="fnref{refid}">'
        f'<span class="visually-hidden">Footnote </span>{number}</a></sup>'
    )
