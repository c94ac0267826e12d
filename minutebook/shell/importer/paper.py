"""One imported report as the text of a paper: front matter from its cover, then its body, notes at their lines.

The paper is always a draft: an imported report is a first version for the
clerk to check, and a draft never reaches the public site. The keys are
written in the order of the paper schema (`minutebook.documents.PAPER`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...content.documents import PAPER, PERSON
from ..scaffold import DRAFT_NOTE
from .blocks import Block, Notice, guard, join
from .docx import WordReport
from .inline import MARKER_RE, escape
from .markdown import Writer, main_list, title_element
from .paragraphs import Placement
from .tree import Element, parse

PURPOSE_RE = re.compile(r"^#{2,6} purpose\b", re.IGNORECASE)


@dataclass(frozen=True)
class Paper:
    """What the import writes: the paper's text, its images, and the notes for the clerk."""

    stem: str  # the file name without .md
    title: str
    text: str
    images: tuple[tuple[str, bytes], ...]  # (file name, content), written next to the paper
    notices: tuple[Notice, ...]


def make_paper(report: WordReport, name: Callable[[str], str]) -> Paper:
    """The paper for a report read from Word; `name` gives its file name (without .md) from its title."""
    root = parse(report.html)
    title, element, title_note = _title(root, report)
    stem = name(title)
    image_files = {str(image.number): f"{stem}-image-{image.number}.{image.extension}" for image in report.images}
    writer = Writer(report, image_files, Placement(main_list(report)))
    writer.write(root, element)
    unknown = list(report.cover.unknown)
    cover_title = str(report.cover.settings.get("title", ""))
    if cover_title and cover_title != title:
        unknown.insert(0, ("Title", cover_title))
    blocks = writer.blocks
    if report.cover.purpose:
        if any(PURPOSE_RE.match(block.lines[0]) for block in blocks if block.lines):
            unknown.append(("Purpose", report.cover.purpose))
        else:
            purpose = [Block(["## Purpose of the Report"]), Block([guard(escape(report.cover.purpose))])]
            blocks = purpose + blocks
    front, notices = front_matter(title, report, unknown, title_note)
    body, body_notices = join(blocks, len(front) + 1)
    images = tuple((image_files[str(image.number)], image.data) for image in report.images)
    return Paper(stem, title, "\n".join(front + body) + "\n", images, tuple(notices + body_notices))


def _title(root: Element, report: WordReport) -> tuple[str, Element | None, str]:
    """The title and the element it came from: a Title paragraph, the cover's title, or a first heading."""
    element = title_element(root)
    cover_title = str(report.cover.settings.get("title", ""))
    if element is not None:
        text = " ".join(MARKER_RE.sub("", element.text()).split())
        styled = "title" in element.attrs.get("class", "").split()
        if text and (styled or not cover_title or text.lower() == cover_title.lower()):
            return text, element, ""
    if cover_title:
        return cover_title, None, ""
    return file_title(report.source.stem), None, "no title in the document: it was taken from the file name; check it"


def file_title(name: str) -> str:
    """ "04 Budget update" → "Budget update": the words of a file name, without an item number."""
    words = re.sub(r"^\s*\d{1,3}[a-z]?\b[\s._-]*", "", name, flags=re.IGNORECASE)
    words = " ".join(re.sub(r"[_]+", " ", words).split())
    return words[:1].upper() + words[1:] if words else "Imported report"


def front_matter(
    title: str, report: WordReport, unknown: list[tuple[str, str]], title_note: str
) -> tuple[list[str], list[Notice]]:
    """The front matter lines (with the `---` fences) and notes at their lines."""
    settings = {**report.cover.settings, "title": title}
    lines = ["---"]
    notices = []
    for spec in PAPER.fields:
        if spec.name == "contact":
            lines += _contact(report.cover.contact)
        elif spec.name in settings:
            if spec.name == "title" and title_note:
                notices.append(Notice(len(lines) + 1, title_note))
            lines.append(f"{spec.name}: {_yaml(settings[spec.name])}")
        if spec.name == "title":
            lines += [*DRAFT_NOTE.format(what="paper").rstrip("\n").split("\n"), "draft: true"]
    if not report.cover.contact.get("name"):  # a contact without a name is not a person the schema accepts
        unknown = unknown + [(f"Contact {key}", value) for key, value in report.cover.contact.items()]
    if unknown:
        lines.append(f"# From the cover of {report.source.name}, not paper settings (kept for you to check):")
        for label, value in unknown:
            notices.append(
                Notice(len(lines) + 1, f"cover row '{label}' is not a paper setting: kept as a comment; check it")
            )
            lines.append(f"# {label}: {value}")
    lines.append("---")
    return lines, notices


def _contact(contact: dict[str, str]) -> list[str]:
    if not contact.get("name"):
        return []
    keys = [spec.name for spec in PERSON.fields if spec.name in contact]
    return ["contact:"] + [f"  {key}: {_yaml(contact[key])}" for key in keys]


def _yaml(value: str | bool | int | list[str]) -> str:
    """A YAML value that reads back exactly as given (JSON is YAML; booleans and numbers stay bare)."""
    return json.dumps(value, ensure_ascii=False)
