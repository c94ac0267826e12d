"""Extra outputs, stage 8: iCalendar files (RFC 5545) of the public meetings, to subscribe to or add one by one."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from . import pages
from .incremental import Output
from .model import Meeting, Site

if TYPE_CHECKING:
    from .pipeline import Model

DEFAULT_LENGTH = dt.timedelta(hours=2)
VIRTUAL = "Virtual meeting"


def outputs(model: Model, urls: pages.Urls) -> dict[str, Output]:
    """calendar.ics, one calendar per committee, and one file per meeting for "add to my calendar".

    Each file is made only when what it shows changed: its meetings, their committees' names and its own name
    (the configuration is in every output's key), so editing a paper's body remakes no calendar.
    """
    site = model.site
    meetings = sorted(site.meetings.values(), key=lambda m: (m.date, m.time, m.committee))
    organisation = model.config.organisation.name
    names = {slug: committee.name for slug, committee in site.committees.items()}
    files = {"calendar.ics": _output(model, meetings, f"{organisation}: committee meetings", names)}
    for slug, committee in sorted(site.committees.items()):
        own = [m for m in meetings if m.committee == slug]
        files[f"committees/{slug}/calendar.ics"] = _output(model, own, f"{committee.name} ({organisation})", names)
    for meeting in meetings:
        name = f"{names[meeting.committee]}, {pages.meeting_label(meeting)}"
        files[pages.meeting_url(meeting.key) + "meeting.ics"] = _output(model, [meeting], name, names)
    return files


def _output(model: Model, meetings: list[Meeting], name: str, names: dict[str, str]) -> Output:
    shown = {m.committee: names[m.committee] for m in meetings}
    return Output((meetings, name, shown), lambda: _calendar(model, meetings, name))


def _calendar(model: Model, meetings: list[Meeting], name: str) -> bytes:
    config = model.config
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Minutebook//{config.organisation.name}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", config.organisation.timezone)
    if any(m.time for m in meetings):
        years = [m.date.year for m in meetings]
        calendar.add_component(_timezone(config.organisation.timezone, min(years), max(years)))
    for meeting in meetings:
        calendar.add_component(_event(model, meeting))
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _timezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE covering the calendar's years only: short, and the same bytes on every build."""
    first, last = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    return icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)


def _event(model: Model, meeting: Meeting) -> icalendar.Event:
    config, site = model.config, model.site
    page = pages.absolute_url(config.base_url, pages.meeting_url(meeting.key))
    event = icalendar.Event()
    event.add("uid", f"{meeting.key}@{urlsplit(config.base_url).hostname}")
    event.add("dtstamp", _stamp(meeting))
    start, end = _when(meeting, ZoneInfo(config.organisation.timezone))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", meeting.revision)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("summary", _summary(site, meeting))
    location = meeting.venue or (VIRTUAL if meeting.virtual else "")
    if location:
        event.add("location", location)
    event.add("url", page)
    event.add("description", description(meeting, page))
    if meeting.updated:
        event.add("last-modified", _midnight_utc(meeting.updated))
    return event


def _summary(site: Site, meeting: Meeting) -> str:
    committee = site.committees[meeting.committee].name
    return committee if meeting.title in ("", committee) else f"{committee}: {meeting.title}"


def _when(meeting: Meeting, zone: ZoneInfo) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """Local wall-clock times with their TZID; a meeting without a time is an all-day event."""
    if not meeting.time:
        return meeting.date, meeting.date + dt.timedelta(days=1)
    start = dt.datetime.combine(meeting.date, dt.time.fromisoformat(meeting.time), zone)
    if meeting.end_time:
        end = dt.datetime.combine(meeting.date, dt.time.fromisoformat(meeting.end_time), zone)
        if end > start:
            return start, end
    return start, start + DEFAULT_LENGTH


def _stamp(meeting: Meeting) -> dt.datetime:
    """DTSTAMP from the content (when the meeting was last changed), never the build clock: builds reproduce."""
    return _midnight_utc(meeting.updated or meeting.date)


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), dt.UTC)


def description(meeting: Meeting, page: str) -> str:
    """What a calendar app shows under the title: changes first, then how to watch, the agenda and the page."""
    lines = []
    if meeting.status == "cancelled":
        lines.append("This meeting has been cancelled.")
    elif meeting.status in ("moved", "postponed"):
        moved = f" to {meeting.moved_to.day} {meeting.moved_to:%B %Y}" if meeting.moved_to else ""
        lines.append(f"This meeting has been {meeting.status}{moved}.")
    if meeting.status_note:
        lines.append(meeting.status_note)
    if meeting.webcast:
        lines.append(f"Watch the webcast: {meeting.webcast}")
    if meeting.agenda:
        lines.append("Agenda:")
        lines.extend(f"{item.number}. {item.title}" for item in meeting.agenda)
    lines.append(f"Agenda, papers and minutes: {page}")
    return "\n".join(lines)
