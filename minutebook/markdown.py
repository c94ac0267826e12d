"""Markdown stage: one document body in, HTML with link placeholders and what it mentions out.

The HTML is rendered once per source (so it can be memoised by the source's
digest); links to other documents are left as placeholders that the page
stage fills in once every target is known. Element ids carry a prefix
placeholder so one paper can appear alone or inside an agenda pack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import highlight, mentions, textcheck
from .diagnostics import Diagnostic

ID_PREFIX = "\x00P\x00"
OPEN, CLOSE = "\x00O{}\x00", "\x00C{}\x00"
PLACEHOLDER_RE = re.compile("\x00([OC])(\\d+)\x00")
REF_SCHEMES = ("resolution", "meeting", "minutes", "item", "paper", "subject", "report")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
RESOLUTION_NUMBER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9/.\-]{0,30})$")
MAX_NESTING = 40


@dataclass(frozen=True)
class LinkRef:
    """A link to another document, to be resolved once the whole site is known."""

    target: str
    line: int
    text: str
    auto: bool = False  # found in running text rather than written as a link
    paragraph: str = ""  # the numbered paragraph the mention sits in, if any
    resolution: str = ""  # the resolution block the mention sits in, if any
    section: str = ""  # the heading of the section the mention sits in, if any


@dataclass(frozen=True)
class Heading:
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
    stored: tuple[str, str] | None = None  # (source path, digest) when html and text wait in the cache (bodies)


@dataclass
class _State:
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


def _container(md: MarkdownIt, name: str) -> None:
    container_plugin(md, name, validate=lambda params, *_: params.strip().split(" ", 1)[0] == name)
    rule_name = f"container_{name}"
    found = md.block.ruler.__rules__[md.block.ruler.__find__(rule_name)]
    original = found.fn

    def guarded(state, start_line: int, end_line: int, silent: bool) -> bool:
        """The plugin reads past the end of an unclosed block inside a quote ("> ::: resolved" then "> "):
        the block is then plain text rather than a crash. It changes no state before the point it fails."""
        try:
            return original(state, start_line, end_line, silent)
        except IndexError:
            return False

    md.block.ruler.at(rule_name, guarded, {"alt": list(found.alt)})


def build_parser() -> MarkdownIt:
    """The one Markdown dialect of Minutebook: CommonMark + tables, footnotes, definition lists, blocks."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    md.options["highlight"] = highlight.highlight_code
    md.validateLink = lambda url: True  # every link is checked by _check_links, with a diagnostic
    md.linkify.pretest = _quick_pretest(md.linkify.pretest)
    footnote_plugin(md, inline=False)
    deflist_plugin(md)
    _container(md, "recommendations")
    _container(md, "resolved")
    _install_renderers(md)
    _report_lost_nesting(md)
    return md


def _report_lost_nesting(md: MarkdownIt) -> None:
    """markdown-it silently skips text nested deeper than maxNesting; say so instead, as an error, once per body."""
    tokenize = md.block.tokenize

    def checked(state, start_line: int, end_line: int, *args) -> None:
        scratch = state.env.get("minutebook") if isinstance(state.env, dict) else None
        lost = state.level >= MAX_NESTING and isinstance(scratch, _State) and not scratch.too_deep
        if lost and any(state.src[state.bMarks[n] : state.eMarks[n]].strip() for n in range(start_line, end_line)):
            scratch.too_deep = True
            scratch.error(
                scratch.line0 + start_line,
                "lists or quotes are nested too deeply here, and the text "
                f"would be lost: expected at most {MAX_NESTING // 2 - 1} "
                f"levels of lists or {MAX_NESTING - 1} of quotes",
            )
        tokenize(state, start_line, end_line, *args)

    md.block.tokenize = checked


LINK_HINT_RE = re.compile(r"[:@]|//|\.\S|localhost", re.IGNORECASE)


def _quick_pretest(pretest):
    """Linkify's own pretest is a slow regex; every link it can find has ':', '@', '//', 'localhost' or '.x'."""
    return lambda text: bool(LINK_HINT_RE.search(text)) and pretest(text)


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = build_parser()
    return _PARSER


def render(body: str, path: str, line0: int, *, numbered: bool = False, minutes: bool = False) -> Rendered:
    """Render one body. `numbered` turns numbered paragraphs into anchors; `minutes` reads resolutions."""
    md = parser()
    state = _State(path, line0, numbered)
    for finding in textcheck.scan(body, line0, entities=True):
        state.diagnostics.append(Diagnostic(path, finding.line, finding.message, finding.severity))
    env: dict = {"minutebook": state}
    tokens = md.parse(body, env)
    _transform(tokens, state)
    html = md.renderer.render(tokens, md.options, env)
    resolutions, sections = _minutes_parts(md, tokens, env, state) if minutes else ((), ())
    _check_paragraph_links(state)
    return Rendered(
        html=html,
        refs=tuple(state.refs),
        headings=tuple(state.headings),
        paragraphs=tuple(state.paragraphs),
        recommendations_html=_recommendations(md, tokens, env),
        resolutions=resolutions,
        sections=sections,
        text=plain_text(tokens),
        diagnostics=tuple(state.diagnostics),
        images=tuple(_image_sources(tokens)),
    )


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
            html = span.sub(lambda _, shown=shown: shown, html)
    return html


# --- token tree transformation ----------------------------------------------------


def _transform(tokens: list[Token], state: _State) -> None:
    _mark_numbered_paragraphs(tokens, state)
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
        elif token.type == "paragraph_open":
            _bold_heading_lint(tokens, index, state, line)
        elif token.type == "container_resolved_open":
            parts = token.info.strip().split(" ", 1)
            state.resolution = parts[1].strip() if len(parts) > 1 else ""
        elif token.type == "container_resolved_close":
            state.resolution = ""
        elif token.type in ("footnote_block_open", "footnote_block_close"):
            state.in_footnote = token.type == "footnote_block_open"


def _mark_numbered_paragraphs(tokens: list[Token], state: _State) -> None:
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


def _paragraph_of(tokens: list[Token], index: int) -> str:
    """The printed number of the numbered paragraph containing tokens[index], if any."""
    depth = 0
    for back in range(index, -1, -1):
        token = tokens[back]
        if "paragraph" in token.meta:
            return token.meta["paragraph"] if token.level <= tokens[index].level else ""
        if token.level == 0 and token.nesting == 1 and back != index and depth == 0:
            return ""
    return ""


def _heading(tokens: list[Token], index: int, state: _State) -> None:
    token = tokens[index]
    text = tokens[index + 1].content
    level = int(token.tag[1])
    if level == 1:
        level = 2  # the page title is the only h1
        token.tag = tokens[index + 2].tag = "h2"
    _heading_level_lint(level, text, state, state.line0 + (token.map[0] if token.map else 0))
    anchor = state.unique(slugify(text) or "section")
    token.attrSet("id", ID_PREFIX + anchor)
    state.headings.append(Heading(level, anchor, _inline_text(tokens[index + 1])))
    state.section = _inline_text(tokens[index + 1])


def _heading_level_lint(level: int, text: str, state: _State, line: int) -> None:
    """Screen reader users move by heading level: a paper's sections start at ## and go down one step at a time."""
    previous = state.headings[-1].level if state.headings else 1
    if level > previous + 1:
        state.warn(
            line,
            f"heading '{_short(text)}' skips from level {previous} to level {level}: use {'#' * (previous + 1)} here",
        )


def _inline(token: Token, state: _State, line: int, paragraph: str) -> None:
    children = token.children or []
    _raw_html_inline(children, state, line)
    _check_links(children, state, line)
    token.children = mentions.link_mentions(children, state, line, paragraph)
    for child in token.children:
        if child.type == "link_open" and "ref" in child.meta:
            child.meta["ref"] = _register_ref(child, state, paragraph)


def _register_ref(link: Token, state: _State, paragraph: str) -> int:
    ref: LinkRef = link.meta["ref"]
    state.refs.append(LinkRef(ref.target, ref.line, ref.text, ref.auto, paragraph, state.resolution, state.section))
    return len(state.refs) - 1


def _check_links(children: list[Token], state: _State, line: int) -> None:
    depth_line = line
    for index, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            depth_line += 1
        if child.type == "link_open":
            _classify_link(children, index, state, depth_line)
        elif child.type == "image":
            _check_image(child, state, depth_line)


def _classify_link(children: list[Token], index: int, state: _State, line: int) -> None:
    link = children[index]
    href = link.attrGet("href") or ""
    text = _link_text(children, index)
    scheme = href.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", href) else ""
    if scheme in REF_SCHEMES or (not scheme and re.search(r"\.md(?:#|$)", href)):
        link.meta["ref"] = LinkRef(href, line, text)
    elif scheme and scheme not in SAFE_SCHEMES:
        state.error(
            line, f"link to '{_short(href)}' is not allowed: links may only be http, https, mailto, tel or relative"
        )
        link.meta["drop"] = True
    elif href.startswith("#") and href[1:].startswith("para-"):
        link.meta["ref"] = LinkRef(href, line, text)
    if not text and not _image_alt(children, index):
        state.warn(line, "link has no text: a screen reader announces nothing; write what it links to")
    mentions.lint_link_text(text, href, state, line)


def _check_image(image: Token, state: _State, line: int) -> None:
    src = image.attrGet("src") or ""
    scheme = src.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", src) else ""
    if scheme and scheme not in ("http", "https"):
        state.error(line, f"image '{_short(src)}' is not allowed: images may only be http, https or relative")
        image.meta["drop"] = True
    alt = image.content.strip()
    if not alt or alt.lower() in ("image", "picture", "photo", "graphic", "chart") or re.search(r"\.\w{3,4}$", alt):
        state.warn(line, f"image '{_short(src)}' needs alt text that says what it shows")


def _raw_html_inline(children: list[Token], state: _State, line: int) -> None:
    for child in children:
        if child.type == "html_inline":
            _raw_html(child, state, line)


def _raw_html_block(token: Token, state: _State, line: int) -> None:
    _raw_html(token, state, line)


DEBRIS_RE = re.compile(r"^</?(?:u|p|span|font|o:p|div|br\s*/?)(?:\s[^>]*)?>$", re.IGNORECASE)
CHECKBOX_RE = re.compile(r"^<input\b[^>]*type=[\"']?checkbox[\"']?[^>]*>$", re.IGNORECASE)


def _raw_html(token: Token, state: _State, line: int) -> None:
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
            state.warn(line, f"raw HTML {_short(tag)} is not published as HTML; it is shown as text")
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


def _table_header_lint(tokens: list[Token], index: int, state: _State, line: int) -> None:
    """A table whose header row is empty reads as unlabelled columns to a screen reader."""
    header = []
    for token in tokens[index + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            header.append(token.content.strip())
    if header and not any(header):
        state.warn(line, "table has an empty header row: name each column in the first row")


def _bold_heading_lint(tokens: list[Token], index: int, state: _State, line: int) -> None:
    inline = tokens[index + 1]
    children = inline.children or []
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip())]
    whole_bold = kinds[:1] == ["strong_open"] and kinds[-1:] == ["strong_close"] and kinds.count("strong_open") == 1
    if whole_bold and len(inline.content) < 120:
        state.warn(line, f"bold paragraph '{_short(inline.content.strip('* '))}' looks like a heading: use ## or ###")


def _check_paragraph_links(state: _State) -> None:
    known = set(state.paragraphs)
    for ref in state.refs:
        if ref.target.startswith("#para-") and ref.target[6:] not in known:
            state.warn(ref.line, f"{ref.text or ref.target}: this paper has no paragraph {ref.target[6:]}")


# --- pieces of minutes and reports --------------------------------------------------


def _minutes_parts(md: MarkdownIt, tokens: list[Token], env: dict, state: _State):
    resolutions, sections = [], []
    item = ""
    for index, token in enumerate(tokens):
        line = state.line0 + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and token.tag == "h2":
            item, title = _minute_heading(tokens[index + 1].content)
            if not item:
                state.error(line, "a minute heading must start with its agenda item number, e.g. '## 4. Title'")
                continue
            anchor = f"item-{item}"
            token.attrSet("id", ID_PREFIX + anchor)
            sections.append(MinuteSection(item, title, line, anchor))
        elif token.type == "container_resolved_open":
            block = _resolution_block(md, tokens, index, env, state, line, item)
            if block:
                resolutions.append(block)
    return tuple(resolutions), tuple(sections)


def _minute_heading(text: str) -> tuple[str, str]:
    match = re.match(r"^\s*(?:Item\s+)?0*([1-9][0-9]{0,2}[a-z]?)[.):]?\s+(.+)$", text, re.IGNORECASE)
    return (match.group(1).lower(), match.group(2).strip()) if match else ("", text)


def _resolution_block(md, tokens, index, env, state, line, item) -> ResolutionBlock | None:
    number = tokens[index].info.strip().split(" ", 1)[1].strip() if " " in tokens[index].info.strip() else ""
    if not RESOLUTION_NUMBER_RE.match(number):
        found = f"'{number}'" if number else "nothing"
        state.error(line, f"expected a resolution number after '::: resolved', such as 2021/001, found {found}")
        return None
    if not item:
        state.error(line, f"resolution {number} is not under a minute heading ('## 4. Title')")
    end = _closing(tokens, index)
    inner = tokens[index + 1 : end]
    return ResolutionBlock(number, line, item, md.renderer.render(inner, md.options, env), plain_text(inner))


def _closing(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    for end in range(index + 1, len(tokens)):
        if tokens[end].level == level and tokens[end].nesting == -1:
            return end
    return len(tokens)


def _recommendations(md: MarkdownIt, tokens: list[Token], env: dict) -> str:
    for index, token in enumerate(tokens):
        if token.type == "container_recommendations_open":
            return md.renderer.render(tokens[index + 1 : _closing(tokens, index)], md.options, env)
    return ""


def _image_sources(tokens: list[Token]) -> list[str]:
    return [c.attrGet("src") or "" for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "image"]


# --- rendering rules ----------------------------------------------------------------


def _install_renderers(md: MarkdownIt) -> None:
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


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if "ref" in token.meta:
        return OPEN.format(token.meta["ref"])
    if token.meta.get("drop"):
        return ""
    return self.renderToken(tokens, idx, options, env)


def _render_link_close(self, tokens, idx, options, env) -> str:
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


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.meta.get("drop"):
        return escape(token.content)
    alt = escape(token.content)
    return f'<img src="{escape(token.attrGet("src") or "")}" alt="{alt}" loading="lazy">'


def _render_table_open(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta.get("number", 1)
    caption = _table_caption(tokens, idx) or f"Table {number}"
    label = escape(caption)
    return (
        f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">\n'
        f"<table>\n<caption>{label}</caption>\n"
    )


def _table_caption(tokens, idx) -> str:
    """A caption from what introduces the table: "Table: …", a sentence ending in ':', or its heading."""
    intro = _introduction(tokens, idx)
    if intro:
        sentence = re.split(r"(?<=[.;])\s+", intro)[-1].rstrip(":").strip()
        return sentence[:1].upper() + sentence[1:150]
    for back in range(idx - 1, -1, -1):
        token = tokens[back]
        if token.type == "heading_open":
            return f"Table under '{tokens[back + 1].content.strip()}'"
        if token.type == "inline" and token.content.startswith("Table:"):
            return token.content[6:].strip()
    return ""


def _introduction(tokens, idx) -> str:
    """The text just before a table, if it ends with ':' (the way papers introduce tables)."""
    back = idx - 1
    while back >= 0 and tokens[back].nesting == -1:
        back -= 1
    if back >= 0 and tokens[back].type == "inline" and tokens[back].content.rstrip().endswith(":"):
        return tokens[back].content.strip()
    return ""


def _render_th_open(self, tokens, idx, options, env) -> str:
    tokens[idx].attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)


def _render_recommendations_open(self, tokens, idx, options, env) -> str:
    return (
        f'<section class="recommendations" aria-labelledby="{ID_PREFIX}recommendations">\n'
        f'<h2 id="{ID_PREFIX}recommendations">Recommendations</h2>\n'
    )


def _render_resolved_open(self, tokens, idx, options, env) -> str:
    parts = tokens[idx].info.strip().split(" ", 1)
    number = parts[1].strip() if len(parts) > 1 else ""
    anchor = "resolution-" + re.sub(r"[^A-Za-z0-9]+", "-", number)
    return (
        f'<section class="resolution" id="{ID_PREFIX}{escape(anchor)}">\n'
        f'<h3 class="resolution-number">RESOLVED {escape(number)}</h3>\n'
    )


def _render_footnote_name(self, tokens, idx, options, env) -> str:
    return ID_PREFIX + str(tokens[idx].meta["id"] + 1)


def _render_footnote_block_open(self, tokens, idx, options, env) -> str:
    return (
        f'<section class="footnotes" aria-labelledby="{ID_PREFIX}footnotes">\n'
        f'<h2 id="{ID_PREFIX}footnotes">Footnotes</h2>\n<ol class="footnotes-list">\n'
    )


def _render_footnote_anchor(self, tokens, idx, options, env) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    number = tokens[idx].meta["id"] + 1
    if tokens[idx].meta.get("subId", 0) > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    return f' <a href="#fnref{ident}" class="footnote-backref">Back to reference {number}</a>'


def _render_footnote_ref(self, tokens, idx, options, env) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    number = tokens[idx].meta["id"] + 1
    refid = ident
    if tokens[idx].meta.get("subId", -1) > 0:
        refid += ":" + str(tokens[idx].meta["subId"])
    return (
        f'<sup class="footnote-ref"><a href="#fn{ident}" id="fnref{refid}">'
        f'<span class="visually-hidden">Footnote </span>{number}</a></sup>'
    )


# --- text helpers -------------------------------------------------------------------


def slugify(text: str) -> str:
    text = re.sub(r"[*_`\[\]()]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


def plain_text(tokens: Sequence[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return "\n".join(part for part in parts if part)


def _inline_text(token: Token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _link_text(children: list[Token], index: int) -> str:
    out = []
    for child in children[index + 1 :]:
        if child.type == "link_close":
            break
        if child.type in ("text", "code_inline"):
            out.append(child.content)
    return "".join(out).strip()


def _image_alt(children: list[Token], index: int) -> str:
    """The alt text of images inside the link opened at `index`: a linked logo is named by its alt."""
    alts = []
    for child in children[index + 1 :]:
        if child.type == "link_close":
            break
        if child.type == "image":
            alts.append(child.content.strip())
    return "".join(alts)


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "…"
