"""Calendars: a resident subscribes to meetings, or adds one, and their calendar app shows the right thing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from conftest import EXEMPT_ITEM, build, meeting, write_site

LONDON = ZoneInfo("Europe/London")
EXAMPLE_BASE = "https://democracy.nottinghamshire.example/"
BASE = "https://democracy.testshire.example/"


def held_meeting(revision: int) -> str:
    """The meeting of 11 January 2021 at its `revision`, with an exempt item."""
    return meeting(EXEMPT_ITEM, f"revision: {revision}\nupdated: 2021-01-04\n")


OTHER_MEETINGS = {
    "content/committees/test/2021-07-05/meeting.md": """\
---
time: "18:00"
end_time: "19:15"
virtual: true
webcast: https://video.testshire.example/live
status: cancelled
status_note: There is no business to transact.
agenda: []
---
""",
    "content/committees/test/2021-09-06/meeting.md": """\
---
status: moved
moved_to: 2021-09-13
agenda: []
---
""",
}


def read(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_example_calendar_lists_every_meeting_with_its_local_time(example_output: Path):
    calendar = read(example_output / "calendar.ics")
    calendar.validate()  # VERSION, PRODID and at least one component, as RFC 5545 requires
    assert str(calendar["X-WR-CALNAME"]) == "Nottinghamshire County Council: committee meetings"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(calendar)
    meeting_folders = sorted(p.parent for p in (example_output / "committees").glob("*/*/meeting.ics"))
    assert len(found) == len(meeting_folders) == 3
    event = found["adult-social-care-public-health/2021-01-11@democracy.nottinghamshire.example"]
    assert event.start == dt.datetime(2021, 1, 11, 10, 30, tzinfo=LONDON)
    assert event.start.tzinfo.key == "Europe/London"
    assert "TZID=Europe/London:20210111T103000" in calendar.to_ical().decode().replace("\r\n ", "")
    assert event.end == dt.datetime(2021, 1, 11, 13, 5, tzinfo=LONDON)
    assert str(event["SUMMARY"]) == "Adult Social Care and Public Health Committee"
    assert str(event["LOCATION"]) == "Virtual meeting"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt == dt.datetime(2021, 1, 11, tzinfo=dt.UTC)
    assert str(event["URL"]) == EXAMPLE_BASE + "committees/adult-social-care-public-health/2021-01-11/"
    assert "5. Contain Outbreak Management Fund" in str(event["DESCRIPTION"])


def test_a_meeting_without_a_time_is_an_all_day_event(example_output: Path):
    event = events(read(example_output / "committees/adult-social-care-health/2016-03-07/meeting.ics"))
    only = event["adult-social-care-health/2016-03-07@democracy.nottinghamshire.example"]
    assert only.start == dt.date(2016, 3, 7)
    assert only.end == dt.date(2016, 3, 8)
    assert not isinstance(only.start, dt.datetime)


def test_webcast_and_agenda_are_in_the_description(example_output: Path):
    calendar = read(example_output / "committees/adult-social-care-public-health/2021-02-08/meeting.ics")
    (event,) = calendar.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Watch the webcast: https://www.youtube.com/user/nottscc" in description
    assert "4. Adult Social Care and Public Health Department's Digital Strategy for 2021-2024" in description
    assert description.endswith(EXAMPLE_BASE + "committees/adult-social-care-public-health/2021-02-08/")
    assert event.end - event.start == dt.timedelta(hours=2)  # no end time given: two hours


def test_committee_calendar_holds_only_that_committee(example_output: Path):
    calendar = read(example_output / "committees/adult-social-care-health/calendar.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Adult Social Care and Health Committee (Nottinghamshire County Council)"
    assert list(events(calendar)) == ["adult-social-care-health/2016-03-07@democracy.nottinghamshire.example"]


def test_calendar_files_are_where_the_pages_link(example_output: Path):
    meeting_page = example_output / "committees/adult-social-care-public-health/2021-02-08/index.html"
    assert 'href="/committees/adult-social-care-public-health/2021-02-08/meeting.ics"' in meeting_page.read_text()
    assert (example_output / "committees/adult-social-care-public-health/2021-02-08/meeting.ics").is_file()
    committee_page = (example_output / "committees/adult-social-care-health/index.html").read_text()
    # subscribed to with webcal:, which opens a calendar app; the https file is offered beside it
    assert 'href="webcal://democracy.nottinghamshire.example/committees/adult-social-care-health/calendar.ics"' in (
        committee_page
    )
    assert 'href="/committees/adult-social-care-health/calendar.ics"' in committee_page


def test_revision_cancellation_and_moves_reach_the_calendar(make_site):
    root = make_site({"content/committees/test/2021-01-11/meeting.md": held_meeting(2), **OTHER_MEETINGS})
    assert build(root).ok
    found = events(read(root / "output/committees/test/calendar.ics"))
    held = found["test/2021-01-11@democracy.testshire.example"]
    assert held["SEQUENCE"] == 2
    assert held["DTSTAMP"].dt == dt.datetime(2021, 1, 4, tzinfo=dt.UTC)  # from `updated:`, not the clock
    assert str(held["LOCATION"]) == "County Hall"
    description = str(held["DESCRIPTION"])
    assert "5. Exempt item: sale of land" in description
    assert "Old Mill" not in description and "Bidder" not in description
    cancelled = found["test/2021-07-05@democracy.testshire.example"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["DESCRIPTION"]).startswith(
        "This meeting has been cancelled.\nThere is no business to transact.\nWatch the webcast:"
    )
    assert cancelled.start.astimezone(dt.UTC) == dt.datetime(2021, 7, 5, 17, 0, tzinfo=dt.UTC)  # 6pm BST
    assert cancelled.end == dt.datetime(2021, 7, 5, 19, 15, tzinfo=LONDON)
    moved = found["test/2021-09-06@democracy.testshire.example"]
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert str(moved["DESCRIPTION"]).startswith("This meeting has been moved to 13 September 2021.")


def test_uid_is_stable_and_sequence_follows_the_revision(make_site):
    root = make_site({"content/committees/test/2021-01-11/meeting.md": held_meeting(2)})
    assert build(root).ok
    first = events(read(root / "output/committees/test/2021-01-11/meeting.ics"))
    (root / "content/committees/test/2021-01-11/meeting.md").write_text(held_meeting(3))
    assert build(root).ok
    second = events(read(root / "output/committees/test/2021-01-11/meeting.ics"))
    assert list(first) == list(second) == ["test/2021-01-11@democracy.testshire.example"]
    assert [e["SEQUENCE"] for e in (*first.values(), *second.values())] == [2, 3]


def test_calendar_bytes_do_not_depend_on_the_build_date(make_site, tmp_path):
    """Two sites built on different days: a rebuild of one site finds nothing it shows changed and keeps its
    calendar, so it would compare the calendar with itself."""
    early, late = make_site(OTHER_MEETINGS), write_site(tmp_path / "later", OTHER_MEETINGS)
    assert build(early, dt.date(2026, 1, 1)).ok and build(late, dt.date(2027, 6, 1)).ok
    assert (late / "output/calendar.ics").read_bytes() == (early / "output/calendar.ics").read_bytes()


def test_time_zone_is_declared_for_every_timed_meeting(make_site):
    root = make_site(OTHER_MEETINGS)
    assert build(root).ok
    calendar = read(root / "output/calendar.ics")
    assert calendar.get_missing_tzids() == set()
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/London"}
    moved_only = read(root / "output/committees/test/2021-09-06/meeting.ics")
    assert moved_only.walk("VTIMEZONE") == []  # an all-day event needs no time zone
