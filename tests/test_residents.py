"""What residents see: what will be decided and what was, titles and descriptions, linkable paragraphs, keeping up.

Each test reads the built pages back (the example site, or a small site written here) as a resident's
browser would get them.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
from conftest import build
from PIL import Image

MEETING = "committees/adult-social-care-public-health/2021-02-08/"
HELD_WITH_DECISIONS = "committees/adult-social-care-public-health/2021-01-11/"
DIGITAL = MEETING + "04-digital-strategy/"
BASE = "https://democracy.nottinghamshire.example/"


def read(output: Path, url: str) -> str:
    return (output / url / "index.html").read_text(encoding="utf-8") if not url.endswith(".html") else ""


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def item(page: str, number: str) -> str:
    """The HTML of one agenda item of a meeting page."""
    start = page.index(f'<li id="item-{number}"')
    end = page.find('<li id="item-', start + 1)
    return page[start : end if end > 0 else page.index("</ol>", start)]


class Heads(HTMLParser):
    """The <title> and <meta name="description"> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.description, self._in_title = "", None, False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and found.get("name") == "description":
            self.description = found.get("content") or ""

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def heads(path: Path) -> Heads:
    found = Heads()
    found.feed(path.read_text(encoding="utf-8"))
    return found


# The meeting page: what will be decided, and what was ---------------------------------------------


def test_meeting_page_shows_each_reports_first_recommendation_linked_to_them_all(example_output: Path):
    page = read(example_output, MEETING)
    four = item(page, "4")
    short = text(re.search(r'<div class="outcome outcome-asked">(.*?)</div>', four, re.S).group(1))
    assert short.startswith("Recommendations: That Committee: approves the proposed approach, themes and principles")
    words = short.split("That Committee: ", 1)[1].split("…")[0].split()
    assert len(words) <= 30 + 2  # about 30 words, cut at a whole word: every word is whole in the report
    report = text(read(example_output, DIGITAL))
    assert " ".join(words) in report
    assert f'href="/{DIGITAL}#recommendations"' in four and "Read all 3 recommendations" in four
    # a report with one recommendation short enough to show whole is linked to it in the report
    nine = text(item(page, "9"))
    assert "Recommendation: That the committee considers whether any amendments are required" in nine
    assert "See it in the report" in nine
    assert "Decided" not in page  # no minutes yet: nothing decided is shown


def asked(page: str) -> list[str]:
    """The short forms of recommendations a page shows: under each agenda item, or in a paper's box."""
    found = re.findall(r'<div class="outcome outcome-asked">(.*?)</div>', page, re.S)
    box = re.search(r'<section class="asked"[^>]*>\s*<h2[^>]*>.*?</h2>\s*<p>(.*?)</p>', page, re.S)
    return [text(f) for f in found] + ([text(box.group(1))] if box else [])


def test_a_short_recommendation_is_a_whole_sentence_with_its_lead_in(example_output: Path):
    page = read(example_output, MEETING)
    six = text(item(page, "6"))
    lead_in = "That the Adult Social Care and Public Health Committee reviews the progress made in the health"
    assert f"Recommendations: {lead_in}" in six  # the lead-in has no colon, and is kept
    paper = read(example_output, MEETING + "06-integrated-care-systems/")
    assert asked(paper) == [f"{lead_in} and care system working across Nottinghamshire over the last year."]
    for url in (MEETING, *(f"{MEETING}{p.name}/" for p in (example_output / MEETING).iterdir() if p.is_dir())):
        for short in asked(read(example_output, url)) if (example_output / url / "index.html").exists() else []:
            said = short.split(": ", 1)[1] if short.startswith("Recommendation") else short
            assert said[:1].isupper(), (url, short)  # never starts mid-sentence


def test_a_short_recommendation_never_ends_on_a_colon_promising_what_it_does_not_show(example_output: Path):
    eight = read(example_output, MEETING + "08-dementia-project-support-post/")
    short = "That Committee: gives approval for the establishment of the following temporary Public Health post"
    assert asked(eight) == [f"{short} (details in the report)."]
    start = eight.index('<section class="asked"')
    box = eight[start : eight.index("</section>", start)]
    assert '<a href="#recommendations">The recommendation in full</a>' in box  # the table is there, not here
    on_meeting = text(item(read(example_output, MEETING), "8"))
    assert f"{short} (details in the report). Read the recommendation in full" in on_meeting
    assert "post:" not in on_meeting


def test_short_recommendations_without_a_lead_in_or_ending_on_a_table_read_whole(make_site):
    meeting = MEETING_WITH_TWO_REPORTS
    posts = "That Committee approves the following posts:\n\n| Post | Grade |\n| --- | --- |\n| Officer | B |\n"
    root = make_site(
        {
            "content/committees/test/2027-01-11/meeting.md": meeting,
            "content/committees/test/2027-01-11/04-a-plan.md": REPORT.format("1) approve the plan\n2) note it"),
            "content/committees/test/2027-01-11/05-posts.md": REPORT.format(posts).replace("A plan", "Posts"),
        }
    )
    assert build(root).ok
    page = read(root / "output", "committees/test/2027-01-11/")
    assert asked(page) == [
        "Recommendations: That the committee approve the plan Read all 2 recommendations : A plan",
        "Recommendation: That Committee approves the following posts (details in the report). "
        "Read the recommendation in full : Posts",
    ]


MEETING_WITH_TWO_REPORTS = """\
---
time: "10:30"
venue: County Hall
status: scheduled
agenda:
  - number: 4
    title: A plan
  - number: 5
    title: Posts
---
"""
REPORT = "---\ntitle: A plan\n---\n1. Text.\n\n::: recommendations\n{}\n:::\n"


def test_meeting_page_shows_the_resolutions_made_on_each_item_with_their_status(example_output: Path):
    page = read(example_output, HELD_WITH_DECISIONS)
    five = item(page, "5")
    assert "Decided" in five and "outcome-asked" not in five
    assert 'href="/committees/adult-social-care-public-health/resolutions/2021-002/">Resolution 2021/002</a>' in five
    assert '<strong class="tag tag-in-force">In force</strong>' in five
    assert "Approves the use of the Contain Outbreak Management Fund" in text(five)
    assert "Other decisions" not in page  # every resolution is under its item


def test_a_meeting_without_papers_offers_no_pack_and_a_held_meeting_no_unknown_venue(example_output: Path):
    page = read(example_output, HELD_WITH_DECISIONS)
    assert "Agenda pack" not in page and not (example_output / HELD_WITH_DECISIONS / "pack").exists()
    held = read(example_output, "committees/adult-social-care-health/2016-03-07/")
    assert "<dt>Where</dt>" not in held and "To be confirmed" not in held


def test_an_upcoming_meeting_without_a_venue_says_it_is_to_be_confirmed(make_site):
    meeting = "---\nstatus: scheduled\nagenda:\n  - number: 1\n    title: Apologies\n---\n"
    root = make_site({"content/committees/test/2027-01-11/meeting.md": meeting})
    assert build(root).ok
    page = read(root / "output", "committees/test/2027-01-11/")
    assert "<dt>Where</dt><dd>To be confirmed</dd>" in page
    held = read(root / "output", "committees/test/2021-01-11/")
    assert "<dt>Where</dt><dd>County Hall</dd>" in held


# The paper page ------------------------------------------------------------------------------------


def test_paper_page_says_what_the_committee_is_asked_to_decide_before_anything_else(example_output: Path):
    page = read(example_output, DIGITAL)
    main = page[page.index("<main") :]
    asked = main.index('<section class="asked"')
    assert main.index("<h1") < asked < main.index('<dl class="facts">') < main.index('class="prose paper-body"')
    box = text(main[asked : main.index("</section>", asked)])
    assert box.startswith("What the committee was asked to decide That Committee: approves the proposed approach")
    assert "All 3 recommendations" in box
    assert main.count("Adult Social Care and Public Health Department&#39;s Digital Strategy for 2021-2024</h1>") == 1


def test_paper_page_links_the_decision_made_on_it(make_site):
    minutes = "---\nstatus: confirmed\n---\n## 4. A report\n\n::: resolved 2021/001\nThat the plan be approved.\n:::\n"
    report = "---\ntitle: A report\n---\n1. Text.\n\n::: recommendations\n1) approve the plan\n:::\n"
    root = make_site(
        {
            "content/committees/test/2021-01-11/04-a-report.md": report,
            "content/committees/test/2021-01-11/minutes.md": minutes,
        }
    )
    assert build(root).ok
    page = read(root / "output", "committees/test/2021-01-11/04-a-report/")
    box = page[page.index('<section class="asked"') : page.index("</section>", page.index('<section class="asked"'))]
    assert "approve the plan" in box and "The recommendation in the report" in box
    assert 'href="/committees/test/resolutions/2021-001/">Resolution 2021/001</a>' in box
    assert "In force" in box


def test_the_breadcrumb_and_facts_do_not_repeat_the_title(example_output: Path):
    page = read(example_output, DIGITAL)
    crumbs = page[page.index('<nav class="breadcrumbs"') : page.index("</nav>", page.index('<nav class="breadcrumbs"'))]
    assert '<li aria-current="page">Item 4</li>' in crumbs and "Digital Strategy" not in crumbs
    assert "<dt>Agenda item</dt><dd><a" in page and ">Item 4</a></dd>" in page  # the item's title is the report's
    appendix = read(example_output, DIGITAL.rstrip("/") + "-appendix-1/")
    assert '<li aria-current="page">Appendix 1</li>' in appendix and f'href="/{DIGITAL}">Item 4</a>' in appendix


def test_contents_follow_the_page_and_are_not_numbered(example_output: Path):
    page = read(example_output, DIGITAL)
    contents = page[page.index('<nav class="contents"') : page.index("</nav>", page.index('<nav class="contents"'))]
    assert "<ol" not in contents and "<ul>" in contents
    listed = re.findall(r'href="#([^"]+)"', contents)
    body = page[page.index('class="prose paper-body"') :]
    in_page = [a for a in re.findall(r'<h2 id="([^"]+)"', body) if a in listed]
    assert listed == in_page and "recommendations" in listed
    assert listed.index("recommendations") < len(listed) - 1  # where it stands, not last


def test_key_decision_is_shown_only_when_the_clerk_wrote_it(make_site):
    papers = {
        "04-unsaid": "---\ntitle: Unsaid\n---\nText.\n",
        "04-said-no": "---\ntitle: Said no\nkey_decision: false\n---\nText.\n",
        "04-said-yes": "---\ntitle: Said yes\nkey_decision: true\n---\nText.\n",
    }
    root = make_site({f"content/committees/test/2021-01-11/{stem}.md": text for stem, text in papers.items()})
    assert build(root).ok
    pages = {stem: read(root / "output", f"committees/test/2021-01-11/{stem}/") for stem in papers}
    shown = {path: re.search(r"<dt>Key decision</dt><dd>(\w+)</dd>", page) for path, page in pages.items()}
    assert shown["04-unsaid"] is None
    assert shown["04-said-no"] is not None and shown["04-said-no"].group(1) == "No"
    assert shown["04-said-yes"] is not None and shown["04-said-yes"].group(1) == "Yes"


# Titles and descriptions ---------------------------------------------------------------------------


def test_every_page_title_is_unique_and_says_where_it_belongs(example_output: Path):
    pages = sorted(example_output.rglob("*.html"))
    titles = {p.relative_to(example_output).as_posix(): heads(p).title for p in pages if "pagefind" not in p.parts}
    clashes = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert clashes == set()
    digital = titles[DIGITAL + "index.html"]
    assert digital.startswith("Adult Social Care and Public Health Department's Digital Strategy for 2021-2024 – ")
    assert "Adult Social Care and Public Health Committee, 8 February 2021" in digital
    work = titles[MEETING + "09-work-programme/index.html"]
    assert work.startswith("Work Programme – Adult Social Care and Public Health Committee, 8 February 2021 – ")
    appendix = titles[MEETING + "07-public-health-performance-report-appendix-a/index.html"]
    assert appendix.startswith("Appendix A: ")
    resolution = titles["committees/adult-social-care-public-health/resolutions/2021-002/index.html"]
    assert "Adult Social Care and Public Health Committee" in resolution


def test_every_page_has_a_description_and_a_papers_is_its_purpose(example_output: Path):
    for path in example_output.rglob("*.html"):
        if "pagefind" not in path.parts:
            assert heads(path).description, path
    assert heads(example_output / DIGITAL / "index.html").description == (
        "The purpose of this report is to seek approval for the proposed approach to the development of an "
        "Adult Social Care and Public Health Digital Strategy and Plan for 2021-2024."
    )


def test_the_menu_marks_the_section_a_page_is_in(example_output: Path):
    def current(url: str) -> list[tuple[str, str]]:
        menu = read(example_output, url).split('<nav aria-label="Main">')[1].split("</nav>")[0]
        return re.findall(r'aria-current="(\w+)">(\w+)</a>', menu)

    assert current("meetings/") == [("page", "Meetings")]
    assert current("decisions/") == [("page", "Decisions")]
    assert current(MEETING) == [("true", "Committees")]
    assert current("committees/adult-social-care-public-health/resolutions/2021-002/") == [("true", "Decisions")]
    assert current("decisions/2021/") == [("true", "Decisions")]
    assert current("subjects/integrated-care/") == [("true", "Subjects")]
    assert current("") == [] and current("keep-up-to-date/") == []


# Linkable paragraphs ------------------------------------------------------------------------------


def test_each_numbered_paragraph_number_is_a_link_to_it_named_with_its_number(example_output: Path):
    page = read(example_output, MEETING + "05-local-area-coordination/")
    numbered = re.findall(r'<li class="numbered" value="(\d+)" id="para-\1">(<a [^>]+>[^<]+</a>)', page)
    assert len(numbered) > 20
    for number, link in numbered:
        assert link == (
            f'<a class="para-number" href="#para-{number}" aria-label="Link to paragraph {number}">{number}.</a>'
        )
    assert page.count(' id="para-') == len(numbered)  # none left without its link


def test_the_pack_keeps_plain_numbers(example_output: Path):
    assert "para-number" not in read(example_output, MEETING + "pack/")


# Keeping up -------------------------------------------------------------------------------------


def test_keep_up_page_explains_calendars_and_feeds_and_is_linked_from_every_page(example_output: Path):
    page = read(example_output, "keep-up-to-date/")
    assert 'href="webcal://democracy.nottinghamshire.example/calendar.ics"' in page
    assert f"<code>{BASE}calendar.ics</code>" in page and 'href="/calendar.ics"' in page
    assert f"<code>{BASE}feeds/all.atom</code>" in page
    assert 'id="committee-adult-social-care-public-health"' in page
    assert f"<code>{BASE}feeds/subjects/integrated-care.atom</code>" in page
    for url in ("", MEETING, "committees/adult-social-care-health/", "accessibility/"):
        assert 'href="/keep-up-to-date/' in read(example_output, url), url
    assert 'href="/keep-up-to-date/#committee-adult-social-care-public-health"' in read(example_output, MEETING)


def test_a_subject_has_a_feed_of_its_papers_and_decisions(example_output: Path):
    feed = feedparser.parse((example_output / "feeds/subjects/digital-strategy.atom").read_bytes())
    assert not feed.bozo and feed.feed.title == "Adult social care digital strategy: new papers and decisions"
    assert {link.rel: link.href for link in feed.feed.links}["alternate"] == BASE + "subjects/digital-strategy/"
    links = [entry.link for entry in feed.entries]
    assert BASE + DIGITAL in links
    assert all("/committees/adult-social-care-health/" not in link for link in links)
    assert 'href="/feeds/subjects/digital-strategy.atom"' in read(example_output, "subjects/digital-strategy/")


# Registers and tables -----------------------------------------------------------------------------


def test_registers_by_year_and_status_exist_and_lead_to_each_other(example_output: Path):
    everything = read(example_output, "decisions/")
    assert 'href="/decisions/2021/"' in everything and 'href="/decisions/status/in-force/"' in everything
    assert 'href="/committees/adult-social-care-public-health/resolutions/"' in everything
    rows = re.findall(r'<tr data-committee="([^"]+)" data-year="(\d+)" data-status="([^"]+)">', everything)
    assert len(rows) == 7 and set(rows) == {("adult-social-care-public-health", "2021", "in-force")}
    assert '<form class="register-filter search-form" method="get" hidden>' in everything  # shown by site.js
    year = read(example_output, "decisions/2021/")
    assert "<h1>Decisions made in 2021</h1>" in year and year.count("<tr data-committee") == 7
    status = read(example_output, "decisions/status/in-force/")
    assert "<h1>Decisions in force</h1>" in status and status.count("<tr data-committee") == 7
    assert not (example_output / "decisions/status/rescinded").exists()  # only statuses some decision has


def registers(output: Path) -> list[str]:
    """The address of every register page of a built site: site-wide, by year, by status and per committee."""
    pages = [output / "decisions/index.html", *(output / "decisions").glob("*/index.html")]
    pages += [*(output / "decisions/status").glob("*/index.html"), *output.glob("committees/*/resolutions/index.html")]
    return [str(page.parent.relative_to(output)) + "/" for page in pages]


def rows(page: str) -> list[dict[str, str]]:
    found = re.findall(r'<tr data-committee="([^"]+)" data-year="(\d+)" data-status="([^"]+)">', page)
    return [{"committee": c, "year": y, "status": s} for c, y, s in found]


def assert_every_way_to_choose_leads_to_a_decision(output: Path) -> None:
    """Without scripts each link to a register, and with them each choice in a register's form, shows a decision."""
    for url in registers(output):
        page = read(output, url)
        shown = rows(page)
        if not shown:
            continue  # a committee's own register, reached only by its address, may say it has none yet
        form = re.search(r'<form class="register-filter.*?</form>', page, re.S)
        for name, options in re.findall(
            r'<select id="filter-\w+" name="(\w+)">(.*?)</select>', form[0] if form else ""
        ):
            for value in re.findall(r'<option value="([^"]+)">', options):
                assert any(row[name] == value for row in shown), (url, name, value)
        ways = re.search(r'<nav class="register-ways".*?</nav>', page, re.S)
        for href in re.findall(r'href="/([^"]+)"', ways.group(0) if ways else ""):
            assert rows(read(output, href)), (url, href)
    for committee in output.glob("committees/*/index.html"):
        for href in re.findall(r'href="/(committees/[^/"]+/resolutions/)"', committee.read_text(encoding="utf-8")):
            assert rows(read(output, href)), (committee, href)


def test_every_way_to_choose_decisions_leads_to_some(example_output: Path):
    assert (example_output / "committees/adult-social-care-health/resolutions/index.html").exists()
    everything = read(example_output, "decisions/")
    assert "Adult Social Care and Health Committee" not in everything  # it has made no decision here
    assert_every_way_to_choose_leads_to_a_decision(example_output)


def test_a_registers_choices_are_those_of_its_own_decisions(make_site):
    minutes = "---\nstatus: confirmed\n---\n## 4. A report\n\n::: resolved {0}/001\nThat the plan be approved.\n:::\n"
    quiet = "---\nname: Quiet Committee\n---\nMakes no decisions.\n"
    root = make_site(
        {
            "content/committees/test/2020-03-09/meeting.md": MEETING_HELD,
            "content/committees/test/2020-03-09/minutes.md": minutes.format(2020),
            "content/committees/test/2021-01-11/minutes.md": minutes.format(2021),
            "content/committees/other/committee.md": "---\nname: Other Committee\n---\nOther matters.\n",
            "content/committees/other/2019-05-13/meeting.md": MEETING_HELD,
            "content/committees/other/2019-05-13/minutes.md": minutes.format(2019),
            "content/committees/quiet/committee.md": quiet,
        }
    )
    assert build(root).ok
    output = root / "output"
    assert_every_way_to_choose_leads_to_a_decision(output)
    test = read(output, "committees/test/resolutions/")
    years = re.search(r'<select id="filter-year" name="year">(.*?)</select>', test, re.S).group(1)
    assert re.findall(r'<option value="(\d+)">', years) == ["2021", "2020"]  # not 2019, the other committee's
    everything = read(output, "decisions/")
    assert "Quiet Committee" not in everything and "Other Committee" in everything
    assert "committees/quiet/resolutions/" not in read(output, "committees/quiet/")


def test_each_decision_in_a_register_links_to_the_meeting_that_made_it(example_output: Path):
    for url in (
        "decisions/",
        "decisions/2021/",
        "decisions/status/in-force/",
        "committees/adult-social-care-public-health/resolutions/",
    ):
        page = read(example_output, url)
        cells = re.findall(r'<td class="register-meeting">(.*?)</td>', page, re.S)
        assert cells, url
        for cell in cells:
            link = re.search(r'<a href="/([^"]+)">([^<]+)</a>', cell)
            assert link and link.group(2) == "11 January 2021", (url, cell)
            assert link.group(1) == HELD_WITH_DECISIONS and (example_output / link.group(1) / "index.html").exists()


MEETING_HELD = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 4
    title: A report
---
"""


def test_columns_of_numbers_are_marked_to_align_right(example_output: Path):
    page = read(example_output, MEETING + "07-public-health-performance-report-appendix-a/")
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert re.findall(r'<th class="num" scope="col">([^<]+)</th>', header) == ["2020/21 Q1", "2020/21 Q2", "Actual YTD"]
    assert '<td class="num">16,504</td>' in page


# The agenda pack ----------------------------------------------------------------------------------


def test_the_pack_holds_the_minutes_item_1_confirms(example_output: Path):
    page = read(example_output, MEETING + "pack/")
    heading = re.search(r'<h2 id="p1-1-paper"[^>]*><span class="caption">Item 1</span>([^<]+)</h2>', page)
    assert heading and heading.group(1) == "Minutes of the meeting held on 11 January 2021"
    minutes = page[heading.start() : page.index("</article>", heading.start())]
    assert "RESOLVED 2021/002" in minutes and "Attendance" in minutes
    assert 'id="p1-1-resolution-2021-002"' in minutes  # ids made unique within the pack


def test_every_item_of_the_pack_contents_lists_its_documents_the_same_way(example_output: Path):
    page = read(example_output, MEETING + "pack/")
    contents = page[page.index('<ol class="agenda">') : page.index("</ol>", page.index('<ol class="agenda">'))]
    items = []
    for entry in contents.split('<li value="')[1:]:
        found = re.match(r'(\d+)"[^>]*><span class="item-number">[^<]*</span> ([^<]*)(.*)', entry, re.S)
        items.append(found.groups())
    assert [number for number, _, _ in items] == [str(n) for n in range(1, 10)]
    for number, title, documents in items:
        assert title.strip(), number  # the item's title is plain text, never a link standing in for a document
        links = re.findall(r'<li><a href="#(p\d+-\d+-paper)"><span class="pack-label">(\w[\w ]*):</span> ', documents)
        assert bool(links) == (number not in ("2", "3")), (number, documents)  # 2 and 3 have no papers
        for anchor, _label in links:
            assert f'id="{anchor}"' in page
    eight = next(documents for number, _, documents in items if number == "8")
    assert re.search(r'<span class="pack-label">Report:</span> Better Care Fund Dementia Project', eight)


def test_a_pasted_address_is_marked_so_it_is_printed_once(example_output: Path):
    page = read(example_output, MEETING + "pack/")
    assert (
        '<a href="http://www.nottinghamshire.gov.uk/dms/Meetings.aspx" class="link-address">'
        "http://www.nottinghamshire.gov.uk/dms/Meetings.aspx</a>" in page
    )


def test_the_meeting_page_links_the_packs_pdf_with_its_size(example_output: Path):
    for meeting in (MEETING, "committees/adult-social-care-health/2016-03-07/"):
        pdf = example_output / meeting / "agenda-pack.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        size = pdf.stat().st_size
        shown = f"{round(size / 1000)} KB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"
        assert f'<a href="/{meeting}agenda-pack.pdf" class="download">Agenda pack (PDF, {shown})</a>' in read(
            example_output, meeting
        )
        assert f'href="/{meeting}pack/"' in read(example_output, meeting)


# Furniture ----------------------------------------------------------------------------------------


def test_the_icon_is_the_councils_initial_on_its_accent(example_output: Path):
    svg = (example_output / "favicon.svg").read_text()
    assert 'fill="#00703c"' in svg and ">N</text>" in svg
    icon = Image.open(io.BytesIO((example_output / "favicon.ico").read_bytes()))
    assert icon.format == "ICO" and icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    icon.size = (32, 32)
    assert icon.convert("RGB").getpixel((1, 1)) == (0, 112, 60)
    page = read(example_output, "")
    assert '<link rel="icon" href="/favicon.ico"' in page and '<link rel="icon" href="/favicon.svg"' in page


def test_the_accessibility_statement_gives_its_dates_response_time_and_contacts(example_output: Path):
    page = text(read(example_output, "accessibility/"))
    assert "This statement was prepared on 23 September 2020." in page
    assert "It was last reviewed on 24 November 2026." in page
    assert "This website was last tested on 24 November 2026" in page
    assert "get back to you within 5 working days" in page
    raw = read(example_output, "accessibility/")
    assert '<a href="https://www.equalityadvisoryservice.com/">contact the Equality Advisory and Support Service' in raw
    assert '<a href="tel:03005008080">0300 500 80 80</a>' in raw


def test_a_template_missing_from_a_councils_folder_is_named_before_anything_is_built(make_site):
    from conftest import ROOT

    from minutebook.site import templatefiles

    shipped = {p.name for p in (ROOT / "templates").glob("*.html")}
    assert shipped == set(templatefiles.PAGE_TEMPLATES)  # the list the check uses is every template there is
    root = make_site({})
    (root / "templates" / "keep-up.html").unlink()  # a council whose templates/ was copied before the page existed
    result = build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        "templates/keep-up.html: is missing: the site's pages are drawn with it; copy it from Minutebook's "
        "own templates/ (a template added since this folder was made)"
    ]
