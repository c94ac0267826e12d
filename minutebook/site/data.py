"""Open data: JSON documents with their JSON Schemas, and a CSV register of decisions.

Field names follow Open Civic Data events and Popolo where they fit (`start_date`, `location`, `status`,
`agenda` items with `order` and `description`, `classification`); the schemas in minutebook/schemas say the rest.
Exempt papers appear only as {"exempt": true, "exempt_paragraph": N, "title": <public title>}.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from ..content.model import AgendaItem, Meeting, Paper, Resolution
from ..content.published import Published
from . import urls as pages
from .extra import Extra

SCHEMAS = ("meetings", "agenda-items", "papers", "resolutions")
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
    "earlier_record",
    "record_url",
)

Json = dict[str, Any]


PARTS = ("agenda-items", "papers", "decisions", "meetings")  # made apart, each on any core; the largest first


def extras(published: Published, part: str) -> list[Extra]:
    """One part of the data files (the decisions: the JSON document and the CSV register, which share records).

    A data file shows every record of its kind, so it is keyed by its own bytes: made here, once a build, and
    written only when they changed (`Extra.content`). The schemas go with the meetings.
    """
    export = Export(published)
    if part == "decisions":
        return [
            _document(export, "resolutions"),
            Extra("decisions/decisions.csv", "data", "decisions.csv", None, content=export.decisions_csv()),
        ]
    files = [_document(export, part)]
    if part == "meetings":
        files += [
            Extra(f"data/schemas/{name}.schema.json", "data", f"schema:{name}", schema_bytes(name)) for name in SCHEMAS
        ]
    return files


def _document(export: Export, name: str) -> Extra:
    return Extra(f"data/{name}.json", "data", name, None, content=export.document(name, export.records(name)))


def make(published: Published, name: str) -> bytes:
    """One data file, by the name `extras` gave it."""
    if name.startswith("schema:"):
        return schema_bytes(name.removeprefix("schema:"))
    export = Export(published)
    if name == "decisions.csv":
        return export.decisions_csv()
    return export.document(name, export.records(name))


def schema_bytes(name: str) -> bytes:
    return (resources.files(__package__) / "schemas" / f"{name}.schema.json").read_bytes()


class Export:
    """The public model as plain JSON values, with absolute links so the data is useful away from the site."""

    def __init__(self, published: Published) -> None:
        self.published, self.site, self.config = published, published.site, published.config
        self.zone = ZoneInfo(published.config.organisation.timezone)
        self.resolutions_of: dict[str, list[str]] = {}  # paper id → keys of the resolutions made on it
        for resolution in self.site.resolutions.values():
            if resolution.paper:
                self.resolutions_of.setdefault(resolution.paper, []).append(resolution.key)
        self.decisions: dict[str, Json] = {}  # resolution key → its record, as made once

    def url(self, url: str) -> str:
        return pages.absolute_url(self.config.base_url, url)

    def records(self, name: str) -> list[Json]:
        """The records of one JSON document, in a stable order."""
        meetings = self.meetings
        if name == "meetings":
            return [self.meeting(m) for m in meetings]
        if name == "agenda-items":
            return [self.item(m, i, n) for m in meetings for n, i in enumerate(m.agenda, 1)]
        if name == "papers":
            return [self.paper(p) for p in self.papers]
        return [self.resolution(r) for r in self.resolutions]

    def document(self, name: str, records: list[Json]) -> bytes:
        """The document with one record a line: as easy to read and compare as an indented one, and written by
        json's C encoder (an indented document is written by its pure-Python one, several times slower)."""
        schema = json.dumps(self.url(f"data/schemas/{name}.schema.json"), ensure_ascii=False)
        lines = ",\n".join(f"    {json.dumps(record, ensure_ascii=False)}" for record in records)
        listed = f"[\n{lines}\n  ]" if records else "[]"
        return f'{{\n  "$schema": {schema},\n  "{name.replace("-", "_")}": {listed}\n}}\n'.encode()

    # the records, in a stable order ------------------------------------------------------

    @functools.cached_property
    def meetings(self) -> list[Meeting]:
        return sorted(self.site.meetings.values(), key=lambda m: (m.date, m.time, m.committee))

    @functools.cached_property
    def papers(self) -> list[Paper]:
        return sorted(self.site.papers.values(), key=lambda p: (p.meeting, p.committee, p.id))

    @functools.cached_property
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
        """A decision (made once per export: the JSON document and the CSV register both show each)."""
        record = self.decisions.get(resolution.key)
        if record is None:
            record = self.decisions[resolution.key] = self._resolution(resolution)
        return record

    def _resolution(self, resolution: Resolution) -> Json:
        """A decision; an earlier record says so, with where its old record is, and has no agenda item."""
        paper = self.site.papers.get(resolution.paper)
        meeting = f"{resolution.committee}/{resolution.meeting.isoformat()}"
        earlier = resolution.earlier
        return {
            "id": resolution.key,
            "identifier": resolution.number,
            "committee": resolution.committee,
            "committee_name": self.site.committees[resolution.committee].name,
            "meeting": meeting if earlier is None or meeting in self.site.meetings else None,
            "date": resolution.meeting.isoformat(),
            "agenda_item": resolution.item if earlier is None else None,
            "title": resolution.title,
            "text": resolution.text,
            "status": self.published.links.status.get(resolution.key, "in force"),
            "paper": self.paper_ref(paper) if paper else None,
            "subjects": list(resolution.subjects),
            "relations": [{"kind": r.kind, "target": r.target} for r in resolution.relations],
            "earlier_record": earlier is not None,
            "record_url": (earlier.old_record or None) if earlier is not None else None,
            "url": self.url(pages.resolution_url(resolution)),
        }

    def decisions_rows(self) -> list[dict[str, str]]:
        """The register of decisions as one spreadsheet row per resolution, newest first like the register page."""
        rows = []
        for resolution in reversed(self.resolutions):
            record = self.resolution(resolution)
            paper = record["paper"] or {}
            rows.append(
                {
                    **{k: record[k] for k in ("id", "committee", "committee_name", "title", "status", "url", "text")},
                    "number": resolution.number,
                    "meeting_date": record["date"],
                    "agenda_item": resolution.item,
                    "meeting_url": self.url(pages.meeting_url(record["meeting"])) if record["meeting"] else "",
                    "paper_title": paper.get("title", ""),
                    "paper_url": paper.get("url", ""),
                    "subjects": "; ".join(resolution.subjects),
                    "earlier_record": "yes" if record["earlier_record"] else "no",
                    "record_url": record["record_url"] or "",
                }
            )
        return rows

    def decisions_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(self.decisions_rows())
        return buffer.getvalue().encode("utf-8")


def withheld(paper: Paper) -> Json:
    """All the public may know of an exempt paper: no id, since even a file name can say what it is about."""
    return {"exempt": True, "exempt_paragraph": paper.access.paragraph, "title": paper.title}
