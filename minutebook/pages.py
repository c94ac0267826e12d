"""Page planning: the public `Site` and its links into `Page` values. The whole URL scheme lives here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import bodies, markdown
from .config import Config
from .markdown import Rendered
from .model import AgendaItem, Meeting, Minutes, Paper, Resolution, Site
from .publication import is_embargoed
from .references import Backlink, Links, Target


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template draws it, and exactly what it shows."""

    url: str  # site-relative, e.g. committees/x/ (a folder) or decisions/decisions.csv
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    recipe: Recipe = ("", None)  # how the planner made it, so it can be made again alone
    bodies: frozenset[str] = frozenset()  # sources whose Markdown body the page shows (see Planner.body)

    @property
    def path(self) -> str:
        return self.url + "index.html" if self.url.endswith("/") or self.url == "" else self.url


# --- the URL scheme -----------------------------------------------------------------


def committee_url(slug: str) -> str:
    return f"committees/{slug}/"


def meeting_url(key: str) -> str:
    return f"committees/{key}/"


def minutes_url(key: str) -> str:
    return f"committees/{key}/minutes/"


def pack_url(key: str) -> str:
    return f"committees/{key}/pack/"


def paper_url(paper_id: str) -> str:
    return f"committees/{paper_id}/"


def resolution_url(resolution: Resolution) -> str:
    return f"committees/{resolution.committee}/resolutions/{resolution.slug}/"


def item_anchor(number: str) -> str:
    return f"item-{number}"


def subject_url(slug: str) -> str:
    return f"subjects/{slug}/"


def absolute_url(base_url: str, url: str) -> str:
    """A site URL against config.base_url: feeds, calendars and data are read away from the site."""
    return base_url.rstrip("/") + "/" + url


@dataclass
class Urls:
    """Turns targets into hrefs against the public site; anything not public gets no link."""

    site: Site
    base: str
    today: dt.date
    preview: bool = False
    withheld: dict[str, str] = field(default_factory=dict)  # exempt paper (full-model id) → its public title

    def href(self, url: str) -> str:
        return self.base + url

    def target(self, target: Target | None) -> str | None:
        if target is None:
            return None
        url = self._target_url(target)
        return None if url is None else self.href(url)

    def _target_url(self, target: Target) -> str | None:
        site = self.site
        kind, key = target.kind, target.key
        if kind == "paper":
            paper = site.papers.get(key)
            if paper is None or (paper.access.exempt and not self.preview):
                return None
            fragment = f"#{target.fragment}" if target.fragment else ""
            return paper_url(key) + fragment
        if kind == "resolution":
            return resolution_url(site.resolutions[key]) if key in site.resolutions else None
        if kind == "meeting":
            return meeting_url(key) if key in site.meetings else None
        if kind == "minutes":
            return minutes_url(key) if key in site.minutes else None
        if kind == "item":
            meeting_key, number = key.rsplit("/", 1)
            return f"{meeting_url(meeting_key)}#{item_anchor(number)}" if meeting_key in site.meetings else None
        if kind == "subject":
            return subject_url(key) if key in site.subjects else None
        if kind == "committee":
            return committee_url(key) if key in site.committees else None
        return None


def body_html(rendered: Rendered, resolved: list[Target | None], urls: Urls, id_prefix: str = "") -> str:
    """A document's HTML with its links filled in for this build."""
    links: list[tuple[str, str] | None] = []
    written = [not ref.auto for ref in rendered.refs]
    for n, target in enumerate(resolved):
        if target is not None and target.kind == "paper" and target.key in urls.withheld:
            # a clerk's link text may describe the paper: only its public title, unlinked; a mention found in
            # running text ("paragraph 1 of the report") keeps its words and loses its link
            links.append(("", urls.withheld[target.key]) if n >= len(written) or written[n] else None)
        elif target is not None and target.fragment and urls.target(target) is None:
            links.append(None)
        else:
            href = urls.target(target)
            links.append((href, "") if href else None)
    own = [_own_fragment(ref.target, t) for ref, t in zip(rendered.refs, resolved, strict=False)]
    links = [("#" + own_fragment, "") if own_fragment else link for link, own_fragment in zip(links, own, strict=False)]
    return markdown.finish(bodies.html(rendered), links, id_prefix)


def _own_fragment(written: str, target: Target | None) -> str:
    """A link within the same paper ("paragraph 21") stays a fragment so it works inside the agenda pack too."""
    return target.fragment if target is not None and written.startswith("#") else ""


# --- planning -----------------------------------------------------------------------

PlanContext = dict[str, Any]
Recipe = tuple[str, Any]  # (Planner method, its argument): enough to plan one page again, alone


@dataclass
class Planner:
    site: Site
    links: Links
    config: Config
    urls: Urls
    _decisions: dict[str, list[Resolution]] | None = field(default=None, repr=False)
    _bodies: set[str] = field(default_factory=set, repr=False)  # sources shown by the page being planned

    def plan(self) -> list[Page]:
        return [self.make(recipe) for recipe in self.recipes()]

    def prepare(self) -> Planner:
        """Work shared by many pages done once, before worker processes fork, so no worker repeats it."""
        self._decisions_by_paper()
        return self

    def recipes(self) -> list[Recipe]:
        """Every page of the site, in order, as the call that plans it."""
        site = self.site
        recipes: list[Recipe] = [
            (name, None)
            for name in (
                "home",
                "committees_index",
                "meetings_index",
                "register",
                "subjects_index",
                "search",
                "accessibility",
                "not_found",
                "open_data",
            )
        ]
        for committee in sorted(site.committees):
            recipes += [("committee", committee), ("committee_register", committee)]
        for key in site.meetings:
            recipes += [("meeting", key), ("pack", key)]
        recipes += [("paper", paper_id) for paper_id, paper in site.papers.items() if self._has_page(paper)]
        recipes += [("redirect", pair) for pair in self.redirected()]
        recipes += [("minutes", key) for key in site.minutes]
        recipes += [("resolution", key) for key in site.resolutions]
        recipes += [("subject", slug) for slug in sorted(site.subjects)]
        return recipes

    def make(self, recipe: Recipe) -> Page:
        """Plan one page, noting every source whose body it shows: the pages a body-only edit touches."""
        name, argument = recipe
        self._bodies = set()
        if name in ("meeting", "pack"):
            argument = self.site.meetings[argument]
        elif name == "paper":
            argument = self.site.papers[argument]
        elif name == "minutes":
            argument = self.site.minutes[argument]
        elif name == "resolution":
            argument = self.site.resolutions[argument]
        page = getattr(self, name)() if argument is None else getattr(self, name)(argument)
        return dataclasses.replace(page, recipe=recipe, bodies=frozenset(self._bodies))

    def source_of(self, recipe: Recipe) -> str:
        """The source of what the page is about ("" for site-wide pages): where most of the bodies it shows are,
        so pages can be rendered grouped by the cache shard those are read from (minutebook.bodies)."""
        name, key = recipe
        kinds: dict[str, dict[str, Any]] = {
            "paper": self.site.papers,
            "meeting": self.site.meetings,
            "pack": self.site.meetings,
            "minutes": self.site.minutes,
            "committee": self.site.committees,
            "subject": self.site.subjects,
        }
        thing = kinds.get(name, {}).get(key)
        return getattr(thing, "source", "") if thing is not None else ""

    def _has_page(self, paper: Paper) -> bool:
        return self.urls.preview or not paper.access.exempt

    # helpers shared by templates ---------------------------------------------------

    def crumbs(self, *trail: tuple[str, str]) -> list[tuple[str, str]]:
        return [("Home", self.urls.href("")), *trail]

    def committee_crumb(self, slug: str) -> tuple[str, str]:
        return (self.site.committees[slug].name, self.urls.href(committee_url(slug)))

    def meeting_crumb(self, meeting: Meeting) -> tuple[str, str]:
        return (meeting_label(meeting), self.urls.href(meeting_url(meeting.key)))

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

    def backlinks(self, kind: str, key: str) -> list[dict[str, str]]:
        """What refers to this, limited to what the public may see, each with where the mention is."""
        out = []
        for link in self.links.backlinks.get((kind, key), ()):
            shown = self._describe_source(link)
            if shown is not None and shown not in out:
                out.append(shown)
        return out

    def _describe_source(self, link: Backlink) -> dict[str, str] | None:
        described = {
            "paper": self._paper_source,
            "minutes": self._minutes_source,
            "resolution": self._resolution_source,
            "meeting": self._meeting_source,
        }.get(link.source_kind, lambda _: None)(link)
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
        key = f"{minutes.committee}/{link.resolution}"
        if key in self.site.resolutions:
            href = self.urls.href(resolution_url(self.site.resolutions[key]))
        return href, title, f"resolution {link.resolution}"

    def _resolution_source(self, link: Backlink) -> tuple[str, str, str] | None:
        resolution = self.site.resolutions.get(link.source_key)
        if resolution is None:
            return None
        title = f"Resolution {resolution.number}: {resolution.title}"
        return self.urls.href(resolution_url(resolution)), title, ""

    def _meeting_source(self, link: Backlink) -> tuple[str, str, str] | None:
        meeting = self.site.meetings.get(link.source_key)
        if meeting is None:
            return None
        return self.urls.href(meeting_url(meeting.key)), meeting_label(meeting), ""

    def decisions_on(self, paper: Paper) -> list[Resolution]:
        return sorted(self._decisions_by_paper().get(paper.id, ()), key=lambda r: r.number)

    def _decisions_by_paper(self) -> dict[str, list[Resolution]]:
        if self._decisions is None:  # by paper, once: a scan per paper costs the square of the archive's size
            self._decisions = {}
            for resolution in self.site.resolutions.values():
                self._decisions.setdefault(resolution.paper, []).append(resolution)
        return self._decisions

    def body(self, rendered: Rendered, source: str, prefix: str = "") -> str:
        """The only way a body's HTML reaches a page, so `make` knows which pages show which bodies."""
        self._bodies.add(source)
        return body_html(rendered, self.links.resolved.get(source, []), self.urls, prefix)

    def common(self, **values: Any) -> PlanContext:
        return values

    # pages --------------------------------------------------------------------------

    def home(self) -> Page:
        recent = [m for _, ms in self.past_by_year() for m in ms][:6]
        return Page(
            "",
            "home.html",
            self.common(
                upcoming=self.upcoming()[:10],
                recent=recent,
                decisions=self.resolutions_of()[:5],
                committees=self._committees(),
                crumbs=[],
            ),
        )

    def _committees(self) -> list:
        return sorted(self.site.committees.values(), key=lambda c: c.name)

    def committees_index(self) -> Page:
        return Page(
            "committees/",
            "committees.html",
            self.common(
                committees=self._committees(),
                crumbs=self.crumbs(),
                counts={c: len(self.meetings_of(c)) for c in self.site.committees},
            ),
        )

    def meetings_index(self) -> Page:
        return Page(
            "meetings/",
            "meetings.html",
            self.common(
                upcoming=self.upcoming(),
                past=self.past_by_year(),
                crumbs=self.crumbs(),
            ),
        )

    def committee(self, slug: str) -> Page:
        committee = self.site.committees[slug]
        forward = [(m, [i for i in m.agenda]) for m in self.upcoming(slug)]
        return Page(
            committee_url(slug),
            "committee.html",
            self.common(
                committee=committee,
                description=self.body(committee.description, committee.source),
                upcoming=self.upcoming(slug),
                past=self.past_by_year(slug),
                forward=forward,
                decisions=self.resolutions_of(slug)[:10],
                crumbs=self.crumbs(("Committees", self.urls.href("committees/"))),
            ),
        )

    def meeting(self, meeting: Meeting) -> Page:
        committee = self.site.committees[meeting.committee]
        items = [self._agenda_row(meeting, item) for item in meeting.agenda]
        minutes = self.site.minutes.get(meeting.key)
        return Page(
            meeting_url(meeting.key),
            "meeting.html",
            self.common(
                committee=committee,
                meeting=meeting,
                items=items,
                minutes=minutes,
                notes=self.body(meeting.notes, meeting.source),
                decisions=[self.site.resolutions[k] for k in minutes.resolutions] if minutes else [],
                backlinks=self.backlinks("meeting", meeting.key),
                crumbs=self.crumbs(
                    ("Committees", self.urls.href("committees/")), self.committee_crumb(meeting.committee)
                ),
                draft_banner=self._banner(meeting.draft, meeting.publish_on),
            ),
        )

    def _agenda_row(self, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
        papers = []
        for paper_id in item.papers:
            paper = self.site.papers[paper_id]
            appendices = [self.site.papers[a] for a in paper.appendices]
            papers.append({"paper": paper, "appendices": appendices})
        target = self.links.agenda_refs.get(item.key) if item.ref else None
        ref = self.urls.target(target)
        label = self.target_label(target) if ref else ""
        return {"item": item, "papers": papers, "ref_href": ref, "ref_label": label, "anchor": item_anchor(item.number)}

    def target_label(self, target: Target | None) -> str:
        """How a reference's target is named in a listing ("Minutes of 11 January 2021")."""
        site = self.site
        if target is None:
            return ""
        if target.kind == "resolution" and target.key in site.resolutions:
            resolution = site.resolutions[target.key]
            return f"Resolution {resolution.number}: {resolution.title}"
        if target.kind in ("meeting", "minutes") and target.key in site.meetings:
            meeting = site.meetings[target.key]
            prefix = "Minutes of the meeting on" if target.kind == "minutes" else "Meeting on"
            return f"{prefix} {meeting_label(meeting)}"
        if target.kind == "paper" and target.key in site.papers:
            return site.papers[target.key].title
        if target.kind == "item":
            return f"Agenda item {target.key.rsplit('/', 1)[1]} of {target.key.split('/')[1]}"
        if target.kind == "subject" and target.key in site.subjects:
            return site.subjects[target.key].title
        return target.key

    def paper_href(self, paper: Paper) -> str | None:
        return self.urls.href(paper_url(paper.id)) if self._has_page(paper) else None

    def redirected(self) -> list[tuple[str, str]]:
        """(paper id, former id) for each old address of a renamed paper that no paper uses now."""
        out = []
        for paper in self.site.papers.values():
            if not self._has_page(paper):
                continue
            for old in paper.formerly:
                old_id = f"{paper.committee}/{paper.meeting.isoformat()}/{old}"
                if old_id not in self.site.papers:
                    out.append((paper.id, old_id))
        return out

    def redirect(self, pair: tuple[str, str]) -> Page:
        """A renamed paper keeps its old address: a page there sends readers on to the new one."""
        paper = self.site.papers[pair[0]]
        target = self.urls.href(paper_url(paper.id))
        return Page(paper_url(pair[1]), "redirect.html", {"paper": paper, "target": target, "crumbs": []})

    def pack(self, meeting: Meeting) -> Page:
        committee = self.site.committees[meeting.committee]
        sections = []
        for item in meeting.agenda:
            for paper_id in item.papers:
                paper = self.site.papers[paper_id]
                for part in [paper, *(self.site.papers[a] for a in paper.appendices)]:
                    prefix = f"p{part.item}-{len(sections) + 1}-"
                    sections.append(
                        {
                            "paper": part,
                            "item": item,
                            "prefix": prefix,
                            "html": self.body(part.body, part.source, prefix) if self._has_page(part) else "",
                        }
                    )
        return Page(
            pack_url(meeting.key),
            "pack.html",
            self.common(
                committee=committee,
                meeting=meeting,
                items=[self._agenda_row(meeting, i) for i in meeting.agenda],
                sections=sections,
                notes=self.body(meeting.notes, meeting.source, "notes-"),
                crumbs=self.crumbs(
                    ("Committees", self.urls.href("committees/")),
                    self.committee_crumb(meeting.committee),
                    self.meeting_crumb(meeting),
                ),
            ),
        )

    def paper(self, paper: Paper) -> Page:
        meeting = self.site.meetings[f"{paper.committee}/{paper.meeting.isoformat()}"]
        item = next((i for i in meeting.agenda if i.number == paper.item), None)
        parent = self.site.papers.get(paper.parent) if paper.parent else None
        crumbs = [
            ("Committees", self.urls.href("committees/")),
            self.committee_crumb(paper.committee),
            self.meeting_crumb(meeting),
        ]
        if parent is not None:
            crumbs.append((parent.title, self.urls.href(paper_url(parent.id))))
        return Page(
            paper_url(paper.id),
            "paper.html",
            self.common(
                committee=self.site.committees[paper.committee],
                meeting=meeting,
                item=item,
                paper=paper,
                parent=parent,
                html=self.body(paper.body, paper.source),
                appendices=[self.site.papers[a] for a in paper.appendices],
                decisions=self.decisions_on(paper),
                backlinks=self.backlinks("paper", paper.id),
                subjects=[self.site.subjects[s] for s in paper.subjects if s in self.site.subjects],
                crumbs=self.crumbs(*crumbs),
                draft_banner=self._banner(paper.draft, paper.publish_on),
                exempt_banner=paper.access.exempt,
            ),
        )

    def minutes(self, minutes: Minutes) -> Page:
        key = f"{minutes.committee}/{minutes.meeting.isoformat()}"
        meeting = self.site.meetings[key]
        return Page(
            minutes_url(key),
            "minutes.html",
            self.common(
                committee=self.site.committees[minutes.committee],
                meeting=meeting,
                minutes=minutes,
                html=self.body(minutes.body, minutes.source),
                decisions=[self.site.resolutions[k] for k in minutes.resolutions],
                backlinks=self.backlinks("minutes", key),
                crumbs=self.crumbs(
                    ("Committees", self.urls.href("committees/")),
                    self.committee_crumb(minutes.committee),
                    self.meeting_crumb(meeting),
                ),
                draft_banner=self._banner(minutes.draft, minutes.publish_on),
            ),
        )

    def resolution(self, resolution: Resolution) -> Page:
        key = f"{resolution.committee}/{resolution.meeting.isoformat()}"
        meeting = self.site.meetings[key]
        item = next((i for i in meeting.agenda if i.number == resolution.item), None)
        paper = self.site.papers.get(resolution.paper)
        minutes = self.site.minutes[key]
        refs = self.links.resolved.get(minutes.source, [])
        block_refs = [
            (ref, t) for ref, t in zip(minutes.body.refs, refs, strict=False) if ref.resolution == resolution.number
        ]
        html = self._resolution_html(resolution, minutes, refs)
        relations = self._relations(resolution)
        return Page(
            resolution_url(resolution),
            "resolution.html",
            self.common(
                committee=self.site.committees[resolution.committee],
                meeting=meeting,
                item=item,
                resolution=resolution,
                html=html,
                paper=paper,
                paper_href=self.paper_href(paper) if paper else None,
                recommendations=self.body_fragment(paper) if paper else "",
                status=self.links.status.get(resolution.key, "in force"),
                relations=relations,
                backlinks=[b for b in self.backlinks("resolution", resolution.key) if b["relation"] == "refers"],
                subjects=[self.site.subjects[s] for s in resolution.subjects if s in self.site.subjects],
                minutes_href=self.urls.href(minutes_url(key)) + f"#resolution-{resolution.slug}",
                block_refs=block_refs,
                crumbs=self.crumbs(
                    ("Committees", self.urls.href("committees/")),
                    self.committee_crumb(resolution.committee),
                    ("Decisions", self.urls.href(f"committees/{resolution.committee}/resolutions/")),
                ),
            ),
        )

    def _resolution_html(self, resolution: Resolution, minutes: Minutes, refs: list[Target | None]) -> str:
        rendered = Rendered(html=resolution.html, refs=minutes.body.refs)
        return body_html(rendered, refs, self.urls, "")

    def body_fragment(self, paper: Paper) -> str:
        if paper.access.exempt and not self.urls.preview:
            return ""
        rendered = Rendered(html=paper.body.recommendations_html, refs=paper.body.refs)
        return body_html(rendered, self.links.resolved.get(paper.source, []), self.urls, "")

    def _relations(self, resolution: Resolution) -> dict[str, list[Resolution]]:
        site = self.site
        outgoing: dict[str, list[Resolution]] = {}
        for relation in resolution.relations:
            target = (
                relation.target
                if "/" in relation.target and relation.target.count("/") > 1
                else f"{resolution.committee}/{relation.target}"
            )
            if target in site.resolutions:
                outgoing.setdefault(relation.kind, []).append(site.resolutions[target])
        incoming: dict[str, list[Resolution]] = {}
        for link in self.links.backlinks.get(("resolution", resolution.key), ()):
            if link.source_kind == "resolution" and link.source_key in site.resolutions:
                incoming.setdefault(link.relation, []).append(site.resolutions[link.source_key])
        return {"outgoing": outgoing, "incoming": incoming}

    def register(self) -> Page:
        return Page(
            "decisions/",
            "register.html",
            self.common(
                resolutions=self.resolutions_of(),
                by_year=self._by_year(self.resolutions_of()),
                status=self.links.status,
                committee=None,
                crumbs=self.crumbs(),
            ),
        )

    def committee_register(self, slug: str) -> Page:
        items = self.resolutions_of(slug)
        return Page(
            f"committees/{slug}/resolutions/",
            "register.html",
            self.common(
                resolutions=items,
                by_year=self._by_year(items),
                status=self.links.status,
                committee=self.site.committees[slug],
                crumbs=self.crumbs(("Committees", self.urls.href("committees/")), self.committee_crumb(slug)),
            ),
        )

    @staticmethod
    def _by_year(resolutions: list[Resolution]) -> list[tuple[int, list[Resolution]]]:
        years: dict[int, list[Resolution]] = {}
        for resolution in resolutions:
            years.setdefault(resolution.meeting.year, []).append(resolution)
        return sorted(years.items(), reverse=True)

    def subjects_index(self) -> Page:
        return Page(
            "subjects/",
            "subjects.html",
            self.common(
                subjects=sorted(self.site.subjects.values(), key=lambda s: s.title),
                crumbs=self.crumbs(),
            ),
        )

    def subject(self, slug: str) -> Page:
        subject = self.site.subjects[slug]
        return Page(
            subject_url(slug),
            "subject.html",
            self.common(
                subject=subject,
                description=self.body(subject.description, subject.source),
                chronology=self._chronology(slug),
                crumbs=self.crumbs(("Subjects", self.urls.href("subjects/"))),
            ),
        )

    def _chronology(self, slug: str) -> list[dict[str, Any]]:
        """Every meeting, paper and decision on a subject, oldest first."""
        entries = []
        for paper in self.site.papers.values():
            if slug in paper.subjects:
                entries.append(
                    {
                        "date": paper.meeting,
                        "kind": "Appendix" if paper.parent else "Report",
                        "title": paper.title,
                        "href": self.paper_href(paper),
                        "meeting": self._meeting_of(paper),
                    }
                )
        for resolution in self.site.resolutions.values():
            if slug in resolution.subjects:
                entries.append(
                    {
                        "date": resolution.meeting,
                        "kind": "Decision",
                        "title": f"Resolution {resolution.number}: {resolution.title}",
                        "href": self.urls.href(resolution_url(resolution)),
                        "meeting": self.site.meetings[f"{resolution.committee}/{resolution.meeting.isoformat()}"],
                    }
                )
        return sorted(entries, key=lambda e: (e["date"], e["kind"] != "Report", e["title"]))

    def _meeting_of(self, paper: Paper) -> Meeting:
        return self.site.meetings[f"{paper.committee}/{paper.meeting.isoformat()}"]

    def search(self) -> Page:
        return Page("search/", "search.html", self.common(crumbs=self.crumbs(), committees=self._committees()))

    def accessibility(self) -> Page:
        return Page("accessibility/", "accessibility.html", self.common(crumbs=self.crumbs()))

    def open_data(self) -> Page:
        """The downloads themselves are written by minutebook.data; this page only lists them."""
        return Page("data/", "data.html", self.common(crumbs=self.crumbs()))

    def not_found(self) -> Page:
        return Page("404.html", "404.html", self.common(crumbs=self.crumbs()))

    def _banner(self, draft: bool, publish_on: dt.date | None) -> str:
        if not self.urls.preview:
            return ""
        if draft:
            return "Draft — not published"
        if is_embargoed(publish_on, self.urls.today):
            return f"Scheduled for {publish_on:%-d %B %Y} — not yet published"
        return ""


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.date:%-d %B %Y}"


def planner(
    site: Site,
    links: Links,
    config: Config,
    today: dt.date,
    preview: bool = False,
    base: str | None = None,
    withheld: dict[str, str] | None = None,
) -> Planner:
    """A planner for the site's pages, ready to plan any one of them in any process (see Planner.prepare)."""
    urls = Urls(site, config.base_path if base is None else base, today, preview, withheld or {})
    return Planner(site, links, config, urls).prepare()
