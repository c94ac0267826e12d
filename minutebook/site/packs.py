"""The agenda pack: the agenda and every public paper on one printable page, and the same page as a PDF.

A pack holds, in agenda order, each item's papers and their appendices and,
where an item confirms the minutes of an earlier meeting (`kind: minutes`
with `ref: minutes:<date>`), those minutes, as a printed pack does. A
meeting with nothing to put in a pack (no paper with a page, no minutes to
confirm) has no pack. The PDF is made from the pack page's own HTML
(site.pdfpack) for the meetings `[packs] pdf` asks for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content.config import Config
from ..content.model import PUBLIC, Access, AgendaItem, Meeting, Minutes, Paper
from ..content.published import Published
from .agenda import agenda_row
from .extra import Extra
from .planner import Page, Planner
from .urls import meeting_label, minutes_url, pack_pdf_url, pack_url, paper_url

SiteFiles = Callable[[str], bytes | None]  # as site.pdfpack reads the site's own files


@dataclass(frozen=True)
class PackMinutes:
    """Minutes in a pack, answering what a pack template reads of a paper (a council's copy of an older
    pack.html reads `s.paper`): a title, where its page is (`paper_url(id)`), no parent, nothing withheld."""

    id: str  # committee/date/minutes: paper_url(id) is the minutes' page
    title: str
    parent: str = ""
    appendix_label: str = ""
    report_of: str = ""
    access: Access = PUBLIC


def sections(p: Planner, meeting: Meeting) -> list[dict[str, Any]]:
    """Every document of the pack in agenda order: (item, caption, title, where it is on the site, its body)."""
    found: list[dict[str, Any]] = []
    for item in meeting.agenda:
        if (minutes := confirmed_minutes(p, item)) is not None:
            found.append(_minutes_section(p, item, minutes, f"p{item.number}-{len(found) + 1}-"))
        for paper_id in item.papers:
            report = p.site.papers[paper_id]
            for part in [report, *(p.site.papers[a] for a in report.appendices)]:
                found.append(_paper_section(p, item, part, f"p{item.number}-{len(found) + 1}-"))
    return found


def has_pack(p: Planner, meeting: Meeting) -> bool:
    """A pack is offered when it would hold something to read: a paper with a page, or minutes to confirm."""
    for item in meeting.agenda:
        if confirmed_minutes(p, item) is not None:
            return True
        if any(p.has_page(p.site.papers[paper_id]) for paper_id in item.papers):
            return True
    return False


def confirmed_minutes(p: Planner, item: AgendaItem) -> Minutes | None:
    """The published minutes an agenda item of kind `minutes` confirms (its `ref: minutes:<date>`), if any."""
    if item.kind != "minutes" or item.ref is None:
        return None
    target = p.links.agenda_refs.get(item.key)
    if target is None or target.kind != "minutes":
        return None
    return p.site.minutes.get(target.key)


def _paper_section(p: Planner, item: AgendaItem, paper: Paper, prefix: str) -> dict[str, Any]:
    label = f"Appendix {paper.appendix_label.upper()}" if paper.parent else "Report"
    caption = f"Item {item.number}, {label}" if paper.parent else f"Item {item.number}"
    shown = p.body(paper.body, paper.source, prefix) if p.has_page(paper) else ""
    return {
        "item": item,
        "paper": paper,
        "caption": caption,
        "label": label,
        "title": paper.title,
        "url": paper_url(paper.id),
        "report_of": paper.report_of,
        "prefix": prefix,
        "html": shown,
    }


def _minutes_section(p: Planner, item: AgendaItem, minutes: Minutes, prefix: str) -> dict[str, Any]:
    key = f"{minutes.committee}/{minutes.meeting.isoformat()}"
    meeting = p.site.meetings[key]
    state = "" if minutes.confirmed else " (draft, for confirmation)"
    title = f"Minutes of the meeting held on {meeting_label(meeting)}{state}"
    return {
        "item": item,
        "paper": PackMinutes(f"{key}/minutes", title),
        "minutes": minutes,
        "meeting": meeting,
        "caption": f"Item {item.number}",
        "label": "Minutes",
        "title": title,
        "url": minutes_url(key),
        "report_of": "",
        "prefix": prefix,
        "html": p.body(minutes.body, minutes.source, prefix),
    }


def pack(p: Planner, meeting: Meeting) -> Page:
    return Page(
        pack_url(meeting.key),
        "pack.html",
        {
            "committee": p.site.committees[meeting.committee],
            "meeting": meeting,
            "items": [agenda_row(p, meeting, i) for i in meeting.agenda],
            "sections": sections(p, meeting),
            "notes": p.body(meeting.notes, meeting.source, "notes-"),
            "pdf_href": p.urls.href(pack_pdf_url(meeting.key)) if wants_pdf(p, meeting) else None,
            "crumbs": p.crumbs(
                ("Committees", p.urls.href("committees/")),
                p.committee_crumb(meeting.committee),
                p.meeting_crumb(meeting),
            ),
        },
    )


def wants_pdf(p: Planner, meeting: Meeting) -> bool:
    """Whether this build makes the meeting's pack as a PDF: `[packs] pdf` decides; the preview makes none."""
    return p.pdfs and _wanted(p.config, p.preview, p.today, meeting)


def _wanted(config: Config, preview: bool, today: dt.date, meeting: Meeting) -> bool:
    return not preview and config.packs.wants_pdf(meeting.date, today)


def extras(published: Published, packs: list[str]) -> list[Extra]:
    """The PDF of each pack (`packs`: the meetings that have one) the settings ask for, made from its page."""

    def wanted(key: str) -> bool:
        return _wanted(published.config, published.preview, published.today, published.site.meetings[key])

    return [Extra(pack_pdf_url(key), "pdf", key, None, page=("pack", key)) for key in packs if wanted(key)]


def make(key: str, page_html: bytes, files: SiteFiles, address: str) -> bytes:
    """The PDF of one pack, from the bytes of its page, with the site's own files for its stylesheet; `address`
    is the site's address as the page links to it, so the PDF's links lead to the site.

    WeasyPrint takes seconds to load, so only a build that makes a PDF loads it."""
    from . import pdfpack

    return pdfpack.make_pdf(page_html, address, files, page=pack_url(key))
