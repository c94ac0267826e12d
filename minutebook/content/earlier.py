"""Earlier decisions into the model: each decision recorded in a file of its own, as a resolution of its committee.

A report may cite a decision whose minutes will never be on the site (made
years before it starts). Recorded in content/committees/<c>/decisions/, it
is keyed, numbered and related exactly as a decision in minutes is, so every
reference to it resolves and every backlink works both ways. Its number is
its committee's like any other: one used by minutes or another record too is
an error naming both files.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from . import numbering
from .minutes import RELATION_KINDS
from .model import EarlierRecord, Relation, Resolution, Site
from .parsed import Parsed
from .schema import Record


def assemble(doc: Parsed, site: Site, pages: dict[str, Resolution], diagnostics: Diagnostics) -> None:
    """One earlier decision added to `site`, after every set of minutes (whose numbers it must not take)."""
    committee = doc.parts[0]
    path, r = doc.source.path, doc.record
    if committee not in site.committees:
        diagnostics.error(path, 0, f"no committee '{committee}': expected content/committees/{committee}/committee.md")
        return
    if r.get("number") is None or r.get("date") is None:
        return  # the schema reported it
    resolution = _resolution(doc, committee, r)
    page = f"{committee}/{resolution.slug}"
    first = site.resolutions.get(resolution.key) or pages.get(page)
    if first is not None:
        diagnostics.error(path, resolution.line, _taken(resolution, first))
        return
    minutes = site.minutes.get(f"{committee}/{resolution.meeting.isoformat()}")
    if minutes is not None:
        diagnostics.error(
            path,
            r.line_of("date"),
            f"the minutes of {resolution.meeting:%-d %B %Y} are on this site ({minutes.source}): a decision made "
            f"at that meeting belongs in them, as '::: resolved {resolution.number}'; a file in decisions/ is for a "
            "decision whose minutes are not on the site",
        )
        return
    site.resolutions[resolution.key] = resolution
    pages[page] = resolution


def _resolution(doc: Parsed, committee: str, r: Record) -> Resolution:
    block = doc.body.resolutions[0] if doc.body.resolutions else None
    return Resolution(
        committee=committee,
        number=r["number"],
        meeting=r["date"],
        item="",
        title=r.get("title", r["number"]),
        html=block.html if block else "",
        text=block.text if block else "",
        subjects=tuple(r.get("subjects", ())),
        relations=tuple(
            Relation(kind, str(target), r.line_of(kind)) for kind in RELATION_KINDS for target in r.get(kind, ())
        ),
        paper="",
        source=doc.source.path,
        line=r.line_of("number"),
        earlier=EarlierRecord(r.get("record", ""), doc.body.refs, r.get("draft", False), r.get("publish_on")),
    )


def _taken(resolution: Resolution, first: Resolution) -> str:
    """Whose the number already is: a decision in minutes on the site, or another record."""
    what = f"resolution {resolution.number}"
    if numbering.per_meeting(resolution.number):
        what = f"minute {resolution.number} of {resolution.meeting:%-d %B %Y}"
    same = "" if first.number == resolution.number else f" ({first.number}: numbers differ only in punctuation)"
    if first.earlier is None:
        return (
            f"{what} is already a resolution in the minutes at {first.source}:{first.line}{same}; a decision whose "
            "minutes are on the site needs no record of its own: remove this file, or correct its number"
        )
    return (
        f"{what} is already recorded in {first.source}:{first.line}{same}; numbers must be unique within a "
        "committee: remove one of the two files, or correct its number"
    )
