"""Parts of a body read from its tokens: the minutes' sections and resolutions, a report's recommendations."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .body import ID_PREFIX, MinuteSection, ResolutionBlock, State, attr, plain_text
from .numbering import NUMBER_RE as RESOLUTION_NUMBER_RE


def minutes_parts(
    md: MarkdownIt, tokens: list[Token], env: dict, state: State
) -> tuple[tuple[ResolutionBlock, ...], tuple[MinuteSection, ...]]:
    """The minutes' decisions and minute sections; each minute heading gets its anchor (item-N) on the way."""
    resolutions: list[ResolutionBlock] = []
    sections: list[MinuteSection] = []
    item = ""
    for index, token in enumerate(tokens):
        line = state.line0 + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and token.tag == "h2":
            item, title = minute_heading(tokens[index + 1].content)
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


def minute_heading(text: str) -> tuple[str, str]:
    """(agenda item number, title) of a minute's heading ("4. Budget"); no number when it starts with none."""
    match = re.match(r"^\s*(?:Item\s+)?0*([1-9][0-9]{0,2}[a-z]?)[.):]?\s+(.+)$", text, re.IGNORECASE)
    return (match.group(1).lower(), match.group(2).strip()) if match else ("", text)


def _resolution_block(
    md: MarkdownIt, tokens: list[Token], index: int, env: dict, state: State, line: int, item: str
) -> ResolutionBlock | None:
    number = tokens[index].info.strip().split(" ", 1)[1].strip() if " " in tokens[index].info.strip() else ""
    if not RESOLUTION_NUMBER_RE.match(number):
        found = f"'{number}'" if number else "nothing"
        state.error(line, f"expected a resolution number after '::: resolved', such as 2021/001, found {found}")
        return None
    if not item:
        state.error(line, f"resolution {number} is not under a minute heading ('## 4. Title')")
    end = closing(tokens, index)
    inner = tokens[index + 1 : end]
    return ResolutionBlock(number, line, item, md.renderer.render(inner, md.options, env), plain_text(inner))


def closing(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    for end in range(index + 1, len(tokens)):
        if tokens[end].level == level and tokens[end].nesting == -1:
            return end
    return len(tokens)


def recommendations(md: MarkdownIt, tokens: list[Token], env: dict) -> str:
    for index, token in enumerate(tokens):
        if token.type == "container_recommendations_open":
            return md.renderer.render(tokens[index + 1 : closing(tokens, index)], md.options, env)
    return ""


def image_sources(tokens: list[Token]) -> list[str]:
    return [attr(c, "src") for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "image"]


# --- rendering rules ----------------------------------------------------------------
