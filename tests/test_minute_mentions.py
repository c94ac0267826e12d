"""Mentions in a minute's narrative, outside any decision: "paragraph 5 of the report" is that item's report."""

from __future__ import annotations

import lxml.html
from conftest import build

MEETING = "content/committees/test/2021-01-11/meeting.md"
REPORT = "content/committees/test/2021-01-11/04-service-improvement.md"
MINUTES = "content/committees/test/2021-01-11/minutes.md"

REPORT_TEXT = """\
---
title: Adult Social Care and Public Health Service Improvement Programme 2021/22 to 2023/24
---
## Purpose of the Report

1. To seek approval for the Service Improvement Programme for 2021/22 to 2023/24.

## Information

5. The programme has four themes: prevention, digital, workforce and commissioning.
26. The resources needed are two Project Managers and a Business Analyst.
"""

MINUTES_TEXT = """\
---
status: confirmed
---
## 4. Service Improvement Programme

The report, which was introduced by Melanie Brooks, set out the four themes listed at
paragraph 5 of the report. Members asked about the Digital COVID-19 Response theme.

::: resolved 2021/003
That the resources identified at paragraph 26 of the report be approved.
:::
"""


def links(root, url: str) -> dict[str, str]:
    page = lxml.html.parse(str(root / "output" / url / "index.html")).getroot()
    return {a.text_content().strip(): a.get("href") for a in page.iter("a")}


def test_a_minutes_narrative_links_paragraphs_of_its_items_report(make_site):
    root = make_site({REPORT: REPORT_TEXT, MINUTES: MINUTES_TEXT})
    result = build(root)
    assert result.ok and [str(d) for d in result.diagnostics] == []
    found = links(root, "committees/test/2021-01-11/minutes")
    assert found["paragraph 5"] == "/committees/test/2021-01-11/04-service-improvement/#para-5"
    assert found["paragraph 26"] == "/committees/test/2021-01-11/04-service-improvement/#para-26"
    report = lxml.html.parse(str(root / "output/committees/test/2021-01-11/04-service-improvement/index.html"))
    backlinks = [a.get("href") for a in report.getroot().iter("a") if "minutes" in (a.get("href") or "")]
    assert "/committees/test/2021-01-11/minutes/#item-4" in backlinks  # the narrative's mention, at its minute


def test_a_narrative_mention_of_a_report_the_item_lacks_is_a_warning_at_its_line(make_site):
    root = make_site({MINUTES: MINUTES_TEXT.replace("::: resolved 2021/003\n", "::: resolved 2021/003\nAgreed.\n")})
    warnings = [str(d) for d in build(root).diagnostics]
    assert warnings[0] == (
        "content/committees/test/2021-01-11/minutes.md:7: warning: 'paragraph 5' mentions a paragraph of the "
        "report, but no report is on agenda item 4"
    )
