"""The cover table (or the block of "Label: value" lines) that opens a report, read into paper settings.

Reports open with who the report is from, the author, the contact officer,
whether it is a key decision and the wards affected, either as a two-column
table or as lines above the title. They become front matter; what has no place
in a paper's settings is kept for the clerk to look at, never dropped silently.
The rows are taken out of the document so they do not repeat in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table

from .numbering import find_all

FIELDS = {
    "title": ("title", "report title", "subject", "report subject", "title of report"),
    "report_of": ("report of", "report by", "report from", "from", "report of the", "responsible officer"),
    "author": ("author", "report author", "signed", "signed by", "author of report"),
    "contact": ("contact", "contact officer", "contact details", "officer contact", "for further information"),
    "contact.name": ("contact name", "name of contact officer", "contact officer name"),
    "contact.role": ("contact role", "job title", "role", "designation", "contact job title", "contact officer role"),
    "contact.phone": ("contact phone", "phone", "telephone", "tel", "contact telephone", "contact number"),
    "contact.email": ("contact email", "email", "e mail", "email address", "contact e mail"),
    "key_decision": ("key decision", "is this a key decision", "key decision yes no"),
    "wards": ("wards", "ward", "wards affected", "electoral divisions", "electoral division", "divisions affected"),
    "purpose": ("purpose", "purpose of the report", "purpose of report", "summary", "report summary"),
    "item": ("agenda item", "item", "item number", "agenda item number", "agenda item no"),
    "access": ("exempt", "exempt information", "confidential", "not for publication", "exempt report", "part 2"),
    "meeting": ("committee", "meeting", "date", "meeting date", "date of meeting", "report to", "decision maker"),
}
LABELS = {label: name for name, labels in FIELDS.items() for label in labels}
MEMBERS_RE = re.compile(r"\b(and )?members? affected$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
PHONE_RE = re.compile(r"^\+?[\d ()\-]{7,}$")
CONTACT_PREFIX_RE = re.compile(r"^(?:t|tel|telephone|phone|e|email|e-mail)\s*[:.]\s*", re.IGNORECASE)
YES, NO = ("yes", "y", "true"), ("no", "n", "false", "none", "not applicable", "n/a")


@dataclass
class Cover:
    """The report's settings as the cover states them, and the rows that fit no setting."""

    settings: dict[str, str | bool | int | list[str]] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)
    purpose: str = ""
    item: str = ""
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (label as printed, value)


def take(document: Document, first_numbered: BaseOxmlElement | None) -> Cover:
    """Read and remove the cover table and the "Label: value" lines before the report's first numbered paragraph."""
    cover = Cover()
    body = document.element.body
    front = _front(body, first_numbered)
    for element in front:
        if element.tag == qn("w:tbl") and _is_cover(rows := _rows(Table(element, document))):
            for label, value in rows:
                read_row(cover, label, value)
            body.remove(element)
            break
    for element in front:
        if element.tag == qn("w:p") and not _is_heading(element, document) and _read_line(cover, element):
            body.remove(element)
        elif element.tag == qn("w:p") and _is_heading(element, document):
            break
    return cover


def _front(body: BaseOxmlElement, first_numbered: BaseOxmlElement | None) -> list[BaseOxmlElement]:
    """The body's blocks before the first numbered paragraph (at most 40), where a cover can be."""
    front = []
    for element in body.iterchildren():
        if first_numbered is not None and (element is first_numbered or first_numbered in element.iter()):
            break
        front.append(element)
    return front[:40]


def _rows(table: Table) -> list[tuple[str, str]]:
    rows = []
    for row in table.rows:
        texts: list[str] = []
        for cell in row.cells:
            text = "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if not texts or text != texts[-1]:  # a merged cell is listed once for every column it spans
                texts.append(text)
        if texts and texts[0]:
            rows.append((texts[0], "\n".join(t for t in texts[1:] if t)))
    return rows


def _is_cover(rows: list[tuple[str, str]]) -> bool:
    known = sum(field_of(label) is not None for label, _ in rows)
    return known >= 2 and known * 2 >= len(rows)


def _is_heading(paragraph: BaseOxmlElement, document: Document) -> bool:
    found = find_all(paragraph, "./w:pPr/w:pStyle/@w:val")
    style_id = str(found[0]) if found else ""
    style = document.styles.element.get_by_id(style_id) if style_id else None
    name = (style.name_val or "").lower() if style is not None else ""
    return name == "title" or name.startswith("heading")


def _read_line(cover: Cover, paragraph: BaseOxmlElement) -> bool:
    """A line such as "Author: Grace Natoli" or "Report of the Corporate Director"; True when it was one."""
    text = " ".join("".join(find_all(paragraph, ".//w:t/text()")).split())
    report_of = re.match(r"^report (?:of|by|from) (?:the )?(.+)$", text, re.IGNORECASE)
    if report_of:
        cover.settings.setdefault("report_of", report_of.group(1).strip())
        return True
    if re.match(r"^report to .+$|^\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4}$", text, re.IGNORECASE):
        return True  # the meeting, which the folder already says
    pair = re.match(r"^([^:]{2,40}?)\s*:\s*(.+)$", text)
    if pair and field_of(pair.group(1)) is not None:
        read_row(cover, pair.group(1), pair.group(2))
        return True
    return False


def field_of(label: str) -> str | None:
    """The setting a cover label means ("Wards affected" → wards), or None."""
    words = re.sub(r"\((s)\)|/s\b", "", label.lower())
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", words).split())
    if MEMBERS_RE.search(words):
        words = MEMBERS_RE.sub("", words).strip()
    return LABELS.get(words)


def read_row(cover: Cover, label: str, value: str) -> None:
    """One row into the settings; a row that fits none, or whose value does not fit, is kept as unknown."""
    name = field_of(label)
    value = value.strip()
    if name is not None and (not value or _store(cover, name, value)):
        return
    cover.unknown.append((" ".join(label.split()).rstrip(":"), " ".join(value.split())))


def _store(cover: Cover, name: str, value: str) -> bool:
    flat = " ".join(value.split())
    if name in ("title", "report_of", "author"):
        cover.settings[name] = flat
    elif name == "contact":
        return _contact(cover, value)
    elif name.startswith("contact."):
        return _contact_part(cover, name.split(".", 1)[1], flat)
    elif name == "key_decision":
        return _yes_no(cover, name, flat)
    elif name == "wards":
        cover.settings["wards"] = [w.strip() for w in re.split(r"[,;\n]", value) if w.strip()]
    elif name == "purpose":
        cover.purpose = flat
    elif name == "item":
        match = re.match(r"^0*([1-9][0-9]{0,2}[a-z]?)\b", flat.lower())
        cover.item = match.group(1) if match else ""
        return bool(match)
    elif name == "access":
        return _access(cover, flat)
    return True  # "meeting": the folder says which meeting; nothing to keep


def _contact(cover: Cover, value: str) -> bool:
    """ "Jennifer Allen, Strategic Development Manager, T: 0115 977 2052, E: jennifer.allen@…" into its parts."""
    parts = [p.strip() for p in re.split(r"\n|,(?![^()]*\))", value) if p.strip()]
    for part in parts:
        plain = CONTACT_PREFIX_RE.sub("", part).strip()
        if EMAIL_RE.match(plain):
            cover.contact.setdefault("email", plain)
        elif PHONE_RE.match(plain):
            cover.contact.setdefault("phone", plain)
        elif "name" not in cover.contact:
            cover.contact["name"] = plain
        else:
            role = cover.contact.get("role")
            cover.contact["role"] = f"{role}, {plain}" if role else plain
    return True


def _contact_part(cover: Cover, part: str, value: str) -> bool:
    value = CONTACT_PREFIX_RE.sub("", value).strip()
    if part == "email" and not EMAIL_RE.match(value):
        return False
    cover.contact[part] = value
    return True


def _yes_no(cover: Cover, name: str, value: str) -> bool:
    word = re.split(r"[\s,.;:–-]+", value.lower(), maxsplit=1)[0]
    if word in YES or word in NO:
        cover.settings[name] = word in YES
        return True
    return False


def _access(cover: Cover, value: str) -> bool:
    """An exemption stated on the cover is kept: an imported paper must never lose its exempt mark."""
    lowered = value.lower()
    paragraph = re.search(r"paragraph\s+(\d{1,2})", lowered)
    if paragraph or lowered.split()[0] in YES:
        cover.settings["access"] = "exempt"
        if paragraph:
            cover.settings["exempt_paragraph"] = int(paragraph.group(1))
        return True
    return any(lowered.startswith(word) for word in NO)
