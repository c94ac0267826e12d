"""Calendars: iCalendar files (RFC 5545) of the public meetings, to subscribe to or add one by one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..content.model import Meeting, Site
from ..content.published import Published
from . import urls
from .extra import Extra

if TYPE_CHECKING:
    import icalendar

DEFAULT_LENGTH = dt.timedelta(hours=2)
VIRTUAL = "Virtual meeting"


@dataclass(frozen=True)
class Event:
    """What a calendar shows of one meeting, worked out from the meeting and the settings: everything its event
    is made of and nothing else, so a calendar whose events and name are unchanged is unchanged."""

    uid: str
    stamp: dt.datetime
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    sequence: int
    cancelled: bool
    summary: str
    location: str
    url: str
    description: str
    modified: dt.datetime | None

    @property
    def timed(self) -> bool:
        return isinstance(self.start, dt.datetime)


def extras(published: Published) -> list[Extra]:
    """calendar.ics, one calendar per committee, and one file per meeting for "add to my calendar".

    Each file is made only when its events or its name changed (the configuration is in every output's key),
    so editing a paper's body, or anything of a meeting a calendar does not show, remakes no calendar.
    """
    events = {meeting.key: event_of(published, meeting) for meeting in published.site.meetings.values()}
    return [
        Extra(path, "calendars", argument, (tuple(events[m.key] for m in meetings), name))
        for path, argument, meetings, name in _calendars(published)
    ]


def make(published: Published, argument: str) -> bytes:
    """The calendar at one of the paths `extras` lists, by its argument."""
    if argument.startswith("meeting:"):  # one of thousands: looked up, not searched for
        meeting = published.site.meetings[argument.removeprefix("meeting:")]
        return _calendar(published, [event_of(published, meeting)], _meeting_name(published.site, meeting))
    for _, known, meetings, name in _calendars(published, with_meetings=False):
        if known == argument:
            return _calendar(published, [event_of(published, m) for m in meetings], name)
    raise KeyError(argument)


def _calendars(published: Published, with_meetings: bool = True) -> list[tuple[str, str, list[Meeting], str]]:
    """(path, argument, meetings, name) of every calendar: the site's, each committee's, each meeting's."""
    site = published.site
    organisation = published.config.organisation.name
    meetings = sorted(site.meetings.values(), key=lambda m: (m.date, m.time, m.committee))
    found = [("calendar.ics", "", meetings, f"{organisation}: committee meetings")]
    for slug, committee in sorted(site.committees.items()):
        own = [m for m in meetings if m.committee == slug]
        found.append(
            (f"committees/{slug}/calendar.ics", f"committee:{slug}", own, f"{committee.name} ({organisation})")
        )
    for meeting in meetings if with_meetings else ():
        path = urls.meeting_url(meeting.key) + "meeting.ics"
        found.append((path, f"meeting:{meeting.key}", [meeting], _meeting_name(site, meeting)))
    return found


def _meeting_name(site: Site, meeting: Meeting) -> str:
    return f"{site.committees[meeting.committee].name}, {urls.meeting_label(meeting)}"


def _calendar(published: Published, events: list[Event], name: str) -> bytes:
    import icalendar  # loaded by a build that makes a calendar, not by every build

    config = published.config
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Minutebook//{config.organisation.name}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", config.organisation.timezone)
    if any(e.timed for e in events):
        years = [e.start.year for e in events]
        calendar.add_component(_timezone(config.organisation.timezone, min(years), max(years)))
    for event in events:
        calendar.add_component(_event(event))
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _timezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE covering the calendar's years only: short, and the same bytes on every build."""
    import icalendar

    first, last = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    return icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)


def event_of(published: Published, meeting: Meeting) -> Event:
    """A meeting as calendars show it."""
    config = published.config
    page = urls.absolute_url(config.base_url, urls.meeting_url(meeting.key))
    start, end = _when(meeting, ZoneInfo(config.organisation.timezone))
    return Event(
        uid=f"{meeting.key}@{urlsplit(config.base_url).hostname}",
        stamp=_stamp(meeting),
        start=start,
        end=end,
        sequence=meeting.revision,
        cancelled=meeting.status == "cancelled",
        summary=_summary(published.site, meeting),
        location=meeting.venue or (VIRTUAL if meeting.virtual else ""),
        url=page,
        description=description(meeting, page),
        modified=_midnight_utc(meeting.updated) if meeting.updated else None,
    )


def _event(shown: Event) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", shown.uid)
    event.add("dtstamp", shown.stamp)
    event.add("dtstart", shown.start)
    event.add("dtend", shown.end)
    event.add("sequence", shown.sequence)
    event.add("status", "CANCELLED" if shown.cancelled else "CONFIRMED")
    event.add("summary", shown.summary)
    if shown.location:
        event.add("location", shown.location)
    event.add("url", shown.url)
    event.add("description", shown.description)
    if shown.modified is not None:
        event.add("last-modified", shown.modified)
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
