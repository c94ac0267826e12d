"""Earlier decisions: a decision whose minutes are not on the site, recorded on its own, is a resolution for every
purpose of reference, with a page, a place in the registers and the data, and backlinks both ways."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TODAY, build, debian_chromium, serving
from test_accessibility import VNU, axe_violations, describe, require
from test_data import validate
from test_gate import hits, output_bytes

MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
  - number: 4
    title: Integration update
    ref: resolution:2015/042
---
"""

REPORT = """\
---
title: Integration update
subjects: [integration]
---
1. The purpose of this report is to update the Committee on integration.
2. The Members Reference Group was set up by [resolution 2015/042](resolution:2015/042) in 2015.
3. Its guiding principles, agreed as [minute 9 of 10 March 2014](resolution:2014-03-10/9), still stand, and
   resolution 2015/042 relied on them.
"""

MINUTES = """\
---
status: confirmed
resolutions:
  "2021/001":
    supersedes: ["2015/042"]
    refers_to: ["2014-03-10/9"]
---
## 4. Integration update

::: resolved 2021/001
That the Members Reference Group be replaced by the Integration Board.
:::
"""

RECORD = """\
---
number: 2015/042
date: 2015-06-29
title: Members Reference Group
record: https://www.testshire.example/minutes/2015-06-29.pdf
subjects: [integration]
amends: ["2014-03-10/9"]
---
That a Members Reference Group be established to drive local integration, underpinned by the guiding
principles agreed in [minute 9 of 10 March 2014](resolution:2014-03-10/9).
"""

PER_MEETING_RECORD = """\
---
number: 9
date: 2014-03-10
title: Guiding principles for integration
---
That the guiding principles for integration be agreed.
"""

SUBJECT = "---\ntitle: Integration\n---\nHealth and social care together.\n"
DECISIONS = "content/committees/test/decisions/"
DAY = "content/committees/test/2021-01-11/"
FILES = {
    DAY + "meeting.md": MEETING,
    DAY + "04-integration-update.md": REPORT,
    DAY + "minutes.md": MINUTES,
    DECISIONS + "2015-042.md": RECORD,
    DECISIONS + "2014-03-10-minute-9.md": PER_MEETING_RECORD,
    "content/subjects/integration.md": SUBJECT,
}
RECORD_URL = "/committees/test/resolutions/2015-042/"
MINUTE_9_URL = "/committees/test/resolutions/2014-03-10-minute-9/"
REPORT_URL = "/committees/test/2021-01-11/04-integration-update/"
LATER_URL = "/committees/test/resolutions/2021-001/"


class Page(HTMLParser):
    """A built page as a reader meets it: the text and links of its main part, each link with its words and the
    heading it is under (the menu, breadcrumbs and footer left out)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (href, words, the h1/h2 above it)
        self.words: list[str] = []
        self._main, self._heading, self._in_heading, self._href, self._text = False, "", False, None, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self._in_heading, self._heading = True, ""
        elif tag == "a" and self._main:
            self._href, self._text = dict(attrs).get("href"), []
        self._main = self._main or tag == "main"

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self._in_heading = False
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split()), self._heading.strip()))
            self._href = None
        self._main = self._main and tag != "main"

    def handle_data(self, data):
        if not self._main:
            return
        self.words.append(data)
        if self._in_heading:
            self._heading += data
        if self._href is not None:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())

    def under(self, heading: str) -> list[tuple[str, str]]:
        return [(href, words) for href, words, above in self.links if above == heading]

    def href(self, words: str) -> str:
        found = [href for href, text, _ in self.links if text == words]
        assert len(found) == 1, (words, self.links)
        return found[0]


def page(root: Path, url: str) -> Page:
    path = root / "output" / url.lstrip("/")
    return Page((path / "index.html" if url.endswith("/") else path).read_text(encoding="utf-8"))


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(FILES)
    result = build(root)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    return root


def test_a_report_citing_an_earlier_decision_links_to_its_page_and_the_page_links_back(site: Path):
    report = page(site, REPORT_URL)
    written, mentioned = [href for href, words, _ in report.links if words == "resolution 2015/042"]
    assert written == mentioned == RECORD_URL  # a link, and a mention written the usual way
    cited_by = page(site, written).under("Referenced by")
    assert (REPORT_URL + "#para-2", "Integration update") in cited_by
    assert (REPORT_URL + "#para-3", "Integration update") in cited_by
    assert report.href("minute 9 of 10 March 2014") == MINUTE_9_URL
    assert (REPORT_URL + "#para-3", "Integration update") in page(site, MINUTE_9_URL).under("Referenced by")


def test_the_page_says_what_was_decided_and_that_its_minutes_are_not_here(site: Path):
    record = page(site, RECORD_URL)
    assert "Resolution 2015/042 Members Reference Group" in record.text
    assert "Made before this site’s records of the Test Committee begin, so its minutes are not published here" in (
        record.text
    )
    assert record.href("Read the council’s original record of this decision") == (
        "https://www.testshire.example/minutes/2015-06-29.pdf"
    )
    assert "Date 29 June 2015" in record.text and "RESOLVED 2015/042 That a Members Reference Group" in record.text
    assert record.href("Test Committee") == "/committees/test/"
    assert record.href("Integration") == "/subjects/integration/"
    minute_9 = page(site, MINUTE_9_URL)
    assert "Minute 9 Guiding principles for integration" in minute_9.text
    assert "Read the council’s original record" not in minute_9.text  # none was given


def test_later_decisions_set_its_status_and_relations_link_both_ways(site: Path):
    record = page(site, RECORD_URL)
    assert "Superseded Earlier record" in record.text
    assert record.under("Superseded by") == [(LATER_URL, "Resolution 2021/001")]
    assert page(site, LATER_URL).under("Supersedes") == [(RECORD_URL, "Resolution 2015/042")]
    assert record.under("Amends") == [(MINUTE_9_URL, "Minute 9")]  # a record may relate to an older one
    minute_9 = page(site, MINUTE_9_URL)
    assert minute_9.under("Amended by") == [(RECORD_URL, "Resolution 2015/042")]
    assert "Amended Earlier record" in minute_9.text
    assert minute_9.under("Cited by later decisions") == [(LATER_URL, "Resolution 2021/001")]
    # the mention in the record's wording is a backlink like any other
    assert (RECORD_URL, "Resolution 2015/042: Members Reference Group") in minute_9.under("Referenced by")


def test_an_agenda_item_about_it_links_to_it_and_is_listed_on_its_page(site: Path):
    meeting = page(site, "/committees/test/2021-01-11/")
    assert meeting.href("Resolution 2015/042: Members Reference Group") == RECORD_URL
    item = ("/committees/test/2021-01-11/#item-4", "Meeting of 11 January 2021")
    assert item in page(site, RECORD_URL).under("Referenced by")


def test_the_registers_list_it_marked_as_an_earlier_record(site: Path):
    for url in (
        "/decisions/",
        "/committees/test/resolutions/",
        "/decisions/2015/",
        "/decisions/status/superseded/",
    ):
        register = (site / "output" / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        row = re.search(r'<tr data-committee="test" data-year="2015".*?</tr>', register, re.S)
        assert row is not None, url
        shown = Page(f"<main><table>{row.group()}</table></main>")
        assert shown.href("2015/042") == RECORD_URL, url
        assert "Members Reference Group Earlier record" in shown.text, url
        links = re.findall(r'href="([^"]+)"', row.group())
        assert links == [RECORD_URL], f"{url}: a record's date leads to no meeting page, so it is no link"
    assert "Members Reference Group" not in (site / "output/decisions/2021/index.html").read_text()
    assert (site / "output/decisions/2014/index.html").is_file()
    home = page(site, "/")
    assert "Resolution 2021/001" in home.text and "2015/042" not in home.text  # no "recent decision"


def test_the_data_export_says_it_is_an_earlier_record(site: Path):
    decisions = {r["id"]: r for r in validate(site / "output", "resolutions")}
    record = decisions["test/2015/042"]
    assert record["earlier_record"] is True
    assert record["record_url"] == "https://www.testshire.example/minutes/2015-06-29.pdf"
    assert (record["meeting"], record["agenda_item"], record["date"]) == (None, None, "2015-06-29")
    assert record["status"] == "superseded" and record["relations"] == [{"kind": "amends", "target": "2014-03-10/9"}]
    assert record["text"].startswith("That a Members Reference Group be established")
    assert decisions["test/2014-03-10/9"]["record_url"] is None
    assert decisions["test/2021/001"]["earlier_record"] is False
    csv_text = (site / "output/decisions/decisions.csv").read_text(encoding="utf-8")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(csv_text, newline=""))}
    assert rows["test/2015/042"]["earlier_record"] == "yes" and rows["test/2015/042"]["meeting_url"] == ""
    assert rows["test/2021/001"]["earlier_record"] == "no"
    papers = json.loads((site / "output/data/papers.json").read_text())["papers"]
    assert [p["resolutions"] for p in papers] == [["test/2021/001"]]


def test_it_is_in_no_feed_or_calendar_but_in_its_subjects_chronology(site: Path):
    output = site / "output"
    assert "resolutions/2021-001/" in (output / "feeds/all.atom").read_text()  # decisions are in feeds
    for feed in ("feeds/all.atom", "feeds/test.atom", "feeds/subjects/integration.atom"):
        text = (output / feed).read_text(encoding="utf-8")
        assert "2015-042" not in text and "minute-9" not in text, feed
    for calendar in ("calendar.ics", "committees/test/calendar.ics"):
        text = (output / calendar).read_text(encoding="utf-8")
        assert "20150629" not in text and "20140310" not in text and "Members Reference Group" not in text
    chronology = page(site, "/subjects/integration/")
    assert "29 June 2015 , Test Committee: Decision: Resolution 2015/042: Members Reference Group" in chronology.text
    assert (RECORD_URL, "Resolution 2015/042: Members Reference Group") in [
        (href, words) for href, words, _ in chronology.links
    ]


def test_search_indexes_its_wording(site: Path):
    index = {name: data for name, data in output_bytes(site / "output").items() if name.startswith("pagefind/")}
    assert hits(index, "established"), "the record's wording is in the search index"


DRAFT = """\
---
number: 2015/050
date: 2015-07-27
title: Confidential review zqxdraftrecordtitleqz
draft: true
---
That the review be carried out zqxdraftrecordbodyqz.
"""

SCHEDULED = """\
---
number: 2015/051
date: 2015-07-27
title: Review of day services zqxscheduledrecordqz
publish_on: 2026-12-01
---
That day services be reviewed.
"""


def test_a_draft_or_scheduled_record_is_withheld_and_a_citation_keeps_only_its_words(make_site):
    citing = REPORT + "4. See resolution 2015/050 and [the review](resolution:2015/051).\n"
    root = make_site(
        {
            **FILES,
            DAY + "04-integration-update.md": citing,
            DECISIONS + "review.md": DRAFT,
            DECISIONS + "day.md": SCHEDULED,
        }
    )
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    files = output_bytes(root / "output")
    assert not hits(files, "zqxdraftrecord") and not hits(files, "zqxscheduledrecordqz")
    assert not (root / "output/committees/test/resolutions/2015-050").exists()
    report = page(root, REPORT_URL)
    assert "See resolution 2015/050 and the review." in report.text
    assert not [href for href, _, _ in report.links if "2015-05" in href]
    later = build(root, today=TODAY.replace(month=12, day=2))
    assert later.ok
    assert page(root, REPORT_URL).href("the review") == "/committees/test/resolutions/2015-051/"
    assert not hits(output_bytes(root / "output"), "zqxdraftrecord")


def test_the_preview_shows_a_draft_record_marked(make_site):
    root = make_site({**FILES, DECISIONS + "review.md": DRAFT})
    assert build(root, preview=True).ok
    draft = page(root, "/committees/test/resolutions/2015-050/")
    assert "Draft — not published" in draft.text and "zqxdraftrecordbodyqz" in draft.text


def test_a_record_of_a_meeting_on_the_site_links_to_it_and_does_not_say_it_came_before(make_site):
    meeting = "---\nstatus: held\nagenda:\n  - number: 6\n    title: Alliance agreement\n---\n"
    record = (
        RECORD.replace("2015-06-29", "2016-03-07")
        .replace("2015/042", "2016/020")
        .replace('amends: ["2014-03-10/9"]\n', "")
    )
    root = make_site(
        {**FILES, "content/committees/test/2016-03-07/meeting.md": meeting, DECISIONS + "2016-020.md": record}
    )
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    shown = page(root, "/committees/test/resolutions/2016-020/")
    assert "Its minutes are not published on this site." in shown.text and "Made before" not in shown.text
    assert shown.href("7 March 2016") == "/committees/test/2016-03-07/"
    data = {r["id"]: r for r in validate(root / "output", "resolutions")}
    assert data["test/2016/020"]["meeting"] == "test/2016-03-07"


def errors(root: Path) -> list[str]:
    result = build(root)
    assert not result.ok and not (root / "output").exists()
    return [str(d) for d in result.diagnostics if d.severity == "error"]


def test_two_records_of_one_number_are_an_error_naming_both(make_site):
    again = RECORD.replace("2015/042", "2015-042")  # the same number, written with a hyphen
    root = make_site({**FILES, DECISIONS + "members-group.md": again})
    assert errors(root) == [
        f"{DECISIONS}members-group.md:2: resolution 2015-042 is already recorded in {DECISIONS}2015-042.md:2 "
        "(2015/042: numbers differ only in punctuation); numbers must be unique within a committee: remove one of "
        "the two files, or correct its number"
    ]


def test_a_record_of_a_meeting_whose_minutes_are_on_the_site_is_an_error(make_site):
    record = "---\nnumber: 2021/007\ndate: 2021-01-11\ntitle: Work programme\n---\nThat the programme be agreed.\n"
    root = make_site({**FILES, DECISIONS + "2021-007.md": record})
    assert errors(root) == [
        f"{DECISIONS}2021-007.md:3: the minutes of 11 January 2021 are on this site ({DAY}minutes.md): "
        "a decision made at that meeting belongs in them, as '::: resolved 2021/007'; a file in decisions/ is for "
        "a decision whose minutes are not on the site"
    ]


def test_a_records_relations_and_subjects_are_checked_at_their_lines(make_site):
    record = RECORD.replace('"2014-03-10/9"', '"2014/099"').replace("[integration]", "[integrate]")
    root = make_site({**FILES, DECISIONS + "2015-042.md": record})
    assert errors(root) == [
        f"{DECISIONS}2015-042.md:6: resolution 2015/042: unknown subject 'integrate' (did you mean "
        '"integration"?): add content/subjects/integrate.md',
        f"{DECISIONS}2015-042.md:7: resolution 2015/042 amends '2014/099', which is not a resolution (test/2014/099) "
        '(did you mean "test/2021/001"?)',
    ]


def test_a_resolved_block_in_a_record_is_an_error_at_its_line(make_site):
    """Copied from minutes, the block would print the decision's heading twice: the body is the wording."""
    record = RECORD.replace("---\nThat a Members", "---\n::: resolved 2015/042\nThat a Members") + ":::\n"
    root = make_site({**FILES, DECISIONS + "2015-042.md": record})
    assert errors(root) == [
        f"{DECISIONS}2015-042.md:9: expected the decision's wording alone below the front matter, found "
        "'::: resolved 2015/042': a file in decisions/ is one decision, so its wording needs no '::: resolved' "
        "block; remove this line and its closing ':::'"
    ]


# The page is as accessible as every other ---------------------------------------------------------------------

CHECKED = (RECORD_URL, MINUTE_9_URL, "/decisions/", "/subjects/integration/")


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    with serving(site / "output") as url:
        yield url.rstrip("/")


@pytest.mark.browser
def test_its_page_and_the_registers_have_no_wcag_violations(served: str):
    with debian_chromium() as browser:
        tab = browser.new_page()
        for url in CHECKED:
            for width, scheme in ((1280, "light"), (320, "light"), (1280, "dark")):
                tab.set_viewport_size({"width": width, "height": 900})
                tab.emulate_media(media="screen", color_scheme=scheme)
                assert tab.goto(served + url, wait_until="load").status == 200
                violations = axe_violations(tab)
                assert not violations, f"{url} at {width}px, {scheme}:{describe(violations)}"


@pytest.mark.vnu
def test_its_page_is_valid_html(site: Path):
    require(VNU, "The Nu Html Checker (vnu-jar)")
    pages = [str(site / "output" / url.lstrip("/") / "index.html") for url in CHECKED]
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = next((line for line in (run.stderr + run.stdout).splitlines() if line.startswith('{"')), None)
    assert report is not None, f"the Nu Html Checker gave no JSON report:\n{run.stderr}{run.stdout}"
    assert [m for m in json.loads(report)["messages"] if m.get("type") in ("error", "non-document-error")] == []
