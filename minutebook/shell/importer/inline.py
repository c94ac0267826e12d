"""Text inside a paragraph, heading or table cell, written as Markdown: emphasis, links, footnotes, images.

Word's text is taken literally: anything Markdown would read as markup
(`*`, `_`, `[`, `<`…) is escaped, so what the committee reads is what the
officer typed. The paragraph markers left by the reader are collected here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docx import MARK_CLOSE, MARK_OPEN
from .tree import Element

MARKER_RE = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|~])")
ENTITY_RE = re.compile(r"&(?=#?\w+;)")
NOTE_RE = re.compile(r"^#(footnote|endnote)-(\d+)$")
SAFE_LINK_RE = re.compile(r"^(?:https?://|mailto:|tel:)", re.IGNORECASE)
EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}


@dataclass(frozen=True)
class ImageUse:
    """An image placed in the text: its file and the alt text Word gave it."""

    file: str
    alt: str


@dataclass
class Inline:
    """Writes the inline content of one block; collects the paragraph markers and images it meets."""

    image_files: dict[str, str]  # mammoth's src (the image's number) → the file written next to the paper
    breaks: bool = True  # a line break is kept (paragraphs) or becomes a space (headings, table cells)
    markers: list[int] = field(default_factory=list)
    images: list[ImageUse] = field(default_factory=list)

    def render(self, element: Element) -> str:
        """The Markdown of an element's children, whitespace collapsed as a browser would."""
        out = "".join(self._node(child) for child in _merged(element.children))
        return re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t]+", " ", out)).strip()

    def _node(self, node: Element | str) -> str:
        if isinstance(node, str):
            return self._text(node)
        if node.tag in EMPHASIS:
            return _wrap(self.render_children(node), EMPHASIS[node.tag])
        if node.tag == "a":
            return self._link(node)
        if node.tag == "img":
            return self._image(node)
        if node.tag == "br":
            return "\\\n" if self.breaks else " "
        return self.render_children(node)

    def render_children(self, element: Element) -> str:
        return "".join(self._node(child) for child in _merged(element.children))

    def _text(self, text: str) -> str:
        def marker(match: re.Match[str]) -> str:
            self.markers.append(int(match.group(1)))
            return ""

        text = MARKER_RE.sub(marker, text)
        return escape(re.sub(r"[\r\n\t]+", " ", text))

    def _link(self, link: Element) -> str:
        href = link.attrs.get("href", "")
        note = NOTE_RE.match(href)
        if note:
            self._text(link.text())  # markers only
            return f"[^{'e' if note.group(1) == 'endnote' else ''}{note.group(2)}]"
        if re.match(r"^#(?:footnote|endnote)-ref-", href):
            return ""  # the "back to the text" arrow of a footnote
        text = self.render_children(link).strip()
        if not SAFE_LINK_RE.match(href):
            return text  # bookmarks inside the document and unsafe addresses keep only their text
        return f"[{text or escape(href)}]({_address(href)})"

    def _image(self, image: Element) -> str:
        file = self.image_files.get(image.attrs.get("src", ""), "")
        if not file:
            return ""
        alt = " ".join(image.attrs.get("alt", "").split())
        self.images.append(ImageUse(file, alt))
        return f"![{escape(alt)}]({file})"


def escape(text: str) -> str:
    """Text that Markdown shows exactly as written."""
    return ENTITY_RE.sub(r"\\&", ESCAPE_RE.sub(r"\\\1", text))


def _merged(children: list[Element | str]) -> list[Element | str]:
    """Adjacent runs with the same emphasis as one: `**a****b**` would not read back as bold."""
    out: list[Element | str] = []
    for child in children:
        previous = out[-1] if out else None
        if (
            isinstance(child, Element)
            and isinstance(previous, Element)
            and child.tag in EMPHASIS
            and previous.tag == child.tag
        ):
            out[-1] = Element(child.tag, previous.attrs, previous.children + child.children)
        else:
            out.append(child)
    return out


def _wrap(inner: str, mark: str) -> str:
    """Emphasis around the words only: `** word**` is not emphasis in Markdown."""
    core = inner.strip()
    if not core or core.replace("\\\n", "").strip() == "":
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _address(href: str) -> str:
    return re.sub(r"[ ()<>]", lambda m: f"%{ord(m.group(0)):02X}", href)
