"""Reading a Word report: python-docx sees what mammoth cannot, mammoth turns the rest into semantic HTML.

python-docx opens the document and records, for every paragraph, what Word
would print before it (its automatic number), its unaccepted tracked changes
and the comments anchored in it; it takes the cover table out. Each paragraph
is then tagged with an invisible marker holding its position, the numbering
part is removed (so mammoth leaves numbered paragraphs as paragraphs), and
mammoth converts the copy to HTML with a style map. The markers let the
Markdown writer find each paragraph's facts again.

Tracked changes follow mammoth: an unaccepted insertion is kept and an
unaccepted deletion (or the old place of moved text) is left out, which is
how the document reads with the changes accepted; every one is reported so the
clerk can check it. Comments, headers, footers and page numbers never reach
the paper.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import mammoth  # type: ignore[import-untyped, unused-ignore]
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from . import cover as cover_rows
from .numbering import Label, find_all, paragraph_labels

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='List Paragraph'] => p:fresh
r[style-name='Strong'] => strong
r[style-name='Emphasis'] => em
"""
EXTENSIONS = {"image/jpeg": "jpg", "image/svg+xml": "svg", "image/x-emf": "emf", "image/x-wmf": "wmf"}


class Unreadable(Exception):
    """The file is not a Word report that can be read; the message says why, in one line."""


@dataclass(frozen=True)
class Revision:
    """An unaccepted tracked change in one paragraph."""

    kind: str  # "inserted" (kept) or "deleted" (left out)
    text: str
    author: str


@dataclass(frozen=True)
class ParagraphFacts:
    """What python-docx knows about one paragraph that mammoth's HTML does not say."""

    label: Label | None = None
    revisions: tuple[Revision, ...] = ()
    comments: tuple[str, ...] = ()  # "Jo Bloggs: check this figure"


@dataclass(frozen=True)
class Image:
    """An image of the report, to be written next to the paper."""

    number: int  # 1, 2 … in the order they appear
    extension: str
    data: bytes


@dataclass(frozen=True)
class WordReport:
    """One report, read: mammoth's HTML, each paragraph's facts, its images and its cover table."""

    source: Path
    html: str
    paragraphs: tuple[ParagraphFacts, ...]
    images: tuple[Image, ...]
    cover: cover_rows.Cover


def read(path: Path) -> WordReport:
    """Read a .docx file; raises Unreadable, with a one-line reason, for anything that is not one."""
    document = open_document(path)
    body = document.element.body
    paragraphs: list[BaseOxmlElement] = list(body.iter(qn("w:p")))
    labels = paragraph_labels(document, paragraphs)
    first_numbered = paragraphs[min(labels)] if labels else None
    cover = cover_rows.take(document, first_numbered)
    comments = _comments(document)
    facts = tuple(
        ParagraphFacts(labels.get(index), _revisions(paragraph), _comments_in(paragraph, comments))
        for index, paragraph in enumerate(paragraphs)
    )
    for index, paragraph in enumerate(paragraphs):
        _insert_marker(paragraph, index)
    _drop_numbering(document)
    html, images = _convert(document, path)
    return WordReport(path, html, facts, images, cover)


def open_document(path: Path) -> Document:
    """The document, or Unreadable saying what is wrong with the file."""
    if not path.exists():
        raise Unreadable(f"{path}: no such file")
    if not path.is_file():
        raise Unreadable(f"{path}: not a file")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise Unreadable(f"{path}: an old Word .doc file; open it in Word and save it as a .docx document")
    if suffix != ".docx":
        raise Unreadable(f"{path}: not a Word .docx document")
    if not zipfile.is_zipfile(path):
        raise Unreadable(f"{path}: not a readable .docx document (the file is damaged or is not a Word file)")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # a damaged package fails anywhere inside python-docx, with any kind of error
        raise Unreadable(f"{path}: not a readable .docx document ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _revisions(paragraph: BaseOxmlElement) -> tuple[Revision, ...]:
    found = []
    for change in find_all(paragraph, ".//w:ins[w:r] | .//w:del[w:r] | .//w:moveTo[w:r] | .//w:moveFrom[w:r]"):
        kind = "inserted" if change.tag in (qn("w:ins"), qn("w:moveTo")) else "deleted"
        text = "".join(find_all(change, ".//w:t/text() | .//w:delText/text()"))
        if text.strip():
            found.append(Revision(kind, " ".join(text.split()), change.get(qn("w:author"), "")))
    return tuple(found)


def _comments(document: Document) -> dict[str, str]:
    """Each comment's id and "author: text"; the comments themselves are never published."""
    try:
        part: Any = document.part.part_related_by(RT.COMMENTS)
    except KeyError:
        return {}
    return {str(c.comment_id): f"{c.author or 'someone'}: {' '.join(c.text.split())}" for c in part.comments}


def _comments_in(paragraph: BaseOxmlElement, comments: dict[str, str]) -> tuple[str, ...]:
    ids = find_all(paragraph, ".//w:commentReference/@w:id")
    return tuple(comments[str(i)] for i in ids if str(i) in comments)


def _insert_marker(paragraph: BaseOxmlElement, index: int) -> None:
    """An invisible first run naming the paragraph, read back from mammoth's HTML by the Markdown writer."""
    run = paragraph.add_r()
    run.text = f"{MARK_OPEN}{index}{MARK_CLOSE}"
    paragraph.remove(run)
    properties = paragraph.find(qn("w:pPr"))
    paragraph.insert(1 if properties is not None else 0, run)


def _drop_numbering(document: Document) -> None:
    """Without numbering definitions mammoth keeps numbered paragraphs as paragraphs; the labels are known."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.NUMBERING:
            document.part.drop_rel(rel_id)


def _convert(document: Document, path: Path) -> tuple[str, tuple[Image, ...]]:
    images: list[Image] = []

    def keep(image: Any) -> dict[str, str]:
        with image.open() as stream:
            data = stream.read()
        content_type = str(image.content_type or "image/png")
        extension = EXTENSIONS.get(content_type, content_type.rsplit("/", 1)[-1].lower() or "png")
        images.append(Image(len(images) + 1, extension, data))
        return {"src": str(len(images))}

    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    try:
        result = mammoth.convert_to_html(
            buffer,
            style_map=STYLE_MAP,
            include_embedded_style_map=False,
            convert_image=mammoth.images.img_element(keep),
        )
    except Exception as exc:  # as above: mammoth reads the same package and can fail the same ways
        raise Unreadable(f"{path}: not a readable .docx document ({_reason(exc)})") from None
    return str(result.value), tuple(images)
