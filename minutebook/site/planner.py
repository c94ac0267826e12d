"""What every page's planning shares: the published site, its links, and the lists and labels pages show.

A page is planned as a `Page`: where it goes, which template draws it and
its context, made of model values and small derived lists. A document's body
appears in a context as a `ShownBody` — where its HTML is read from and what
its links become — and is read from the body store only when the page is
rendered, so planning every page of an archive reads no body at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content import numbering
from ..content.body import Rendered, finish
from ..content.model import AgendaItem, Committee, Meeting, Paper, Resolution, Site
from ..content.publication import is_embargoed
from ..content.published import Published
from ..content.references import Backlink, Links, Target, resolution_key
from . import summaries
from .reads import Read, Reads, Recorded
from .urls import (
    Link,
    Urls,
    committee_url,
    has_page,
    item_anchor,
    meeting_label,
    meeting_url,
    minutes_url,
    output_path,
    paper_url,
    resolution_url,
)

Context = dict[str, Any]


@dataclass(frozen=True)
class ShownBody:
    """A document's body as one page shows it; its HTML waits in the body store until the page is rendered.

    A page's key covers the body by its source's digest (see build.plan), so an edit to the body re-renders
    exactly the pages that show it.
    """

    source: str
    links: tuple[Link, ...]
    prefix: str = ""

    def finish(self, html: str) -> str:
        """The body's HTML, read from the store, with this page's links and ids filled in."""
        return finish(html, self.links, self.prefix)


@dataclass(frozen=True)
class Page:
    """One page: where it goes, which template draws it, and exactly what it shows."""

    url: str  # site-relative, e.g. committees/x/ (a folder) or 404.html
    template: str
    context: Context = field(default_factory=dict)
    sizes: tuple[str, ...] = ()  # other output files whose size it prints ("PDF, 1.2 MB"): it is made after them

    @property
    def path(self) -> str:
        return output_path(self.url)


class Planner:
    """The published site with the indexes every page's planning reads, built once per build.

    Page code sees the site, its links and these indexes only through `Recorded` views, so what each page
    read is known (`reads`): a page whose reads are unchanged need not be planned again (build.plan).
    """

    def __init__(
        self, published: Published, base: str, pdfs: bool = True, sources: Mapping[str, Mapping[Any, Any]] | None = None
    ) -> None:
        """`pdfs`: whether this build makes the agenda packs' PDFs (a check, which writes nothing, makes none);
        `sources`: what `readable` gives for `published`, when it was worked out already."""
        self.pdfs = pdfs
        self.config = published.config
        self.today, self.preview = published.today, published.preview
        self.reads = Reads()
        self.sources = readable(published) if sources is None else sources  # every mapping pages read, by name
        view: dict[str, Any] = {name: Recorded(name, data, self.reads) for name, data in self.sources.items()}
        self.site: Site = Site(**{f.name: view[f.name] for f in dataclasses.fields(Site)})
        self.links: Links = Links(**{f.name: view[f.name] for f in dataclasses.fields(Links)})
        self.urls = Urls(self.site, base, published.today, published.preview, view["withheld"])
        self._decisions = view["decisions"]  # by paper, once: per paper it costs the square of all
        self._made_on = view["made_on"]  # by agenda item
        self._papers_on, self._decided_on = view["papers_on"], view["decided_on"]  # by subject
        self._asked: dict[str, tuple[dict[str, Any] | None, tuple[Read, ...]]] = {}  # by paper: two pages show it

    def has_page(self, paper: Paper) -> bool:
        return has_page(paper, self.urls.preview)

    def body(self, rendered: Rendered, source: str, prefix: str = "") -> ShownBody | str:
        """How a page shows a document's body: read from the store when rendered, or "" for an empty one."""
        if rendered.stored is None and not rendered.html:
            return ""
        links = self.urls.body_links(rendered, self.links.resolved.get(source, []))
        if rendered.stored is None:  # a body kept in the model (a planted or generated one): finished now
            return finish(rendered.html, links, prefix)
        return ShownBody(source, links, prefix)

    # lists -------------------------------------------------------------------------

    def committees(self) -> list[Committee]:
        return sorted(self.site.committees.values(), key=lambda c: c.name)

    def meetings_of(self, slug: str | None = None) -> list[Meeting]:
        meetings = [m for m in self.site.meetings.values() if slug is None or m.committee == slug]
        return sorted(meetings, key=lambda m: (m.date, m.time, m.committee))

    def upcoming(self, slug: str | None = None) -> list[Meeting]:
        return [m for m in self.meetings_of(slug) if m.date >= self.urls.today]

    def past_by_year(self, slug: str | None = None) -> list[tuple[int, list[Meeting]]]:
        years: dict[int, list[Meeting]] = {}
        for meeting in reversed(self.meetings_of(slug)):
            if meeting.date < self.urls.today:
                years.setdefault(meeting.date.year, []).append(meeting)
        return sorted(years.items(), reverse=True)

    def resolutions_of(self, slug: str | None = None) -> list[Resolution]:
        items = [r for r in self.site.resolutions.values() if slug is None or r.committee == slug]
        return sorted(items, key=lambda r: (r.meeting, r.number), reverse=True)

    def recent_decisions(self, slug: str | None = None) -> list[Resolution]:
        """The decisions made in minutes on the site, newest first: an earlier record is no news."""
        return [r for r in self.resolutions_of(slug) if r.earlier is None]

    def decisions_on(self, paper: Paper) -> list[Resolution]:
        return sorted(self._resolutions(self._decisions.get(paper.id, ())), key=lambda r: r.number)

    def papers_on(self, slug: str) -> list[Paper]:
        """The papers on a subject, in the site's order (a subject's page sorts them)."""
        return [self.site.papers[key] for key in self._papers_on.get(slug, ())]

    def decided_on(self, slug: str) -> list[Resolution]:
        """The decisions on a subject, in the site's order."""
        return self._resolutions(self._decided_on.get(slug, ()))

    def decisions_at(self, item: AgendaItem) -> list[Resolution]:
        """The resolutions made on an agenda item, in number order."""
        return sorted(self._resolutions(self._made_on.get(item.key, ())), key=lambda r: r.number)

    def _resolutions(self, keys: Iterable[str]) -> list[Resolution]:
        return [self.site.resolutions[key] for key in keys]

    def status(self, resolution: Resolution) -> str:
        return self.links.status.get(resolution.key, "in force")

    def upcoming_meeting(self, meeting: Meeting) -> bool:
        return meeting.date >= self.urls.today

    def meeting_of(self, paper: Paper | Resolution) -> Meeting:
        day = paper.meeting.isoformat()
        return self.site.meetings[f"{paper.committee}/{day}"]

    def meeting_on(self, resolution: Resolution) -> Meeting | None:
        """The meeting a decision was made at, when the site has it (an earlier record's may not be here)."""
        return self.site.meetings.get(f"{resolution.committee}/{resolution.meeting.isoformat()}")

    # crumbs and labels -------------------------------------------------------------

    def crumbs(self, *trail: tuple[str, str]) -> list[tuple[str, str]]:
        return [("Home", self.urls.href("")), *trail]

    def committee_crumb(self, slug: str) -> tuple[str, str]:
        return (self.site.committees[slug].name, self.urls.href(committee_url(slug)))

    def meeting_crumb(self, meeting: Meeting) -> tuple[str, str]:
        return (meeting_label(meeting), self.urls.href(meeting_url(meeting.key)))

    def asked(self, paper: Paper) -> dict[str, Any] | None:
        """A report's recommendations in short, linked to them in full on its page; None when it makes none
        public. Read from the HTML as the page shows it, once per report however many pages show it."""
        return self.reads.once(self._asked, paper.id, lambda: self._asked_of(paper))

    def _asked_of(self, paper: Paper) -> dict[str, Any] | None:
        href = self.paper_href(paper)
        if href is None or paper.parent or not paper.body.recommendations_html:
            return None
        shown = self.body(Rendered(html=paper.body.recommendations_html, refs=paper.body.refs), paper.source)
        short = summaries.recommendations(shown) if isinstance(shown, str) else None
        return None if short is None else {"paper": paper, "short": short, "href": href + "#recommendations"}

    def paper_href(self, paper: Paper) -> str | None:
        return self.urls.href(paper_url(paper.id)) if self.has_page(paper) else None

    def banner(self, draft: bool, publish_on: dt.date | None) -> str:
        """What the clerk's preview says of a draft or scheduled document; the public site shows none."""
        if not self.urls.preview:
            return ""
        if draft:
            return "Draft — not published"
        if publish_on is not None and is_embargoed(publish_on, self.urls.today):
            return f"Scheduled for {publish_on:%-d %B %Y} — not yet published"
        return ""

    def target_label(self, target: Target | None) -> str:
        """How a reference's target is named in a listing ("Minutes of 11 January 2021")."""
        site = self.site
        if target is None:
            return ""
        if target.kind == "resolution" and target.key in site.resolutions:
            resolution = site.resolutions[target.key]
            return f"{resolution.label}: {resolution.title}"
        if target.kind in ("meeting", "minutes") and target.key in site.meetings:
            meeting = site.meetings[target.key]
            prefix = "Minutes of the meeting on" if target.kind == "minutes" else "Meeting on"
            return f"{prefix} {meeting_label(meeting)}"
        if target.kind == "paper" and target.key in site.papers:
            return site.papers[target.key].title
        if target.kind == "item":
            return self._item_label(target.key)
        if target.kind == "subject" and target.key in site.subjects:
            return site.subjects[target.key].title
        return target.key

    def _item_label(self, key: str) -> str:
        """ "Agenda item 6, 11 January 2021: Service Improvement Programme" (the public title of an exempt item)."""
        meeting_key, number = key.rsplit("/", 1)
        meeting = self.site.meetings.get(meeting_key)
        item = next((i for i in meeting.agenda if i.number == number), None) if meeting else None
        if meeting is None or item is None:
            return f"Agenda item {number}"
        return f"Agenda item {number}, {meeting_label(meeting)}: {item.title}"

    # what points here --------------------------------------------------------------

    def backlinks(self, kind: str, key: str) -> list[dict[str, str]]:
        """What refers to this, limited to what the public may see, each with where the mention is."""
        out: list[dict[str, str]] = []
        for link in self.links.backlinks.get((kind, key), ()):
            shown = self._describe_source(link)
            if shown is not None and shown not in out:
                out.append(shown)
        return out

    def _describe_source(self, link: Backlink) -> dict[str, str] | None:
        describe = {
            "paper": self._paper_source,
            "minutes": self._minutes_source,
            "resolution": self._resolution_source,
            "meeting": self._meeting_source,
        }.get(link.source_kind)
        described = describe(link) if describe is not None else None
        if described is None:
            return None
        href, title, where = described
        return {"href": href, "title": title, "where": where, "relation": link.relation}

    def _paper_source(self, link: Backlink) -> tuple[str, str, str] | None:
        paper = self.site.papers.get(link.source_key)
        if paper is None or paper.access.exempt:
            return None  # an exempt paper's mentions are as withheld as its text
        href = self.urls.href(paper_url(paper.id))
        if link.paragraph:
            return href + f"#para-{link.paragraph}", paper.title, f"paragraph {link.paragraph}"
        return href, paper.title, f"section ‘{link.section}’" if link.section else ""

    def _minutes_source(self, link: Backlink) -> tuple[str, str, str] | None:
        minutes = self.site.minutes.get(link.source_key)
        if minutes is None:
            return None
        meeting = self.site.meetings[link.source_key]
        href, title = self.urls.href(minutes_url(link.source_key)), f"Minutes of {meeting_label(meeting)}"
        if not link.resolution:
            number = re.match(r"^\s*0*(\d+[a-z]?)\b", link.section or "")
            if number:  # a mention in the narrative of a minute: point at that minute
                return f"{href}#{item_anchor(number.group(1))}", title, f"minute {link.section}"
            return href, title, ""
        key = resolution_key(link.resolution, minutes.committee, minutes.meeting.isoformat())
        if key in self.site.resolutions:
            href = self.urls.href(resolution_url(self.site.resolutions[key]))
        return href, title, numbering.label(link.resolution).lower()

    def _resolution_source(self, link: Backlink) -> tuple[str, str, str] | None:
        resolution = self.site.resolutions.get(link.source_key)
        if resolution is None:
            return None
        title = f"{resolution.label}: {resolution.title}"
        return self.urls.href(resolution_url(resolution)), title, ""

    def _meeting_source(self, link: Backlink) -> tuple[str, str, str] | None:
        meeting = self.site.meetings.get(link.source_key)
        if meeting is None:
            return None
        href = self.urls.href(meeting_url(meeting.key))
        number = link.section.removeprefix("item ") if link.section.startswith("item ") else ""
        if number:  # an agenda item's `ref:`: point at the item
            return f"{href}#{item_anchor(number)}", f"Meeting of {meeting_label(meeting)}", f"agenda item {number}"
        return href, meeting_label(meeting), ""


def readable(published: Published) -> dict[str, Mapping[Any, Any]]:
    """The site's and the links' mappings under their field names, the withheld titles, and the planner's
    indexes: decisions by paper and by agenda item, papers and decisions by subject (a subject's page need not
    read every paper, so an edited paper re-plans only its own subjects' pages). An index holds keys, each read
    through the site's own mapping: what a read found is digested once a build, however many lists hold it."""
    site, links = published.site, published.links
    found: dict[str, Mapping[Any, Any]] = {f.name: getattr(site, f.name) for f in dataclasses.fields(Site)}
    found |= {f.name: getattr(links, f.name) for f in dataclasses.fields(Links)}
    decisions: dict[str, list[str]] = {}
    made_on: dict[str, list[str]] = {}
    for key, resolution in site.resolutions.items():
        if resolution.earlier is not None:
            continue  # made on no report and no agenda item of the site
        decisions.setdefault(resolution.paper, []).append(key)
        made_on.setdefault(f"{resolution.committee}/{resolution.meeting.isoformat()}/{resolution.item}", []).append(key)
    papers_on: dict[str, list[str]] = {}
    for key, paper in site.papers.items():
        for slug in dict.fromkeys(paper.subjects):
            papers_on.setdefault(slug, []).append(key)
    decided_on: dict[str, list[str]] = {}
    for key, resolution in site.resolutions.items():
        for slug in dict.fromkeys(resolution.subjects):
            decided_on.setdefault(slug, []).append(key)
    indexes: dict[str, Mapping[Any, Any]] = {"decisions": decisions, "made_on": made_on}
    indexes |= {"papers_on": papers_on, "decided_on": decided_on}
    return found | {"withheld": published.withheld_titles} | indexes
