"""The pages of the council's documents: a meeting, its agenda pack, a paper, the minutes, a resolution."""

from __future__ import annotations

from ..content.body import Rendered
from ..content.model import Meeting, Minutes, Paper, Resolution
from ..content.numbering import block_anchor
from ..content.references import resolution_key
from . import packs
from .agenda import outcome_row
from .planner import Page, Planner, ShownBody
from .urls import meeting_url, minutes_url, pack_pdf_url, pack_url, paper_url, resolution_url

JUMP_LIST_FROM = 4  # minutes with more minutes than this open with a list of them, by item


def meeting(p: Planner, meeting: Meeting) -> Page:
    minutes = p.site.minutes.get(meeting.key)
    pdf = packs.wants_pdf(p, meeting) and packs.has_pack(p, meeting)
    return Page(
        meeting_url(meeting.key),
        "meeting.html",
        {
            "committee": p.site.committees[meeting.committee],
            "meeting": meeting,
            "upcoming": p.upcoming_meeting(meeting),
            "items": [outcome_row(p, meeting, item) for item in meeting.agenda],
            "minutes": minutes,
            "notes": p.body(meeting.notes, meeting.source),
            "decisions": _unlisted(p, meeting, minutes),
            "pack_href": p.urls.href(pack_url(meeting.key)) if packs.has_pack(p, meeting) else None,
            "pdf": {"href": p.urls.href(pack_pdf_url(meeting.key)), "path": pack_pdf_url(meeting.key)} if pdf else None,
            "backlinks": p.backlinks("meeting", meeting.key),
            "crumbs": p.crumbs(("Committees", p.urls.href("committees/")), p.committee_crumb(meeting.committee)),
            "draft_banner": p.banner(meeting.draft, meeting.publish_on),
        },
        sizes=(pack_pdf_url(meeting.key),) if pdf else (),
    )


def _unlisted(p: Planner, meeting: Meeting, minutes: Minutes | None) -> list[Resolution]:
    """The meeting's resolutions that no agenda item shows (their minute's number is not on the agenda)."""
    numbers = {item.number for item in meeting.agenda}
    made = [p.site.resolutions[k] for k in minutes.resolutions] if minutes else []
    return [r for r in made if r.item not in numbers]


def paper(p: Planner, paper: Paper) -> Page:
    meeting = p.meeting_of(paper)
    item = next((i for i in meeting.agenda if i.number == paper.item), None)
    parent = p.site.papers.get(paper.parent) if paper.parent else None
    crumbs = [("Committees", p.urls.href("committees/")), p.committee_crumb(paper.committee), p.meeting_crumb(meeting)]
    if parent is not None:
        crumbs.append((f"Item {parent.item}", p.urls.href(paper_url(parent.id))))
    return Page(
        paper_url(paper.id),
        "paper.html",
        {
            "committee": p.site.committees[paper.committee],
            "meeting": meeting,
            "item": item,
            "paper": paper,
            "parent": parent,
            "html": p.body(paper.body, paper.source),
            "appendices": [p.site.papers[a] for a in paper.appendices],
            "decisions": p.decisions_on(paper),
            "status": {r.key: p.status(r) for r in p.decisions_on(paper)},
            "asked": p.asked(paper),
            "upcoming": p.upcoming_meeting(meeting),
            "backlinks": p.backlinks("paper", paper.id),
            "subjects": [p.site.subjects[s] for s in paper.subjects if s in p.site.subjects],
            "crumbs": p.crumbs(*crumbs),
            "draft_banner": p.banner(paper.draft, paper.publish_on),
            "exempt_banner": paper.access.exempt,
        },
    )


def redirect(p: Planner, pair: tuple[str, str]) -> Page:
    """A renamed paper keeps its old address: a page there sends readers on to the new one."""
    paper = p.site.papers[pair[0]]
    target = p.urls.href(paper_url(paper.id))
    return Page(paper_url(pair[1]), "redirect.html", {"paper": paper, "target": target, "crumbs": []})


def redirected(p: Planner) -> list[tuple[str, str]]:
    """(paper id, former id) for each old address of a renamed paper that no paper uses now."""
    out = []
    for paper in p.site.papers.values():
        if not p.has_page(paper):
            continue
        for old in paper.formerly:
            old_id = f"{paper.committee}/{paper.meeting.isoformat()}/{old}"
            if old_id not in p.site.papers:
                out.append((paper.id, old_id))
    return out


def minutes(p: Planner, minutes: Minutes) -> Page:
    key = f"{minutes.committee}/{minutes.meeting.isoformat()}"
    meeting = p.site.meetings[key]
    return Page(
        minutes_url(key),
        "minutes.html",
        {
            "committee": p.site.committees[minutes.committee],
            "meeting": meeting,
            "minutes": minutes,
            "html": p.body(minutes.body, minutes.source),
            "decisions": [p.site.resolutions[k] for k in minutes.resolutions],
            "jump": minutes.body.sections if len(minutes.body.sections) > JUMP_LIST_FROM else (),
            "backlinks": p.backlinks("minutes", key),
            "crumbs": p.crumbs(
                ("Committees", p.urls.href("committees/")),
                p.committee_crumb(minutes.committee),
                p.meeting_crumb(meeting),
            ),
            "draft_banner": p.banner(minutes.draft, minutes.publish_on),
        },
    )


def resolution(p: Planner, resolution: Resolution) -> Page:
    key = f"{resolution.committee}/{resolution.meeting.isoformat()}"
    meeting = p.site.meetings[key]
    item = next((i for i in meeting.agenda if i.number == resolution.item), None)
    paper = p.site.papers.get(resolution.paper)
    minutes = p.site.minutes[key]
    refs = p.links.resolved.get(minutes.source, [])
    block_refs = [
        (ref, t) for ref, t in zip(minutes.body.refs, refs, strict=False) if ref.resolution == resolution.number
    ]
    return Page(
        resolution_url(resolution),
        "resolution.html",
        {
            "committee": p.site.committees[resolution.committee],
            "meeting": meeting,
            "item": item,
            "resolution": resolution,
            "html": p.body(Rendered(html=resolution.html, refs=minutes.body.refs), minutes.source),
            "paper": paper,
            "paper_href": p.paper_href(paper) if paper else None,
            "recommendations": _recommendations(p, paper) if paper else "",
            "status": p.links.status.get(resolution.key, "in force"),
            "relations": relations(p, resolution),
            "backlinks": [b for b in p.backlinks("resolution", resolution.key) if b["relation"] == "refers"],
            "subjects": [p.site.subjects[s] for s in resolution.subjects if s in p.site.subjects],
            "minutes_href": p.urls.href(minutes_url(key)) + f"#{block_anchor(resolution.number)}",
            "block_refs": block_refs,
            "crumbs": p.crumbs(
                ("Committees", p.urls.href("committees/")),
                p.committee_crumb(resolution.committee),
                ("Decisions", p.urls.href(f"committees/{resolution.committee}/resolutions/")),
            ),
        },
    )


def _recommendations(p: Planner, paper: Paper) -> ShownBody | str:
    """The recommendations of the report a decision was made on, as the report printed them."""
    if paper.access.exempt and not p.urls.preview:
        return ""
    return p.body(Rendered(html=paper.body.recommendations_html, refs=paper.body.refs), paper.source)


def relations(p: Planner, resolution: Resolution) -> dict[str, dict[str, list[Resolution]]]:
    """What a decision amends, supersedes, rescinds or refers to, and what later decisions say of it."""
    site = p.site
    outgoing: dict[str, list[Resolution]] = {}
    for relation in resolution.relations:
        target = resolution_key(relation.target, resolution.committee, resolution.meeting.isoformat())
        if target in site.resolutions:
            outgoing.setdefault(relation.kind, []).append(site.resolutions[target])
    incoming: dict[str, list[Resolution]] = {}
    for link in p.links.backlinks.get(("resolution", resolution.key), ()):
        if link.source_kind == "resolution" and link.source_key in site.resolutions:
            incoming.setdefault(link.relation, []).append(site.resolutions[link.source_key])
    return {"outgoing": outgoing, "incoming": incoming}
