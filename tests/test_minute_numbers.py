"""Minute numbers as councils write them: per committee and year, per meeting ("9"), or "17/23"."""

from __future__ import annotations

import lxml.html
from conftest import build

JAN = "content/committees/test/2021-01-11/"
MAR = "content/committees/test/2021-03-01/"
AGENDA = """\
---
time: "10:00"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
  - number: 2
    title: Apologies for absence
    kind: apologies
  - number: 3
    title: Declarations of interest
    kind: declarations
  - number: 4
    title: Library opening hours
  - number: 5
    title: Work programme
    kind: work-programme
---
"""
JAN_MINUTES = """\
---
status: confirmed
---
## 1. Minutes of the last meeting

The minutes of the meeting held on 7 December 2020 were confirmed and signed by the Chair.

## 2. Apologies for absence

None.

## 3. Declarations of interest

None.

## 4. Library opening hours

::: resolved 9
That the opening hours of the county's libraries be extended on Saturdays.
:::

## 5. Work programme

::: resolved 10
That the work programme be agreed, with a report on minute 9 in six months.
:::
"""
MAR_MINUTES = """\
---
status: draft
resolutions:
  "9":
    amends: ["2021-01-11/9"]
---
## 4. Library opening hours

::: resolved 9
That minute 9 of 11 January 2021 be amended so that libraries also open on Sunday mornings.
:::

## 5. Work programme

::: resolved 17/21
That the work programme be agreed.
:::
"""


def files(**extra: str) -> dict[str, str]:
    return {
        JAN + "meeting.md": AGENDA,
        JAN + "minutes.md": JAN_MINUTES,
        MAR + "meeting.md": AGENDA,
        MAR + "minutes.md": MAR_MINUTES,
        **extra,
    }


def page(root, url: str):
    return lxml.html.parse(str(root / "output" / url / "index.html")).getroot()


def test_minutes_numbered_per_meeting_have_pages_keyed_by_their_meeting(make_site):
    root = make_site(files())
    result = build(root)
    assert result.ok and [str(d) for d in result.diagnostics] == []
    jan = page(root, "committees/test/2021-01-11/minutes")
    headings = {h.text_content(): h.xpath("string(a/@href)") for h in jan.xpath("//h3[@class='resolution-number']")}
    assert headings == {
        "Minute 9": "/committees/test/resolutions/2021-01-11-minute-9/",
        "Minute 10": "/committees/test/resolutions/2021-01-11-minute-10/",
    }
    mention = jan.xpath("//a[text()='minute 9']/@href")
    assert mention == ["/committees/test/resolutions/2021-01-11-minute-9/"]
    first = page(root, "committees/test/resolutions/2021-01-11-minute-9")
    assert first.xpath("string(//h1/span[@class='caption'])") == "Minute 9"
    assert "Amended" in first.xpath("string(//main)")
    assert first.xpath("//a[@href='/committees/test/resolutions/2021-03-01-minute-9/']")
    later = page(root, "committees/test/resolutions/2021-03-01-minute-9")
    assert later.xpath("string(//h2[@id='resolved-heading'])") == "Minute 9"
    year = page(root, "committees/test/resolutions/17-21")
    assert year.xpath("string(//h1/span[@class='caption'])") == "Minute 17/21"
    assert "RESOLVED" not in lxml.html.tostring(page(root, "committees/test/2021-03-01/minutes"), encoding="unicode")


def test_a_paper_cites_a_minute_of_another_meeting_by_its_date(make_site):
    paper = MAR + "04-library-hours.md"
    text = "---\ntitle: Library opening hours\n---\n1. As agreed at [minute 9](resolution:2021-01-11/9) in January.\n"
    root = make_site(files(**{paper: text}))
    assert build(root).ok
    links = page(root, "committees/test/2021-03-01/04-library-hours").xpath("//main//a[text()='minute 9']/@href")
    assert links == ["/committees/test/resolutions/2021-01-11-minute-9/"]
    cited = page(root, "committees/test/resolutions/2021-01-11-minute-9")
    assert cited.xpath("//a[@href='/committees/test/2021-03-01/04-library-hours/#para-1']")


def test_a_minute_number_used_twice_in_one_meeting_is_an_error(make_site):
    twice = JAN_MINUTES.replace("::: resolved 10", "::: resolved 9")
    root = make_site(files(**{JAN + "minutes.md": twice}))
    errors = [str(d) for d in build(root).diagnostics if d.severity == "error"]
    assert errors == [
        f"{JAN}minutes.md:24: minute 9 is already used in these minutes at line 18; a minute number is used "
        "once in a meeting"
    ]


def test_long_minutes_open_with_a_list_of_minutes_by_item(make_site):
    root = make_site(files())
    assert build(root).ok
    jan = page(root, "committees/test/2021-01-11/minutes")
    nav = jan.xpath("//nav[@aria-labelledby='jump-heading']")[0]
    targets = nav.xpath(".//a/@href")
    assert targets == ["#item-1", "#item-2", "#item-3", "#item-4", "#item-5"]
    assert all(jan.xpath(f"//*[@id='{t[1:]}']") for t in targets)
    assert not page(root, "committees/test/2021-03-01/minutes").xpath("//nav[@aria-labelledby='jump-heading']")
