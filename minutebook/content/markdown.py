"""Markdown stage: one document body in, HTML with link placeholders and what it mentions out (`Rendered`).

The HTML is rendered once per source (so it can be memoised by the source's
digest); links to other documents are left as placeholders that the page
stage fills in once every target is known (`finish`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock, RuleFuncBlockType
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .. import textcheck
from ..diagnostics import Diagnostic
from . import captions, highlight, htmlrules, parts, tokens
from .body import ID_PREFIX, MAX_NESTING, Rendered, State, plain_text


def _container(md: MarkdownIt, name: str) -> None:
    container_plugin(md, name, validate=lambda params, *_: params.strip().split(" ", 1)[0] == name)
    rule_name = f"container_{name}"
    found = md.block.ruler.__rules__[md.block.ruler.__find__(rule_name)]
    original = found.fn

    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        """The plugin reads past the end of an unclosed block inside a quote ("> ::: resolved" then "> "):
        the block is then plain text rather than a crash. It changes no state before the point it fails."""
        try:
            return original(state, start_line, end_line, silent)
        except IndexError:
            return False

    md.block.ruler.at(rule_name, guarded, {"alt": list(found.alt)})


def build_parser() -> MarkdownIt:
    """The one Markdown dialect of Minutebook: CommonMark + tables, footnotes, definition lists, blocks."""
    md = _Parser("commonmark", {"html": True, "linkify": True, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    md.options["highlight"] = highlight.highlight_code
    if md.linkify is not None:  # None only without linkify-it-py, and then markdown-it refuses to parse
        md.linkify.pretest = _quick_pretest(md.linkify.pretest)
    footnote_plugin(md, inline=False)
    deflist_plugin(md)
    _container(md, "recommendations")
    _container(md, "resolved")
    htmlrules.install(md)
    md.block = _NestingCheckedBlock(md.block.ruler)
    return md


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Every link passes: each is checked by tokens._check_links, with a diagnostic."""
        return True


class _NestingCheckedBlock(ParserBlock):
    """markdown-it silently skips text nested deeper than maxNesting; say so instead, as an error, once per body."""

    def __init__(self, ruler: Ruler[RuleFuncBlockType]) -> None:
        super().__init__()
        self.ruler = ruler  # the configured rules of the block parser this one replaces

    def tokenize(self, state: StateBlock, start_line: int, end_line: int) -> None:
        scratch = state.env.get("minutebook") if isinstance(state.env, dict) else None
        if isinstance(scratch, State) and _lost(state, scratch, start_line, end_line):
            scratch.too_deep = True
            scratch.error(
                scratch.line0 + start_line,
                "lists or quotes are nested too deeply here, and the text "
                f"would be lost: expected at most {MAX_NESTING // 2 - 1} "
                f"levels of lists or {MAX_NESTING - 1} of quotes",
            )
        super().tokenize(state, start_line, end_line)


def _lost(state: StateBlock, scratch: State, start_line: int, end_line: int) -> bool:
    """Whether these lines hold text that markdown-it will skip, not yet reported for this body."""
    if state.level < MAX_NESTING or scratch.too_deep:
        return False
    return any(state.src[state.bMarks[n] : state.eMarks[n]].strip() for n in range(start_line, end_line))


ID_RE = re.compile(r'\bid="([^"]*)"')
DOT_RE = re.compile(r"\.\S")  # a dot inside a word, as in a domain name


def _quick_pretest(pretest: Callable[[str], bool]) -> Callable[[str], bool]:
    """Linkify's own pretest is a slow regex; every link it can find has ':', '@', '//', 'localhost' or '.x'.

    Each is looked for on its own: one regular expression with all of them tries each at every character,
    four times slower over an archive's hundred thousand runs of text, of which one in twenty has any."""

    def quick(text: str) -> bool:
        hinted = ":" in text or "@" in text or "//" in text or ("." in text and DOT_RE.search(text) is not None)
        return (hinted or "localhost" in text.lower()) and pretest(text)

    return quick


@functools.cache
def parser() -> MarkdownIt:
    """The parser, made once per process: building it costs more than parsing a short paper."""
    return build_parser()


def render(body: str, path: str, line0: int, *, numbered: bool = False, minutes: bool = False) -> Rendered:
    """Render one body. `numbered` turns numbered paragraphs into anchors; `minutes` reads resolutions."""
    md = parser()
    state = State(path, line0, numbered, minutes=minutes)
    for finding in textcheck.scan(body, line0, entities=True):
        state.diagnostics.append(Diagnostic(path, finding.line, finding.message, finding.severity))
    env: dict = {"minutebook": state}
    found = md.parse(body, env)
    tokens.transform(found, state)
    found = captions.take_out(found)
    resolutions, sections = parts.minutes_parts(md, found, env, state) if minutes else ((), ())  # sets minute ids
    html = md.renderer.render(found, md.options, env)
    tokens.check_paragraph_links(state)
    tokens.check_fragments(state, {found.replace(ID_PREFIX, "") for found in ID_RE.findall(html)})
    return Rendered(
        html=html,
        refs=tuple(state.refs),
        headings=tuple(state.headings),
        paragraphs=tuple(state.paragraphs),
        recommendations_html=parts.recommendations(md, found, env),
        resolutions=resolutions,
        sections=sections,
        text=plain_text(found),
        diagnostics=tuple(state.diagnostics),
        images=tuple(parts.image_sources(found)),
    )


# --- token tree transformation ----------------------------------------------------
