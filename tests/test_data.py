"""Open data, sitemap and robots.txt: someone reuses the council's records, and crawlers find every page."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest
from conftest import EXEMPT_APPENDIX, EXEMPT_ITEM, ROOT, SITE_TOML, build

EXAMPLE_BASE = "https://democracy.nottinghamshire.example/"
BASE = "https://democracy.testshire.example/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DOCUMENTS = {"meetings": "meetings", "agenda-items": "agenda_items", "papers": "papers", "resolutions": "resolutions"}
WITHHELD = {"exempt": True, "exempt_paragraph": 3, "title": "Exempt appendix: commercial terms"}

SITE = {
    "content/committees/test/2021-01-11/meeting.md": f"""\
---
time: "10:30"
venue: County Hall
webcast: https://video.testshire.example/live
status: held
revision: 1
agenda:
  - number: 4
    title: A report
    key_decision: true
    wards: [Bingham]
{EXEMPT_ITEM}---
""",
    "content/committees/test/2021-01-11/04-a-report.md": """\
---
title: Budget report
report_of: Director of Finance
published: 2021-01-01
---
1. Text.
""",
    "content/committees/test/2021-01-11/04-a-report-appendix-1.md": EXEMPT_APPENDIX,
    "content/committees/test/2021-01-11/05-old-mill-sale.md": """\
---
title: Old Mill sale to Bidder X
access: exempt
exempt_paragraph: 3
public_title: "Exempt report: sale of land"
---
SECRET-MILL
""",
    "content/committees/test/2021-01-11/minutes.md": """\
---
status: confirmed
published: 2021-01-20
resolutions:
  "2021/002":
    amends: ["2021/001"]
---
## 4. A report

::: resolved 2021/001
That the budget be approved,
with a "reserve" of £1m.
:::

## 5. Exempt item: sale of land

::: resolved 2021/002
That the land be sold and resolution 2021/001 be amended.
:::
""",
}


def load(output: Path, name: str) -> dict:
    return json.loads((output / f"data/{name}.json").read_text(encoding="utf-8"))


def validate(output: Path, name: str) -> list[dict]:
    """Check a data file against the schema published beside it, which must be the one the package ships."""
    published = output / f"data/schemas/{name}.schema.json"
    assert published.read_bytes() == (ROOT / f"minutebook/site/schemas/{name}.schema.json").read_bytes()
    schema = json.loads(published.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = load(output, name)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["$schema"].endswith(f"data/schemas/{name}.schema.json")
    return document[DOCUMENTS[name]]


def sitemap_urls(output: Path) -> list[str]:
    root = ET.fromstring((output / "sitemap.xml").read_bytes())
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def page_for(output: Path, url: str, base: str) -> Path:
    assert url.startswith(base), url
    path = output / url.removeprefix(base)
    return path / "index.html" if url.endswith("/") else path


@pytest.mark.parametrize("name", DOCUMENTS)
def test_example_data_follows_its_schema(example_output: Path, name: str):
    assert validate(example_output, name)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_record_is_a_line_of_its_own(example_output: Path, name: str):
    """One record a line: a diff of two days' downloads shows which records changed, and nothing else."""
    lines = (example_output / f"data/{name}.json").read_text(encoding="utf-8").splitlines()
    records = load(example_output, name)[name.replace("-", "_")]
    assert records and len(lines) == len(records) + 5
    assert [json.loads(line.strip().removesuffix(",")) for line in lines[3:-2]] == records


def test_example_data_counts_and_links(example_output: Path):
    meetings = validate(example_output, "meetings")
    assert [m["id"] for m in meetings] == [
        "adult-social-care-health/2016-03-07",
        "adult-social-care-public-health/2021-01-11",
        "adult-social-care-public-health/2021-02-08",
    ]
    february = meetings[2]
    assert february["start_date"] == "2021-02-08T10:30:00+00:00"
    assert february["location"] == {"name": "Virtual meeting", "virtual": True}
    assert february["media"] == [{"note": "Webcast", "url": "https://www.youtube.com/user/nottscc"}]
    assert [i["order"] for i in february["agenda"]] == list(range(1, 10))
    assert meetings[0]["all_day"] is True and meetings[0]["start_date"] == "2016-03-07"
    items = validate(example_output, "agenda-items")
    assert len(items) == sum(len(m["agenda"]) for m in meetings)
    papers = validate(example_output, "papers")
    assert len(papers) == 13
    for record in [*meetings, *items, *(p for p in papers if "url" in p), *validate(example_output, "resolutions")]:
        assert page_for(example_output, record["url"].split("#")[0], EXAMPLE_BASE).is_file(), record["url"]


def test_exempt_appendix_appears_only_as_withheld(example_output: Path):
    papers = validate(example_output, "papers")
    exempt = [p for p in papers if p.get("exempt")]
    assert exempt == [{"exempt": True, "exempt_paragraph": 3, "title": "Exempt Appendix"}]
    report = next(p for p in papers if p.get("id", "").endswith("06-mid-nottinghamshire-alliance-agreement"))
    assert report["appendices"] == exempt
    for name in DOCUMENTS:
        text = (example_output / f"data/{name}.json").read_text()
        assert "alliance-agreement-appendix-1" not in text and "-exempt" not in text


def test_decisions_csv_is_the_register_in_rows(example_output: Path):
    text = (example_output / "decisions/decisions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["number"] for r in rows] == [f"2021/00{n}" for n in range(7, 0, -1)]
    first = rows[-1]
    assert first["status"] == "in force"
    assert first["meeting_date"] == "2021-01-11"
    assert first["url"] == EXAMPLE_BASE + "committees/adult-social-care-public-health/resolutions/2021-001/"
    assert "\n" in rows[0]["text"]  # a resolution's points stay in one cell
    register = (example_output / "decisions/index.html").read_text()
    assert 'href="/decisions/decisions.csv"' in register and 'href="/data/resolutions.json"' in register


def test_status_and_exempt_papers_in_a_small_site(make_site):
    root = make_site(SITE)
    assert build(root).ok
    output = root / "output"
    resolutions = {r["identifier"]: r for r in validate(output, "resolutions")}
    assert resolutions["2021/001"]["status"] == "amended"
    assert resolutions["2021/002"]["status"] == "in force"
    assert resolutions["2021/002"]["relations"] == [{"kind": "amends", "target": "2021/001"}]
    assert resolutions["2021/002"]["paper"] == {
        "exempt": True,
        "exempt_paragraph": 3,
        "title": "Exempt report: sale of land",
    }
    assert resolutions["2021/001"]["paper"]["url"] == BASE + "committees/test/2021-01-11/04-a-report/"
    papers = validate(output, "papers")
    budget = next(p for p in papers if p.get("title") == "Budget report")
    assert budget["appendices"] == [WITHHELD]
    assert budget["resolutions"] == ["test/2021/001"]
    assert WITHHELD in papers
    (meeting,) = validate(output, "meetings")
    assert meeting["revision"] == 1
    item = meeting["agenda"][1]
    assert (item["description"], item["exempt"], item["exempt_paragraph"], item["wards"]) == (
        "Exempt item: sale of land",
        True,
        3,
        [],
    )
    assert meeting["agenda"][0]["wards"] == ["Bingham"] and meeting["agenda"][0]["key_decision"] is True
    rows = list(csv.DictReader(io.StringIO((output / "decisions/decisions.csv").read_text(), newline="")))
    assert [(r["number"], r["status"], r["paper_url"]) for r in rows] == [
        ("2021/002", "in force", ""),
        ("2021/001", "amended", BASE + "committees/test/2021-01-11/04-a-report/"),
    ]
    assert rows[1]["text"] == 'That the budget be approved, with a "reserve" of £1m.'
    for path in [*output.glob("data/*.json"), output / "decisions/decisions.csv", output / "sitemap.xml"]:
        text = path.read_text()
        assert "Bidder" not in text and "SECRET" not in text and "old-mill" not in text, path


def test_sitemap_leaves_out_the_redirect_of_a_renamed_paper(make_site):
    report = "content/committees/test/2021-01-11/04-a-report.md"
    root = make_site({**SITE, report: SITE[report].replace("published:", "formerly: [04-budget]\npublished:")})
    assert build(root).ok
    output = root / "output"
    assert (output / "committees/test/2021-01-11/04-budget/index.html").is_file()
    urls = sitemap_urls(output)
    assert BASE + "committees/test/2021-01-11/04-a-report/" in urls
    assert BASE + "committees/test/2021-01-11/04-budget/" not in urls


def test_sitemap_lists_every_public_page_and_nothing_missing(example_output: Path):
    urls = sitemap_urls(example_output)
    assert len(urls) == len(set(urls))
    listed = {page_for(example_output, url, EXAMPLE_BASE) for url in urls}
    assert all(path.is_file() for path in listed), sorted(p for p in listed if not p.is_file())
    pages = {p for p in example_output.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text()}
    pages.discard(example_output / "404.html")
    assert listed == pages
    robots = (example_output / "robots.txt").read_text()
    assert f"Sitemap: {EXAMPLE_BASE}sitemap.xml" in robots.splitlines()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def test_open_data_page_links_every_download_and_schema(example_output: Path):
    links = Links()
    links.feed((example_output / "data/index.html").read_text())
    downloads = [h for h in links.hrefs if h.endswith((".json", ".csv", ".ics", ".atom", ".xml"))]
    expected = {f"/data/{n}.json" for n in DOCUMENTS} | {f"/data/schemas/{n}.schema.json" for n in DOCUMENTS}
    assert expected | {"/decisions/decisions.csv", "/calendar.ics", "/feeds/all.atom"} <= set(downloads)
    for href in downloads:
        assert (example_output / href.lstrip("/")).is_file(), href
    assert "(CSV)" in (example_output / "data/index.html").read_text()


def test_sub_path_base_url_reaches_every_absolute_link(make_site):
    base = "https://example.gov.uk/democracy/"
    root = make_site({**SITE, "site.toml": SITE_TOML.replace(BASE, base)})
    assert build(root).ok
    output = root / "output"
    feed = feedparser.parse((output / "feeds/all.atom").read_bytes())
    assert feed.feed.id == base + "feeds/all.atom"
    assert {entry.link for entry in feed.entries} >= {
        base + "committees/test/2021-01-11/",
        base + "committees/test/resolutions/2021-001/",
    }
    for entry in feed.entries:
        assert page_for(output, entry.link, base).is_file()
    calendar = icalendar.Calendar.from_ical((output / "calendar.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]) == base + "committees/test/2021-01-11/"
    assert str(event["UID"]) == "test/2021-01-11@example.gov.uk"
    urls = sitemap_urls(output)
    assert base in urls and base + "data/" in urls
    assert all(page_for(output, url, base).is_file() for url in urls)
    assert f"Sitemap: {base}sitemap.xml" in (output / "robots.txt").read_text()
    (meeting,) = load(output, "meetings")["meetings"]
    assert meeting["calendar_url"] == base + "committees/test/2021-01-11/meeting.ics"
    assert 'href="/democracy/data/meetings.json"' in (output / "data/index.html").read_text()


def test_a_preview_asks_crawlers_to_stay_away(make_site):
    root = make_site(SITE)
    assert build(root, preview=True).ok
    assert (root / "output/robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
