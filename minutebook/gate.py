"""The publication gate: the full model in, the public model out. Every output derives from its result.

Exempt things keep only their existence, public title and Schedule 12A
paragraph; drafts and papers embargoed until a later date are dropped.
The preview keeps everything and marks it instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TypeVar

from .markdown import Rendered
from .model import AgendaItem, Meeting, Paper, Site

WITHHELD = Rendered(html="")
T = TypeVar("T")


def is_embargoed(publish_on: dt.date | None, today: dt.date) -> bool:
    return publish_on is not None and publish_on > today


def public_site(site: Site, today: dt.date) -> Site:
    """The model residents may see on `today`."""
    meetings = {
        k: _meeting(m) for k, m in site.meetings.items() if not m.draft and not is_embargoed(m.publish_on, today)
    }
    papers = {}
    for paper in site.papers.values():
        meeting_key = f"{paper.committee}/{paper.meeting.isoformat()}"
        if meeting_key not in meetings or paper.draft or is_embargoed(paper.publish_on, today):
            continue
        papers[paper.id] = paper
    papers = {k: p for k, p in papers.items() if not p.parent or p.parent in papers}
    papers = {k: _with(p, appendices=tuple(a for a in p.appendices if a in papers)) for k, p in papers.items()}
    papers, rename = _rekey_withheld(papers)
    meetings = {k: _with_papers(m, papers, rename) for k, m in meetings.items()}
    minutes = {
        k: m for k, m in site.minutes.items() if k in meetings and not m.draft and not is_embargoed(m.publish_on, today)
    }
    recorded = {key for m in minutes.values() for key in m.resolutions}
    resolutions = {k: _with(r, paper=rename.get(r.paper, "")) for k, r in site.resolutions.items() if k in recorded}
    return Site(dict(site.committees), meetings, papers, minutes, resolutions, dict(site.subjects))


def _with(value: T, **fields: object) -> T:
    """`replace`, but the same value when nothing would change: most of an archive passes the gate as it is."""
    if all(getattr(value, name) == new for name, new in fields.items()):
        return value
    return replace(value, **fields)


def _meeting(meeting: Meeting) -> Meeting:
    return _with(meeting, agenda=tuple(_item(item) for item in meeting.agenda))


def _item(item: AgendaItem) -> AgendaItem:
    if not item.access.exempt:
        return item
    return replace(item, title=item.access.public_title or "Exempt item", wards=(), ref=None)


def _with_papers(meeting: Meeting, papers: dict[str, Paper], rename: dict[str, str]) -> Meeting:
    agenda = tuple(
        _with(i, papers=tuple(rename[p] for p in i.papers if rename.get(p) in papers)) for i in meeting.agenda
    )
    return _with(meeting, agenda=agenda)


def _rekey_withheld(papers: dict[str, Paper]) -> tuple[dict[str, Paper], dict[str, str]]:
    """Exempt papers lose their file names too: a file name can say what the paper is about."""
    new_ids: dict[str, str] = {}
    for paper in sorted(papers.values(), key=lambda p: p.id):
        if paper.access.exempt:
            base = f"{paper.committee}/{paper.meeting.isoformat()}/{paper.item}-exempt"
            candidate, n = base, 2
            while candidate in new_ids.values() or candidate in papers:
                candidate, n = f"{base}-{n}", n + 1
            new_ids[paper.id] = candidate
    rename = lambda key: new_ids.get(key, key)  # noqa: E731
    result = {}
    for paper in papers.values():
        changed = _with(
            paper,
            id=rename(paper.id),
            parent=rename(paper.parent) if paper.parent else "",
            appendices=tuple(rename(a) for a in paper.appendices),
        )
        result[changed.id] = _withheld(changed) if paper.access.exempt else changed
    return result, {key: rename(key) for key in papers}


def _withheld(paper: Paper) -> Paper:
    """An exempt paper as the public may know it: that it exists, its public title, the ground."""
    title = paper.access.public_title or ("Exempt appendix" if paper.parent else "Exempt report")
    label = paper.appendix_label if paper.appendix_label.isdigit() else ""
    return replace(
        paper,
        title=title,
        report_of="",
        author="",
        contact=None,
        wards=(),
        subjects=(),
        body=WITHHELD,
        stem=paper.id.rsplit("/", 1)[1],
        source="",
        appendix_label=label,
        formerly=(),
    )


def withheld_titles(full: Site, public: Site, today: dt.date) -> dict[str, str]:
    """Exempt papers the public may know exist, by their full-model id: what a link to one shows instead."""
    titles = {}
    for paper in full.papers.values():
        meeting_key = f"{paper.committee}/{paper.meeting.isoformat()}"
        shown = meeting_key in public.meetings and not paper.draft and not is_embargoed(paper.publish_on, today)
        if paper.access.exempt and shown:
            titles[paper.id] = _withheld(paper).title
    return titles
