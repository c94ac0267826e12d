"""`item:` links and an agenda item's `ref:` are backlinked like every other target, and named in words."""

from __future__ import annotations

import lxml.html
from conftest import build

JAN = "content/committees/test/2021-01-11/"
FEB = "content/committees/test/2021-02-08/"
JAN_MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 6
    title: Adult Social Care and Public Health Service Improvement Programme for 2021/22 to 2023/24
---
"""
JAN_MINUTES = "---\nstatus: confirmed\n---\n## 6. Service Improvement Programme\n\nThe report was noted.\n"
FEB_MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting held on 11 January 2021
    kind: minutes
    ref: minutes:2021-01-11
  - number: 4
    title: Adult Social Care and Public Health Department's Digital Strategy for 2021-2024
---
"""
STRATEGY = """\
---
title: Adult Social Care and Public Health Department's Digital Strategy for 2021-2024
---
1. The strategy supports the Service Improvement Programme.

## Background Papers and Published Documents

- [Service Improvement Programme: report to Committee on 11th January 2021](item:2021-01-11/6)
"""


def test_item_links_and_agenda_refs_are_backlinked_at_the_item_with_human_dates(make_site):
    root = make_site(
        {
            JAN + "meeting.md": JAN_MEETING,
            JAN + "minutes.md": JAN_MINUTES,
            FEB + "meeting.md": FEB_MEETING,
            FEB + "04-digital-strategy.md": STRATEGY,
        }
    )
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    jan = lxml.html.parse(str(root / "output/committees/test/2021-01-11/index.html")).getroot()
    item = jan.xpath("//li[@id='item-6']")[0]
    cited = item.xpath(".//p[@class='related']")[0]
    assert cited.text_content().startswith("Referenced by: Adult Social Care and Public Health Department")
    assert cited.xpath("a/@href") == ["/committees/test/2021-02-08/04-digital-strategy/"]
    feb = lxml.html.parse(str(root / "output/committees/test/2021-02-08/index.html")).getroot()
    assert feb.xpath("string(//li[@id='item-1']//p[@class='related'])") == (
        "See: Minutes of the meeting on 11 January 2021"
    )
    minutes = lxml.html.parse(str(root / "output/committees/test/2021-01-11/minutes/index.html")).getroot()
    backlink = minutes.xpath("//section[h2='Referenced by']//li")[0]
    assert backlink.text_content() == "Meeting of 8 February 2021 (agenda item 1)"
    assert backlink.xpath("a/@href") == ["/committees/test/2021-02-08/#item-1"]


def test_an_item_reference_is_named_by_its_date_and_title(make_site):
    feb = FEB_MEETING.replace("ref: minutes:2021-01-11", "ref: item:2021-01-11/6")
    root = make_site({JAN + "meeting.md": JAN_MEETING, FEB + "meeting.md": feb})
    assert build(root).ok
    page = lxml.html.parse(str(root / "output/committees/test/2021-02-08/index.html")).getroot()
    assert page.xpath("string(//li[@id='item-1']//p[@class='related'])") == (
        "See: Agenda item 6, 11 January 2021: Adult Social Care and Public Health Service Improvement Programme "
        "for 2021/22 to 2023/24"
    )
