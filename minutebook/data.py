"""Extra outputs, stage 8: open data (JSON with JSON Schemas, a CSV register of decisions), sitemap.xml and robots.txt.

Field names follow Open Civic Data events and Popolo where they fit (`start_date`, `location`, `status`,
`agenda` items with `order` and `description`, `classification`); the schemas in minutebook/schemas say the rest.
Exempt papers appear only as {"exempt": true, "exempt_paragraph": N, "title": <public title>}.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from . import pages
from .incremental import Output
from .model import AgendaItem, Meeting, Paper, Resolution

if TYPE_CHECKING:
    from .pipeline import Model

SCHEMAS = ("meetings", "agenda-items", "papers", "resolutions")
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_LISTED = ("404.html", "redirect.html")  # templates of pages left out of the sitemap
CSV_COLUMNS = (
    "id",
    "committee",
    "committee_name",
    "number",
    "meeting_date",
    "agenda_item",
    "title",
    "status",
    "url",
    "meeting_url",
    "paper_title",
    "paper_url",
    "subjects",
    "text",
)

Json = dict[str, Any]


def outputs(model: Model, urls: pages.Urls) -> dict[str, bytes | Output]:
    """Every data file, the schemas they follow, and the files that tell crawlers what the site holds."""
    export = Export(model)
    meetings = export.meetings()
    files: dict[str, bytes | Output] = {
        "data/meetings.json": export.output("meetings", lambda: [export.meeting(m) for m in meetings]),
        "data/agenda-items.json": export.output(
            "agenda-items", lambda: [export.item(m, i, n) for m in meetings for n, i in enumerate(m.agenda, 1)]
        ),
        "data/papers.json": export.output("papers", lambda: [export.paper(p) for p in export.papers()]),
        "data/resolutions.json": export.output(
            "resolutions", lambda: [export.resolution(r) for r in export.resolutions()]
        ),
        "decisions/decisions.csv": export.decisions_csv(),
    }
    files.update({f"data/schemas/{name}.schema.json": schema_bytes(name) for name in SCHEMAS})
    files["sitemap.xml"] = sitemap_output(model, urls.base)
    files["robots.txt"] = robots(model)
    return files


def schema_bytes(name: str) -> bytes:
    return (resources.files(__package__) / "schemas" / f"{name}.schema.json").read_bytes()


class Export:
    """The public model as plain JSON values, with absolute links so the data is useful away from the site."""

    def __init__(self, model: Model) -> None:
        self.model, self.site, self.config = model, model.site, model.config
        self.zone = ZoneInfo(model.config.organisation.timezone)
        self.resolutions_of: dict[str, list[str]] = {}  # paper id → keys of the resolutions made on it
        for resolution in self.site.resolutions.values():
            self.resolutions_of.setdefault(resolution.paper, []).append(resolution.key)

    def url(self, url: str) -> str:
        return pages.absolute_url(self.config.base_url, url)

    def output(self, name: str, records: Callable[[], list[Json]]) -> Output:
        """The document, made only when its records changed: they are digested as compact JSON (C-fast), while
        the indented form published is written by the pure-Python encoder, the slow part. The records are made
        again for that rather than kept: an archive's would hold tens of megabytes until every output is made."""
        compact = json.dumps(records(), ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.blake2b(compact.encode("utf-8", "surrogatepass"), digest_size=20).digest()
        return Output(digest, lambda: self.document(name, records()))

    def document(self, name: str, records: list[Json]) -> bytes:
        body = {"$schema": self.url(f"data/schemas/{name}.schema.json"), name.replace("-", "_"): records}
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    # the records, in a stable order ------------------------------------------------------

    def meetings(self) -> list[Meeting]:
        return sorted(self.site.meetings.values(), key=lambda m: (m.date, m.time, m.committee))

    def papers(self) -> list[Paper]:
        return sorted(self.site.papers.values(), key=lambda p: (p.meeting, p.committee, p.id))

    def resolutions(self) -> list[Resolution]:
        return sorted(self.site.resolutions.values(), key=lambda r: (r.meeting, r.committee, r.number))

    # meetings and their agendas --------------------------------------------------------

    def meeting(self, meeting: Meeting) -> Json:
        minutes = self.site.minutes.get(meeting.key)
        return {
            "id": meeting.key,
            "name": meeting.title,
            "committee": meeting.committee,
            "committee_name": self.site.committees[meeting.committee].name,
            "start_date": self._instant(meeting.date, meeting.time),
            "end_date": self._instant(meeting.date, meeting.end_time) if meeting.time and meeting.end_time else None,
            "all_day": not meeting.time,
            "timezone": self.config.organisation.timezone,
            "status": meeting.status,
            "moved_to": meeting.moved_to.isoformat() if meeting.moved_to else None,
            "status_note": meeting.status_note,
            "location": {
                "name": meeting.venue or ("Virtual meeting" if meeting.virtual else None),
                "virtual": meeting.virtual,
            },
            "media": [{"note": "Webcast", "url": meeting.webcast}] if meeting.webcast else [],
            "revision": meeting.revision,
            "updated": meeting.updated.isoformat() if meeting.updated else None,
            "url": self.url(pages.meeting_url(meeting.key)),
            "calendar_url": self.url(pages.meeting_url(meeting.key) + "meeting.ics"),
            "minutes": {
                "status": "confirmed" if minutes.confirmed else "draft",
                "url": self.url(pages.minutes_url(meeting.key)),
            }
            if minutes
            else None,
            "agenda": [self.item(meeting, item, order) for order, item in enumerate(meeting.agenda, 1)],
        }

    def _instant(self, day: dt.date, hhmm: str) -> str:
        """A date and local time as ISO 8601 with the UK offset of that day; a date alone when no time is set."""
        if not hhmm:
            return day.isoformat()
        return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), self.zone).isoformat()

    def item(self, meeting: Meeting, item: AgendaItem, order: int) -> Json:
        """An exempt item keeps only its public title (the gate already replaced it) and its paragraph."""
        return {
            "id": item.key,
            "meeting": meeting.key,
            "order": order,
            "number": item.number,
            "description": item.title,
            "classification": item.kind,
            "key_decision": item.key_decision,
            "wards": list(item.wards),
            "exempt": item.access.exempt,
            "exempt_paragraph": item.access.paragraph if item.access.exempt else None,
            "url": self.url(pages.meeting_url(meeting.key) + "#" + pages.item_anchor(item.number)),
            "papers": [self.paper_ref(self.site.papers[p]) for p in item.papers if p in self.site.papers],
        }

    # papers ------------------------------------------------------------------------------

    def paper_ref(self, paper: Paper) -> Json:
        if paper.access.exempt:
            return withheld(paper)
        return {"id": paper.id, "title": paper.title, "url": self.url(pages.paper_url(paper.id))}

    def paper(self, paper: Paper) -> Json:
        if paper.access.exempt:
            return withheld(paper)
        parent = self.site.papers.get(paper.parent) if paper.parent else None
        return {
            "id": paper.id,
            "title": paper.title,
            "committee": paper.committee,
            "meeting": f"{paper.committee}/{paper.meeting.isoformat()}",
            "meeting_date": paper.meeting.isoformat(),
            "agenda_item": paper.item,
            "classification": "appendix" if paper.parent else "report",
            "parent": self.paper_ref(parent) if parent else None,
            "appendix": paper.appendix_label or None,
            "report_of": paper.report_of,
            "author": paper.author,
            "key_decision": paper.key_decision,
            "wards": list(paper.wards),
            "subjects": list(paper.subjects),
            "published": paper.published.isoformat(),
            "url": self.url(pages.paper_url(paper.id)),
            "appendices": [self.paper_ref(self.site.papers[a]) for a in paper.appendices if a in self.site.papers],
            "resolutions": sorted(self.resolutions_of.get(paper.id, ())),
        }

    # resolutions -------------------------------------------------------------------------

    def resolution(self, resolution: Resolution) -> Json:
        paper = self.site.papers.get(resolution.paper)
        return {
            "id": resolution.key,
            "identifier": resolution.number,
            "committee": resolution.committee,
            "committee_name": self.site.committees[resolution.committee].name,
            "meeting": f"{resolution.committee}/{resolution.meeting.isoformat()}",
            "date": resolution.meeting.isoformat(),
            "agenda_item": resolution.item,
            "title": resolution.title,
            "text": resolution.text,
            "status": self.model.links.status.get(resolution.key, "in force"),
            "paper": self.paper_ref(paper) if paper else None,
            "subjects": list(resolution.subjects),
            "relations": [{"kind": r.kind, "target": r.target} for r in resolution.relations],
            "url": self.url(pages.resolution_url(resolution)),
        }

    def decisions_csv(self) -> bytes:
        """The register of decisions as one spreadsheet row per resolution, newest first like the register page."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, CSV_COLUMNS)
        writer.writeheader()
        for resolution in reversed(self.resolutions()):
            record = self.resolution(resolution)
            paper = record["paper"] or {}
            writer.writerow(
                {
                    **{k: record[k] for k in ("id", "committee", "committee_name", "title", "status", "url", "text")},
                    "number": resolution.number,
                    "meeting_date": record["date"],
                    "agenda_item": resolution.item,
                    "meeting_url": self.url(pages.meeting_url(record["meeting"])),
                    "paper_title": paper.get("title", ""),
                    "paper_url": paper.get("url", ""),
                    "subjects": "; ".join(resolution.subjects),
                }
            )
        return buffer.getvalue().encode("utf-8")


def withheld(paper: Paper) -> Json:
    """All the public may know of an exempt paper: no id, since even a file name can say what it is about."""
    return {"exempt": True, "exempt_paragraph": paper.access.paragraph, "title": paper.title}


# --- for crawlers ---------------------------------------------------------------------


def sitemap_output(model: Model, base: str) -> Output:
    """The sitemap, made only when the list of page URLs changed."""
    locations = sitemap_locations(model, base)
    return Output(locations, lambda: sitemap_bytes(model, locations))


def sitemap_locations(model: Model, base: str) -> list[str]:
    """Every public HTML page, from the same plan the build rendered, so no listed URL is missing.

    The 404 page and the redirects left by renamed papers are not pages a search engine should list.
    The build's own plan is used when it has one: planning again would cost as much as the first time.
    """
    planned = model.planned
    if planned is None:
        plan = pages.planner(model.site, model.links, model.config, model.today, model.preview, base).plan()
        planned = [(p.url, p.path, p.template) for p in plan]
    return sorted(url for url, path, template in planned if path.endswith(".html") and template not in NOT_LISTED)


def sitemap(model: Model, base: str) -> bytes:
    return sitemap_bytes(model, sitemap_locations(model, base))


def sitemap_bytes(model: Model, locations: list[str]) -> bytes:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for url in locations:
        ET.SubElement(ET.SubElement(urlset, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = pages.absolute_url(
            model.config.base_url, url
        )
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(model: Model) -> bytes:
    """Crawlers are pointed at the sitemap; a clerk's preview asks them to stay away altogether."""
    if model.preview:
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {pages.absolute_url(model.config.base_url, 'sitemap.xml')}\n".encode()
