"""Minutes into the model: each minute's resolutions, with their settings, relations and the report they were on."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from . import numbering
from .body import ResolutionBlock
from .model import Meeting, Minutes, Relation, Resolution, Site
from .parsed import Parsed
from .schema import Record

RELATION_KINDS = ("amends", "supersedes", "rescinds", "refers_to")


def assemble(doc: Parsed, site: Site, pages: dict[str, Resolution], diagnostics: Diagnostics) -> None:
    """The minutes of one meeting and the resolutions in them, added to `site`."""
    committee, day = doc.parts
    path = doc.source.path
    key = f"{committee}/{day}"
    meeting = site.meetings.get(key)
    if meeting is None:
        diagnostics.error(path, 0, "has no meeting.md beside it: every meeting folder needs one")
        return
    r = doc.record
    numbers = [item.number for item in meeting.agenda]
    for section in doc.body.sections:
        if section.item not in numbers:
            diagnostics.error(
                path,
                section.line,
                f"minute '{section.item}. {section.title}' is for agenda item {section.item}, "
                "which is not on the agenda",
            )
    settings = doc.resolutions
    keys = []
    for block in doc.body.resolutions:
        resolution = _resolution(block, doc, meeting, settings.get(block.number), site, diagnostics)
        page = f"{resolution.committee}/{resolution.slug}"
        first = site.resolutions.get(resolution.key) or pages.get(page)
        if first is not None:
            diagnostics.error(path, block.line, _used_twice(block.number, first))
            continue
        site.resolutions[resolution.key] = resolution
        pages[page] = resolution
        keys.append(resolution.key)
    site.minutes[key] = Minutes(
        committee=committee,
        meeting=meeting.date,
        confirmed=r.get("status", "draft") == "confirmed",
        confirmed_on=r.get("confirmed_on"),
        body=doc.body,
        resolutions=tuple(keys),
        draft=r.get("draft", False),
        publish_on=r.get("publish_on"),
        published=r.get("published") or r.get("publish_on") or meeting.date,
        source=path,
    )


def _used_twice(number: str, first: Resolution) -> str:
    if numbering.per_meeting(number):
        return (
            f"minute {number} is already used in these minutes at line {first.line}; a minute number is used once "
            "in a meeting"
        )
    same = "" if first.number == number else f" ({first.number}: numbers differ only in punctuation)"
    return (
        f"resolution {number} is already used by this committee at {first.source}:{first.line}{same}; "
        "numbers must be unique within a committee"
    )


def _resolution(
    block: ResolutionBlock,
    doc: Parsed,
    meeting: Meeting,
    settings: Record | None,
    site: Site,
    diagnostics: Diagnostics,
) -> Resolution:
    settings = settings or Record()
    item = next((i for i in meeting.agenda if i.number == block.item), None)
    section = next((s for s in doc.body.sections if s.item == block.item), None)
    relations = tuple(
        Relation(kind, str(target), settings.line_of(kind))
        for kind in RELATION_KINDS
        for target in settings.get(kind, ())
    )
    paper = settings.get("paper") or (item.papers[0] if item and item.papers else "")
    return Resolution(
        committee=meeting.committee,
        number=block.number,
        meeting=meeting.date,
        item=block.item,
        title=settings.get("title") or (section.title if section else f"Resolution {block.number}"),
        html=block.html,
        text=block.text,
        subjects=tuple(settings.get("subjects", ())),
        relations=relations,
        paper=paper,
        source=doc.source.path,
        line=block.line,
    )
