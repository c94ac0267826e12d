"""Table captions the way reports print them, and a name for every table's scrolling region without inventing one."""

from __future__ import annotations

import lxml.html
from conftest import build

PAPER = "content/committees/test/2021-01-11/04-public-health-performance.md"
LONG = (
    "Table 3. Public health services commissioned from the ring-fenced grant, by provider, with the number of "
    "people using each service in the quarter and the change from the same quarter of the previous year"
)
TEXT = f"""\
---
title: Public Health performance and quality report for contracts funded with ring-fenced public health grant
---
## Performance

1. Performance against the key performance indicators is summarised below.

Table 1: Performance against target

| Indicator | Target | Actual |
| --- | --- | --- |
| NHS Health Checks offered | 90% | 92% |

**Table 2 – Smoking cessation quits**

| Quarter | Quits |
| --- | --- |
| Q2 2020/21 | 412 |

{LONG}

| Provider | People |
| --- | --- |
| Change Grow Live | 1,204 |

## Financial Implications

2. The costs are as follows:

| Item | Cost |
| --- | --- |
| Staffing | £41,000 |

Table 5

| Year | Budget |
| --- | --- |
| 2021/22 | £1m |
"""


def page(root):
    built = build(root)
    assert built.ok, [str(d) for d in built.diagnostics]
    assert [str(d) for d in built.diagnostics] == []
    path = root / "output/committees/test/2021-01-11/04-public-health-performance/index.html"
    return lxml.html.parse(str(path)).getroot()


def test_a_caption_line_before_a_table_becomes_its_caption_and_is_printed_once(make_site):
    html = page(make_site({PAPER: TEXT}))
    tables = html.xpath("//main//div[@class='table-wrap']")
    captions = [t.findtext(".//caption") for t in tables]
    assert captions == [
        "Table 1: Performance against target",
        "Table 2 – Smoking cessation quits",
        LONG,  # whole: never cut mid-word
        None,  # "The costs are as follows:" is not a caption
        None,  # a bare "Table 5" names nothing: it stays a paragraph of its own
    ]
    paragraphs = [p.text_content() for p in html.xpath("//main//p")]
    assert not any(p.startswith(("Table 1", "Table 2", "Table 3")) for p in paragraphs)
    assert "Table 5" in paragraphs
    assert not html.xpath("//caption//strong")  # a bold caption line is not doubly bold


def test_every_tables_scrolling_region_has_a_name_without_an_invented_caption(make_site):
    html = page(make_site({PAPER: TEXT}))
    labels = [t.get("aria-label") for t in html.xpath("//main//div[@class='table-wrap']")]
    assert labels == [
        "Table 1: Performance against target",
        "Table 2 – Smoking cessation quits",
        LONG,
        "Table 4 in ‘Financial Implications’",
        "Table 5 in ‘Financial Implications’",
    ]
    assert all(
        t.get("role") == "region" and t.get("tabindex") == "0" for t in html.xpath("//main//div[@class='table-wrap']")
    )
    assert "Table under" not in lxml.html.tostring(html, encoding="unicode")
