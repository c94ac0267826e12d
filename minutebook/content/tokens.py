"""The token tree of one body, transformed: numbered paragraphs, headings, links, mentions, raw HTML and lints.

Works on markdown-it tokens, never on rendered HTML, so what a clerk wrote
as text stays text and every problem is reported at its line.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it.token import Token

from ..diagnostics import did_you_mean
from . import captions, mentions
from .body import ID_PREFIX, Heading, LinkRef, State, attr, image_alt, inline_text, link_text, short, slugify
from .parts import RESOLUTION_NUMBER_RE, minute_heading

REF_SCHEMES = ("resolution", "meeting", "minutes", "item", "paper", "subject", "report")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")


def transform(tokens: list[Token], state: State) -> None:
    _mark_numbered_paragraphs(tokens, state)
    _mark_numbered_headings(tokens, state)
    captions.mark(tokens)
    paragraph_of = _paragraphs_of(tokens)
    for index, token in enumerate(tokens):
        line = state.line0 + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            _heading(tokens, index, state)
        elif token.type == "inline":
            _inline(token, state, line, paragraph_of[index])
        elif token.type == "html_block":
            _raw_html_block(token, state, line)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            _list_style(tokens, index)
        elif token.type == "table_open":
            state.tables += 1
            token.meta["number"] = state.tables
            _table_header_lint(tokens, index, state, line)
        elif token.type == "paragraph_open" and not captions.is_caption(token):
            _bold_heading_lint(tokens, index, state, line)
        elif token.type == "container_resolved_open":
            _resolution_heading(token, state, line)
        elif token.type == "container_resolved_close":
            state.resolution = ""
        elif token.type in ("footnote_block_open", "footnote_block_close"):
            state.in_footnote = token.type == "footnote_block_open"


def _resolution_heading(token: Token, state: State, line: int) -> None:
    """A decision's heading in the minutes links to its own page (a reference to itself, never a backlink)."""
    parts = token.info.strip().split(" ", 1)
    state.resolution = parts[1].strip() if len(parts) > 1 else ""
    if state.minutes and RESOLUTION_NUMBER_RE.match(state.resolution):
        number = state.resolution
        state.refs.append(LinkRef(f"resolution:{number}", line, number, True, "", number, state.section, state.item))
        token.meta["ref"] = len(state.refs) - 1


def _mark_numbered_paragraphs(tokens: list[Token], state: State) -> None:
    if not state.numbered:
        return
    for index, token in enumerate(tokens):
        number = None
        if token.type == "list_item_open" and token.level == 1 and token.markup == ".":
            number = token.info
        elif token.type == "paragraph_open" and token.level == 0:
            match = re.match(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s", tokens[index + 1].content)
            number = match.group(1) if match else None
        if not number:
            continue
        number = number.lstrip("0") or "0"
        line = state.line0 + (token.map[0] if token.map else 0)
        if number in state.paragraphs:
            state.warn(line, f"paragraph number {number} is used twice in this paper; only the first gets a link")
            continue
        state.paragraphs.append(number)
        state.ids.add(f"para-{number}")
        token.meta["paragraph"] = number
        token.attrSet("id", f"{ID_PREFIX}para-{number}")
        if token.type == "list_item_open":
            token.attrSet("value", number)


def _paragraphs_of(tokens: list[Token]) -> list[str]:
    """_paragraph_of for every token in one pass: a long table would otherwise cost the square of its cells."""
    out, decider = [], None  # decider: the last token numbered or opening a top-level block
    for token in tokens:
        if "paragraph" in token.meta:
            out.append(token.meta["paragraph"])
        elif decider is not None and "paragraph" in decider.meta and decider.level <= token.level:
            out.append(decider.meta["paragraph"])
        else:
            out.append("")
        if "paragraph" in token.meta or (token.level == 0 and token.nesting == 1):
            decider = token
    return out


def _heading(tokens: list[Token], index: int, state: State) -> None:
    token = tokens[index]
    text = tokens[index + 1].content
    level = int(token.tag[1])
    if level == 1:
        level = 2  # the page title is the only h1
        token.tag = tokens[index + 2].tag = "h2"
    line = state.line0 + (token.map[0] if token.map else 0)
    _heading_level_lint(level, text, state, line)
    anchor = token.meta.get("anchor") or state.unique(slugify(text) or "section")
    token.attrSet("id", ID_PREFIX + anchor)
    state.headings.append(Heading(level, anchor, inline_text(tokens[index + 1])))
    state.section = inline_text(tokens[index + 1])
    if state.minutes and level == 2:
        state.item = minute_heading(text)[0]


HEADING_NUMBER_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,2})\.?\s+\S")


def _mark_numbered_headings(tokens: list[Token], state: State) -> None:
    """A paper's headings numbered as reports number them ("1.2 Integrated commissioning") are anchored like
    numbered paragraphs, #para-1.2, so "section 1.2" can link to them; a number a paragraph has stays with it."""
    if not state.numbered:
        return
    for index, token in enumerate(tokens):
        match = HEADING_NUMBER_RE.match(tokens[index + 1].content) if token.type == "heading_open" else None
        if match is None:
            continue
        number = match.group(1).lstrip("0") or "0"
        if number in state.paragraphs:
            state.warn(
                state.line0 + (token.map[0] if token.map else 0),
                f"heading '{short(tokens[index + 1].content)}' and paragraph {number} have the same number: "
                f"#para-{number} stays the paragraph's; renumber one of them",
            )
            continue
        state.paragraphs.append(number)
        state.numbered_headings.append(number)
        state.ids.add(f"para-{number}")
        token.meta["anchor"] = f"para-{number}"


def _heading_level_lint(level: int, text: str, state: State, line: int) -> None:
    """Screen reader users move by heading level: a paper's sections start at ## and go down one step at a time."""
    previous = state.headings[-1].level if state.headings else 1
    if level > previous + 1:
        state.warn(
            line,
            f"heading '{short(text)}' skips from level {previous} to level {level}: use {'#' * (previous + 1)} here",
        )


def _inline(token: Token, state: State, line: int, paragraph: str) -> None:
    children = token.children or []
    _raw_html_inline(children, state, line)
    _check_links(children, state, line)
    token.children = mentions.link_mentions(children, state, line, paragraph)
    for child in token.children:
        if child.type == "link_open" and "ref" in child.meta:
            child.meta["ref"] = _register_ref(child, state, paragraph)


def _register_ref(link: Token, state: State, paragraph: str) -> int:
    ref: LinkRef = link.meta["ref"]
    state.refs.append(
        LinkRef(ref.target, ref.line, ref.text, ref.auto, paragraph, state.resolution, state.section, state.item)
    )
    return len(state.refs) - 1


def _check_links(children: list[Token], state: State, line: int) -> None:
    depth_line = line
    for index, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            depth_line += 1
        if child.type == "link_open":
            _classify_link(children, index, state, depth_line)
        elif child.type == "image":
            _check_image(child, state, depth_line)


def _classify_link(children: list[Token], index: int, state: State, line: int) -> None:
    link = children[index]
    href = attr(link, "href")
    text = link_text(children, index)
    scheme = href.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", href) else ""
    if scheme in REF_SCHEMES or (not scheme and re.search(r"\.md(?:#|$)", href)):
        link.meta["ref"] = LinkRef(href, line, text)
    elif scheme and scheme not in SAFE_SCHEMES:
        state.error(
            line, f"link to '{short(href)}' is not allowed: links may only be http, https, mailto, tel or relative"
        )
        link.meta["drop"] = True
    elif href.startswith("#") and href[1:].startswith("para-"):
        link.meta["ref"] = LinkRef(href, line, text)
    elif href.startswith("#"):
        state.fragments.append((line, href[1:]))
    elif not href.strip() and text:
        state.warn(line, f"link '{short(text)}' has no address: write where it goes between the brackets ( )")
    if not text and not image_alt(children, index):
        state.warn(line, "link has no text: a screen reader announces nothing; write what it links to")
    mentions.lint_link_text(text, href, state, line)


def _check_image(image: Token, state: State, line: int) -> None:
    src = attr(image, "src")
    scheme = src.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", src) else ""
    if scheme and scheme not in ("http", "https"):
        state.error(line, f"image '{short(src)}' is not allowed: images may only be http, https or relative")
        image.meta["drop"] = True
    alt = image.content.strip()
    if not alt or alt.lower() in ("image", "picture", "photo", "graphic", "chart") or re.search(r"\.\w{3,4}$", alt):
        state.warn(line, f"image '{short(src)}' needs alt text that says what it shows")


def _raw_html_inline(children: list[Token], state: State, line: int) -> None:
    for child in children:
        if child.type == "html_inline":
            _raw_html(child, state, line)


def _raw_html_block(token: Token, state: State, line: int) -> None:
    _raw_html(token, state, line)


DEBRIS_RE = re.compile(r"^</?(?:u|p|span|font|o:p|div|br\s*/?)(?:\s[^>]*)?>$", re.IGNORECASE)
CHECKBOX_RE = re.compile(r"^<input\b[^>]*type=[\"']?checkbox[\"']?[^>]*>$", re.IGNORECASE)


def _raw_html(token: Token, state: State, line: int) -> None:
    """Raw HTML is never published live: PDF debris is dropped, checkboxes become text, the rest shows as text."""
    pieces = re.split(r"(<[^>]*>)", token.content)
    out = []
    for piece in pieces:
        tag = piece.strip()
        if not tag.startswith("<"):
            out.append(escape(piece))
        elif DEBRIS_RE.match(tag):
            continue
        elif CHECKBOX_RE.match(tag):
            ticked = re.search(r"\bchecked\b", tag, re.IGNORECASE)
            out.append("☒ (ticked)" if ticked else "☐ (not ticked)")
        else:
            state.warn(line, f"raw HTML {short(tag)} is not published as HTML; it is shown as text")
            out.append(escape(piece))
    token.meta["safe_html"] = "".join(out)


def _list_style(tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.type == "ordered_list_open" and token.markup == ")":
        token.attrJoin("class", "paren")
        return
    firsts = _first_texts_of_items(tokens, index)
    if firsts and all(re.match(r"^\(?[a-z]{1,4}[.)]\s", text) for text in firsts):
        token.attrJoin("class", "lettered")


def _first_texts_of_items(tokens: list[Token], index: int) -> list[str]:
    level = tokens[index].level
    texts = []
    for token_index in range(index + 1, len(tokens)):
        token = tokens[token_index]
        if token.level == level and token.nesting == -1:
            break
        if token.type == "list_item_open" and token.level == level + 1:
            following = tokens[token_index + 2] if token_index + 2 < len(tokens) else None
            texts.append(following.content if following is not None and following.type == "inline" else "")
    return texts


def _table_header_lint(tokens: list[Token], index: int, state: State, line: int) -> None:
    """A table whose header row is empty reads as unlabelled columns to a screen reader."""
    header = []
    for token in tokens[index + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            header.append(token.content.strip())
    if header and not any(header):
        state.warn(line, "table has an empty header row: name each column in the first row")


def _bold_heading_lint(tokens: list[Token], index: int, state: State, line: int) -> None:
    inline = tokens[index + 1]
    children = inline.children or []
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip())]
    whole_bold = kinds[:1] == ["strong_open"] and kinds[-1:] == ["strong_close"] and kinds.count("strong_open") == 1
    if whole_bold and len(inline.content) < 120:
        state.warn(line, f"bold paragraph '{short(inline.content.strip('* '))}' looks like a heading: use ## or ###")


def check_fragments(state: State, ids: set[str]) -> None:
    """A link to a place on the same page that is not there goes nowhere: say so, with the nearest that is."""
    for line, anchor in state.fragments:
        if not anchor:
            state.warn(line, "link to '#' goes nowhere: name the place on this page, e.g. #para-2")
        elif anchor not in ids:
            state.warn(
                line,
                f"link to '#{short(anchor)}': nothing on this page has that anchor{did_you_mean(anchor, sorted(ids))}",
            )


def check_paragraph_links(state: State) -> None:
    known = set(state.paragraphs)
    for ref in state.refs:
        number = ref.target[6:]
        if ref.target.startswith("#para-") and number not in known:
            state.warn(
                ref.line, f"'{ref.text or ref.target}': this paper has no paragraph or heading numbered {number}"
            )


# --- pieces of minutes and reports --------------------------------------------------
