"""The page of an earlier decision: one whose minutes are not on the site, at the address its number gives it.

It shows what a resolution's page shows that it has (wording, status, relations, subjects, what cites it),
and says plainly that its minutes are not here, with the council's own record when the clerk gave it.
"""

from __future__ import annotations

from ..content.body import Rendered
from ..content.model import Resolution
from .docpages import relations
from .planner import Page, Planner
from .urls import resolution_url


def page(p: Planner, resolution: Resolution) -> Page:
    record = resolution.earlier
    assert record is not None, "an earlier decision's page is drawn for earlier decisions only"
    committee = p.site.committees[resolution.committee]
    return Page(
        resolution_url(resolution),
        "earlier.html",
        {
            "committee": committee,
            "resolution": resolution,
            "html": p.body(Rendered(html=resolution.html, refs=record.refs), resolution.source),
            "old_record": record.old_record,
            "before_records": before_records(p, resolution),
            "meeting": p.meeting_on(resolution),
            "status": p.status(resolution),
            "relations": relations(p, resolution),
            "backlinks": [b for b in p.backlinks("resolution", resolution.key) if b["relation"] == "refers"],
            "subjects": [p.site.subjects[s] for s in resolution.subjects if s in p.site.subjects],
            "crumbs": p.crumbs(
                ("Committees", p.urls.href("committees/")),
                p.committee_crumb(resolution.committee),
                ("Decisions", p.urls.href(f"committees/{resolution.committee}/resolutions/")),
            ),
            "draft_banner": p.banner(record.draft, record.publish_on),
        },
    )


def before_records(p: Planner, resolution: Resolution) -> bool:
    """Whether it was made before the committee's first meeting on the site (so "before its records begin")."""
    meetings = p.meetings_of(resolution.committee)
    return not meetings or resolution.meeting < meetings[0].date
