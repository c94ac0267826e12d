"""The lines of front matter as a clerk laid them out: indentation, list dashes, 'name: value', quotes.

When PyYAML cannot read front matter, the advice (yamlerrors.py) is worked
out from these shapes, because the parser's own view stops at the mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_RE = re.compile(r"^(?P<key>[^\s'\"#\[\]{}][^:#]*?):(?:\s+(?P<value>[^#\s].*?))?(?:\s+#.*)?\s*$")
DASHES_RE = re.compile(r"^(?:-(?:\s+|$))+")
CLOSED_QUOTE = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}


@dataclass(frozen=True)
class Line:
    """One line of front matter."""

    text: str
    indent: int  # spaces before anything else
    dashed: bool  # a list entry: starts with '- '
    content: str  # without indentation and dashes
    key: str  # the setting's name when the line is 'name: …', else ""
    value: str  # what follows 'name: ' or '- ', comments aside

    @classmethod
    def read(cls, text: str) -> Line:
        stripped = text.strip()
        dashes = DASHES_RE.match(stripped)
        content = stripped[dashes.end() :] if dashes else stripped
        setting = KEY_RE.match(content)
        key = setting["key"].strip() if setting else ""
        value = (setting["value"] or "") if setting else content
        return cls(text, len(text) - len(text.lstrip(" ")), bool(dashes), content, key, value)

    @property
    def meaningful(self) -> bool:
        """Neither blank nor a comment."""
        return bool(self.content) and not self.content.startswith("#")

    @property
    def key_column(self) -> int:
        """Where the setting's name starts, after any dashes."""
        return len(self.text.rstrip()) - len(self.content)

    @property
    def complete(self) -> bool:
        """Holds its own value, so nothing may be indented under it."""
        return bool(self.value)

    @property
    def shown(self) -> str:
        return short(self.text.strip())


def parents(lines: list[Line], here: int) -> list[int]:
    """The line above `here` and each line above that one indented less: what `here` could belong to."""
    chain: list[int] = []
    for index in range(here - 1, -1, -1):
        if lines[index].meaningful and (not chain or lines[index].indent < lines[chain[-1]].indent):
            chain.append(index)
    return chain


def parent(lines: list[Line], index: int) -> int | None:
    """The line that `index` is indented under."""
    return next((i for i in parents(lines, index) if lines[i].indent < lines[index].indent), None)


def text_above(lines: list[Line], here: int) -> tuple[int | None, list[int]]:
    """The setting or list entry above `here`, and the lines of bare text between them (top first)."""
    text: list[int] = []
    for index in range(here - 1, -1, -1):
        line = lines[index]
        if not line.meaningful:
            continue
        if line.dashed or line.key:
            return index, text
        text.insert(0, index)
    return None, text


def open_quote(value: str) -> bool:
    """Whether a value starts with a quote that the line never closes."""
    quote = value[:1]
    return quote in CLOSED_QUOTE and not CLOSED_QUOTE[quote].match(value)


def quoted(value: str) -> str:
    """The value in quotes that keep what the clerk meant, for a suggestion to copy.

    Quotes around the whole value are the clerk's own, as is an opening quote never closed; quotes inside
    it ("Budget" update) are kept as text. An apostrophe between letters is not a quote.
    """
    text = value.strip()
    quote = text[:1]
    if quote in ("'", '"') and len(text) > 1 and text[-1] == quote:
        text = text[1:-1].replace("''", "'") if quote == "'" else text[1:-1]
    elif quote in ("'", '"') and len(re.findall(rf"(?<![^\W\d_]){quote}|{quote}(?![^\W\d_])", text)) % 2:
        text = text[1:]
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"' + text.replace('"', '\\"') + '"'


def short(text: str) -> str:
    return f"{text[:60]}…" if len(text) > 60 else text
