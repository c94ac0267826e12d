"""The publication gate: the full model in, the public model out. Every output derives from its result.

What is withheld is decided by the publication rule (minutebook.publication);
the gate carries the decision out. Exempt things keep only their existence,
public title and Schedule 12A paragraph; hidden things (drafts, scheduled,
and everything filed under them) are dropped. The preview keeps everything
and marks it instead, exemption inherited from an item or report included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, TypeVar

from .body import Rendered
from .model import Access, AgendaItem, Meeting, Paper, Resolution, Site
from .publication import Withheld, decide, exemptions, is_embargoed

WITHHELD = Rendered(html="")
T = TypeVar("T", Meeting, AgendaItem, Paper, Resolution)

__all__ = ("WITHHELD", "is_embargoed", "preview_site", "public_site", "withheld_titles")


def public_site(site: Site, today: dt.date, withheld: Withheld | None = None) -> Site:
    """The model residents may see on `today`."""
    withheld = decide(site, today) if withheld is None else withheld
    meetings = {k: _meeting(m, withheld) for k, m in site.meetings.items() if k not in withheld.meetings}
    kept = {k: p for k, p in site.papers.items() if k not in withheld.papers}
    kept = {k: _with(p, appendices=tuple(a for a in p.appendices if a in kept)) for k, p in kept.items()}
    rename = {key: withheld.public_ids.get(key, key) for key in kept}
    papers = {rename[k]: _public_paper(p, withheld, rename) for k, p in kept.items()}
    meetings = {k: _with_papers(m, papers, rename) for k, m in meetings.items()}
    minutes = {k: m for k, m in site.minutes.items() if k in meetings and k not in withheld.minutes}
    recorded = {key for m in minutes.values() for key in m.resolutions}
    recorded |= {k for k, r in site.resolutions.items() if r.earlier is not None and k not in withheld.records}
    resolutions = {k: _with(r, paper=rename.get(r.paper, "")) for k, r in site.resolutions.items() if k in recorded}
    return Site(dict(site.committees), meetings, papers, minutes, resolutions, dict(site.subjects))


def preview_site(site: Site) -> Site:
    """The clerk's preview: everything, with each paper marked by the exemption it has, its own or inherited."""
    exempt = exemptions(site)
    papers = {k: _with(p, access=exempt.get(k, p.access)) for k, p in site.papers.items()}
    return replace(site, papers=papers)


def _with(value: T, **fields: Any) -> T:
    """`replace`, but the same value when nothing would change: most of an archive passes the gate as it is."""
    if all(getattr(value, name) == new for name, new in fields.items()):
        return value
    return replace(value, **fields)


def _meeting(meeting: Meeting, withheld: Withheld) -> Meeting:
    agenda = tuple(_item(item, withheld) for item in meeting.agenda if item.key not in withheld.items)
    return _with(meeting, agenda=agenda)


def _item(item: AgendaItem, withheld: Withheld) -> AgendaItem:
    if item.key not in withheld.exempt_items:
        return item
    return replace(item, title=item.access.public_title or "Exempt item", wards=(), ref=None)


def _with_papers(meeting: Meeting, papers: dict[str, Paper], rename: dict[str, str]) -> Meeting:
    agenda = tuple(
        _with(i, papers=tuple(rename[p] for p in i.papers if rename.get(p) in papers)) for i in meeting.agenda
    )
    return _with(meeting, agenda=agenda)


def _public_paper(paper: Paper, withheld: Withheld, rename: dict[str, str]) -> Paper:
    """A public paper as it is, under its public id; an exempt one reduced to what the public may know."""
    access = withheld.exempt.get(paper.id)
    renamed = _with(
        paper,
        id=rename[paper.id],
        parent=rename.get(paper.parent, paper.parent) if paper.parent else "",
        appendices=tuple(rename.get(a, a) for a in paper.appendices),
    )
    return renamed if access is None else _reduced(renamed, access)


def _reduced(paper: Paper, access: Access) -> Paper:
    """An exempt paper as the public may know it: that it exists, its public title, the ground."""
    title = public_title(paper, access)
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
        access=Access(True, access.paragraph, access.public_title, access.public_description),
    )


def public_title(paper: Paper, access: Access) -> str:
    """What residents see of an exempt paper: the clerk's public title, else what kind of paper it is."""
    return access.public_title or ("Exempt appendix" if paper.parent else "Exempt report")


def withheld_titles(full: Site, withheld: Withheld) -> dict[str, str]:
    """Exempt papers the public may know exist, by their full-model id: what a link to one shows instead."""
    return {paper_id: public_title(full.papers[paper_id], access) for paper_id, access in withheld.exempt.items()}
