"""A meeting's agenda as its pages draw it: each item with its papers, what it asks and what was decided on it."""

from __future__ import annotations

from typing import Any

from ..content.body import Rendered
from ..content.model import AgendaItem, Meeting, Resolution
from . import summaries
from .planner import Planner
from .urls import item_anchor


def agenda_row(p: Planner, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    """An item with its papers (each with its appendices) and what its `ref:` points at."""
    papers = []
    for paper_id in item.papers:
        paper = p.site.papers[paper_id]
        appendices = [p.site.papers[a] for a in paper.appendices]
        papers.append({"paper": paper, "appendices": appendices})
    target = p.links.agenda_refs.get(item.key) if item.ref else None
    ref = p.urls.target(target)
    label = p.target_label(target) if ref else ""
    return {
        "item": item,
        "papers": papers,
        "ref_href": ref,
        "ref_label": label,
        "anchor": item_anchor(item.number),
        "backlinks": p.backlinks("item", item.key),
    }


def outcome_row(p: Planner, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    """An agenda row with what the item asks the committee to decide and, once made, the resolutions made on it."""
    row = agenda_row(p, meeting, item)
    row["asked"] = [asked for paper_id in item.papers if (asked := p.asked(p.site.papers[paper_id]))]
    row["decided"] = [
        {"resolution": r, "status": p.status(r), "short": summaries.first_words(_said(p, r))}
        for r in p.decisions_at(item)
    ]
    return row


def _said(p: Planner, resolution: Resolution) -> str:
    """What a resolution says, as its page shows it (a link to a withheld paper shows only its public title)."""
    minutes = p.site.minutes[f"{resolution.committee}/{resolution.meeting.isoformat()}"]
    shown = p.body(Rendered(html=resolution.html, refs=minutes.body.refs), minutes.source)
    return summaries.text(shown) if isinstance(shown, str) else ""
