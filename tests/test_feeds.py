"""Feeds: a resident follows new agendas, papers, minutes and decisions in a feed reader."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from conftest import EXEMPT_APPENDIX, EXEMPT_ITEM, build, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
EXAMPLE_BASE = "https://democracy.nottinghamshire.example/"
BASE = "https://democracy.testshire.example/"

SITE = {
    "content/committees/test/2021-01-11/meeting.md": f"""\
---
time: "10:30"
venue: County Hall
status: held
updated: 2021-01-04
agenda:
  - number: 4
    title: A report
{EXEMPT_ITEM}---
""",
    "content/committees/test/2021-01-11/04-a-report.md": """\
---
title: "Fish & Chips <Ltd> contract"
report_of: Director of Finance
published: 2021-01-01
---
1. Text.
""",
    "content/committees/test/2021-01-11/04-a-report-appendix-1.md": EXEMPT_APPENDIX,
    "content/committees/test/2021-01-11/minutes.md": """\
---
status: confirmed
published: 2021-01-20
---
## 4. A report

Discussed.

::: resolved 2021/001
That the contract be awarded.
:::
""",
}


def parse_strictly(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def local_file(output: Path, url: str, base: str) -> Path:
    assert url.startswith(base), url
    path = output / url.removeprefix(base).split("#")[0]
    return path / "index.html" if url.endswith("/") else path


def day(entry_time: time.struct_time) -> dt.date:
    return dt.date(entry_time.tm_year, entry_time.tm_mon, entry_time.tm_mday)


def test_example_feed_lists_public_papers_and_decisions_newest_first(example_output: Path):
    root = parse_strictly(example_output / "feeds/all.atom")
    feed = feedparser.parse((example_output / "feeds/all.atom").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Committee papers: new papers and decisions"
    assert feed.feed.id == EXAMPLE_BASE + "feeds/all.atom"
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": EXAMPLE_BASE + "feeds/all.atom",
        "alternate": EXAMPLE_BASE,
    }
    # 3 agendas, 12 public papers (the exempt appendix is left out), 1 set of minutes, 7 decisions
    assert len(feed.entries) == len(root.findall(f"{ATOM}entry")) == 23
    assert "Exempt Appendix" not in {e.title for e in feed.entries}
    updated = [day(e.updated_parsed) for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    # dated by the day each was published, at the start of that day in the council's time zone (GMT in winter)
    assert feed.feed.updated == root.find(f"{ATOM}updated").text == "2021-02-08T00:00:00+00:00"
    assert len({e.id for e in feed.entries}) == 23


def test_every_entry_links_to_a_page_that_exists(example_output: Path):
    feed = feedparser.parse((example_output / "feeds/all.atom").read_bytes())
    for entry in feed.entries:
        assert entry.id == entry.link
        assert local_file(example_output, entry.link, EXAMPLE_BASE).is_file(), entry.link


def test_resolution_entry_carries_its_text_and_is_dated_with_its_minutes(example_output: Path):
    feed = feedparser.parse((example_output / "feeds/adult-social-care-public-health.atom").read_bytes())
    entry = next(e for e in feed.entries if e.title.startswith("Resolution 2021/002"))
    assert entry.title == "Resolution 2021/002: Contain Outbreak Management Fund"  # as its own page calls it
    assert entry.link == EXAMPLE_BASE + "committees/adult-social-care-public-health/resolutions/2021-002/"
    assert day(entry.updated_parsed) == dt.date(2021, 1, 11)  # the minutes say no other publication date
    assert "Contain Outbreak Management Fund" in entry.summary
    assert [(t.term, t.label) for t in entry.tags] == [("decision", "Decision")]


def test_committee_feed_holds_only_that_committee(example_output: Path):
    feed = feedparser.parse((example_output / "feeds/adult-social-care-health.atom").read_bytes())
    assert [e.link for e in feed.entries] == [
        EXAMPLE_BASE + "committees/adult-social-care-health/2016-03-07/06-mid-nottinghamshire-alliance-agreement/",
        EXAMPLE_BASE + "committees/adult-social-care-health/2016-03-07/",
    ]
    assert {link.rel: link.href for link in feed.feed.links}[
        "alternate"
    ] == EXAMPLE_BASE + "committees/adult-social-care-health/"
    page = (example_output / "committees/adult-social-care-health/index.html").read_text()
    assert 'href="/feeds/adult-social-care-health.atom"' in page


def test_entry_dates_come_from_the_content_and_exempt_text_stays_out(make_site):
    root = make_site(SITE)
    assert build(root).ok
    path = root / "output/feeds/test.atom"
    parse_strictly(path)
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo
    got = [(e.tags[0].term, e.title, day(e.updated_parsed)) for e in feed.entries]
    assert got == [
        ("decision", "Resolution 2021/001: A report", dt.date(2021, 1, 20)),  # published with the minutes
        ("minutes", "Minutes: Test Committee, 11 January 2021", dt.date(2021, 1, 20)),
        ("agenda", "Agenda: Test Committee, 11 January 2021", dt.date(2021, 1, 4)),
        ("paper", "Fish & Chips <Ltd> contract", dt.date(2021, 1, 1)),
    ]
    assert feed.feed.updated == "2021-01-20T00:00:00+00:00"
    agenda = feed.entries[2]
    assert "5. Exempt item: sale of land" in agenda.summary
    text = path.read_text()
    assert "Bidder" not in text and "SECRET" not in text and "commercial terms" not in text


def test_feed_bytes_do_not_depend_on_the_build_date(make_site, tmp_path):
    """Two sites built on different days: a rebuild of one site finds nothing it shows changed and keeps its
    feed, so it would compare the feed with itself."""
    early, late = make_site(SITE), write_site(tmp_path / "later", SITE)
    assert build(early, dt.date(2026, 1, 1)).ok and build(late, dt.date(2027, 6, 1)).ok
    assert (late / "output/feeds/all.atom").read_bytes() == (early / "output/feeds/all.atom").read_bytes()


def test_a_feed_stops_at_one_hundred_entries(make_site):
    papers = {
        f"content/committees/test/2021-01-11/04-paper-{n:03d}.md": f"---\ntitle: Paper {n:03d}\n"
        f"published: {dt.date(2020, 1, 1) + dt.timedelta(days=n)}\n---\nText.\n"
        for n in range(1, 106)
    }
    root = make_site(papers)
    assert build(root).ok
    feed = feedparser.parse((root / "output/feeds/all.atom").read_bytes())
    assert len(feed.entries) == 100
    assert feed.entries[0].title == "Agenda: Test Committee, 11 January 2021"
    assert [e.title for e in feed.entries[1:3]] == ["Paper 105", "Paper 104"]
    assert feed.entries[-1].title == "Paper 007"  # the six oldest papers are left out
