"""Feeds: Atom 1.0 feeds (RFC 4287) of published agendas, papers, minutes and decisions.

One feed of everything, one per committee (`feeds/<committee>.atom`) and one
per subject (`feeds/subjects/<subject>.atom`, a folder no committee's feed
can be, whatever its slug). An entry is dated when its document was
published: a paper by its `published` date, a resolution by that of the
minutes it is in (it is public from then, not from the meeting). Content
dates are days, so an entry's time is the start of that day in the
council's time zone, never the build clock. A resolution is called
"Resolution 2021/003" as on its own page; "decisions" names them together.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..content import numbering
from ..content.model import Site
from ..content.published import Published
from . import urls
from .extra import Extra

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 100
LABELS = MappingProxyType({"agenda": "Agenda", "paper": "Paper", "minutes": "Minutes", "decision": "Decision"})
EMPTY_FEED_UPDATED = dt.datetime(
    1970, 1, 1, tzinfo=dt.UTC
)  # a feed with no entries still needs a date, and not the build clock's
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


@dataclass(frozen=True)
class Entry:
    """One thing a resident may want to hear about, identified by its permanent page URL."""

    committee: str
    url: str  # site-relative page URL; with base_url it is the entry's link and id
    title: str
    summary: str
    published: dt.date
    updated: dt.date
    category: str  # agenda | paper | minutes | decision
    subjects: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        return (self.updated, self.published, self.url)


def feed_url(argument: str) -> str:
    """Where the feed of everything (""), of a committee ("<slug>") or of a subject ("subject:<slug>") is."""
    if argument.startswith("subject:"):
        return f"feeds/subjects/{argument.removeprefix('subject:')}.atom"
    return f"feeds/{argument or 'all'}.atom"


def extras(published: Published) -> list[Extra]:
    """feeds/all.atom, feeds/<committee>.atom and feeds/subjects/<subject>.atom, newest first, LIMIT entries each.

    Each is remade only when its entries or title changed (the configuration is in every output's key):
    entries are cheap to list, the XML is not.
    """
    chosen = _chosen(_newest_first(published.site))
    feeds = [("", *_about(published, ""))]
    feeds += [(slug, *_about(published, slug)) for slug in sorted(published.site.committees)]
    feeds += [(f"subject:{slug}", *_about(published, f"subject:{slug}")) for slug in sorted(published.site.subjects)]
    return [Extra(feed_url(a), "feeds", a, (chosen(a), home, title)) for a, home, title in feeds]


def make(published: Published, argument: str) -> bytes:
    """The feed of everything (""), of one committee ("<slug>") or of one subject ("subject:<slug>").

    Only the entries the feed can show are made: a committee's feed costs what its committee has published."""
    home, title = _about(published, argument)
    entries = _newest_first(published.site, _wanted(argument))[:LIMIT]
    return _feed(published, entries, feed_url(argument), home, title)


def _about(published: Published, argument: str) -> tuple[str, str]:
    """(the page a feed is the feed of, its title)."""
    if argument.startswith("subject:"):
        slug = argument.removeprefix("subject:")
        return urls.subject_url(slug), f"{published.site.subjects[slug].title}: new papers and decisions"
    if argument:
        return urls.committee_url(argument), f"{published.site.committees[argument].name}: new papers and decisions"
    return "", f"{published.config.title}: new papers and decisions"


Wanted = Callable[[str, tuple[str, ...]], bool]  # whether a feed shows an entry, by its committee and subjects


def _feeds_of(committee: str, subjects: tuple[str, ...]) -> list[str]:
    """The feeds that show an entry of one committee and these subjects: everything's, its committee's, and each
    of its subjects'. The one rule both a feed's key and its bytes follow."""
    return ["", committee, *(f"subject:{subject}" for subject in dict.fromkeys(subjects))]


def _wanted(argument: str) -> Wanted:
    return lambda committee, subjects: argument in _feeds_of(committee, subjects)


def _everything(committee: str, subjects: tuple[str, ...]) -> bool:
    return True


def _chosen(entries: list[Entry]) -> Callable[[str], list[Entry]]:
    """What each feed shows of `entries` (newest first): sorted into the feeds in one pass, not searched through
    once for every feed."""
    chosen: dict[str, list[Entry]] = {}
    for entry in entries:
        for argument in _feeds_of(entry.committee, entry.subjects):
            chosen.setdefault(argument, []).append(entry)
    return lambda argument: chosen.get(argument, [])[:LIMIT]


def _newest_first(site: Site, wanted: Wanted = _everything) -> list[Entry]:
    return sorted(collect(site, wanted), key=lambda e: e.order, reverse=True)


def collect(site: Site, wanted: Wanted = _everything) -> list[Entry]:
    """Every public agenda, paper with a page, minutes and resolution a feed shows: exempt papers have no page,
    so no entry."""
    return [*_agendas(site, wanted), *_papers(site, wanted), *_minutes(site, wanted), *_decisions(site, wanted)]


def _agendas(site: Site, wanted: Wanted) -> list[Entry]:
    """An agenda counts as changed when the clerk says (`updated`), else when it was scheduled, else its meeting day."""
    entries = []
    for meeting in site.meetings.values():
        if not wanted(meeting.committee, ()):
            continue
        committee = site.committees[meeting.committee].name
        updated = meeting.updated or meeting.publish_on or meeting.date  # an agenda is published before its meeting
        published = min(meeting.publish_on or updated, updated)
        status = "" if meeting.status in ("scheduled", "held") else f" ({meeting.status})"
        items = "; ".join(f"{i.number}. {i.title}" for i in meeting.agenda)
        entries.append(
            Entry(
                meeting.committee,
                urls.meeting_url(meeting.key),
                f"Agenda: {committee}, {_long(meeting.date)}{status}",
                f"Agenda for the meeting of {committee} on {_long(meeting.date)}. {items}".strip(),
                published,
                updated,
                "agenda",
            )
        )
    return entries


def _papers(site: Site, wanted: Wanted) -> list[Entry]:
    entries = []
    for paper in site.papers.values():
        if paper.access.exempt or not wanted(paper.committee, paper.subjects):
            continue
        committee = site.committees[paper.committee].name
        title = paper.title
        if paper.parent and paper.parent in site.papers:
            title = f"{_appendix(paper.appendix_label)} to {site.papers[paper.parent].title}: {paper.title}"
        by = f"Report of the {paper.report_of}, f" if paper.report_of else "F"
        summary = f"{by}or {committee} on {_long(paper.meeting)}, agenda item {paper.item}."
        entries.append(
            Entry(
                paper.committee,
                urls.paper_url(paper.id),
                title,
                summary,
                paper.published,
                paper.published,
                "paper",
                paper.subjects,
            )
        )
    return entries


def _appendix(label: str) -> str:
    return f"Appendix {label.upper()}" if label.isdigit() or len(label) == 1 else "Appendix"


def _minutes(site: Site, wanted: Wanted) -> list[Entry]:
    entries = []
    for key, minutes in site.minutes.items():
        if not wanted(minutes.committee, ()):
            continue
        committee = site.committees[minutes.committee].name
        state = "confirmed" if minutes.confirmed else "draft, subject to approval"
        updated = max(minutes.published, minutes.confirmed_on or minutes.published)
        entries.append(
            Entry(
                minutes.committee,
                urls.minutes_url(key),
                f"Minutes: {committee}, {_long(minutes.meeting)}",
                f"Minutes of the meeting of {committee} on {_long(minutes.meeting)} ({state}).",
                minutes.published,
                updated,
                "minutes",
            )
        )
    return entries


def _decisions(site: Site, wanted: Wanted) -> list[Entry]:
    """Each resolution, published with the minutes that hold it; an earlier record is no news, and has none."""
    entries = []
    for resolution in site.resolutions.values():
        if resolution.earlier is not None or not wanted(resolution.committee, resolution.subjects):
            continue
        committee = site.committees[resolution.committee].name
        minutes = site.minutes[f"{resolution.committee}/{resolution.meeting.isoformat()}"]
        entries.append(
            Entry(
                resolution.committee,
                urls.resolution_url(resolution),
                f"{resolution.label}: {resolution.title}"
                if numbering.is_resolution_style(resolution.number)
                else f"{resolution.label} of {resolution.meeting:%-d %B %Y}: {resolution.title}",
                f"{committee}, {_long(resolution.meeting)}, agenda item {resolution.item}. {resolution.text}".strip(),
                minutes.published,
                minutes.published,
                "decision",
                resolution.subjects,
            )
        )
    return entries


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _feed(published: Published, entries: list[Entry], path: str, home: str, title: str) -> bytes:
    config = published.config
    absolute = lambda url: urls.absolute_url(config.base_url, url)  # noqa: E731
    entries = entries[:LIMIT]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.organisation.language})
    _text(feed, "id", absolute(path))
    _text(feed, "title", title)
    zone = ZoneInfo(config.organisation.timezone)
    _text(feed, "updated", _stamp(entries[0].updated if entries else EMPTY_FEED_UPDATED, zone))
    _link(feed, absolute(path), "self", "application/atom+xml")
    _link(feed, absolute(home), "alternate", "text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", config.organisation.name)
    if config.organisation.website:
        _text(author, "uri", config.organisation.website)
    _text(feed, "generator", "Minutebook")
    for entry in entries:
        element = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(element, "id", absolute(entry.url))
        _text(element, "title", entry.title)
        _text(element, "published", _stamp(entry.published, zone))
        _text(element, "updated", _stamp(entry.updated, zone))
        _link(element, absolute(entry.url), "alternate", "text/html")
        ET.SubElement(element, f"{{{ATOM}}}category", {"term": entry.category, "label": LABELS[entry.category]})
        _text(element, "summary", entry.summary)
    ET.register_namespace("", ATOM)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = NOT_XML.sub("", value)


def _link(parent: ET.Element, href: str, rel: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": media_type, "href": href})


def _stamp(day: dt.date, zone: ZoneInfo) -> str:
    """Atom wants an instant, and content dates are days: the start of the day where the council is (a paper
    published on 1 June is dated 00:00 +01:00, not 01:00 of the day by UTC). A date and time is written as it is."""
    if isinstance(day, dt.datetime):
        moment = day if day.tzinfo is not None else day.replace(tzinfo=zone)
    else:
        moment = dt.datetime.combine(day, dt.time(0, 0), zone)
    return moment.isoformat()
