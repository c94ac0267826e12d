"""Content lint: what browser checkers miss in papers, reported at file:line when the site is built."""

from __future__ import annotations

from conftest import build

PAPER = "content/committees/test/2021-01-11/04-report.md"

BODY = """\
---
title: A report
---
## Purpose

1. For details [click here](https://example.org/details).

**Financial Comments**

### Costs

##### Detail

| | |
|---|---|
| 1 | 2 |

![image](https://example.org/chart.png)

2. Read [the full plan](https://example.org/plan.pdf) or [the plan (PDF, 1.2 MB)](https://example.org/plan.pdf).
"""


def test_each_accessibility_problem_is_a_warning_at_its_line(make_site):
    root = make_site({PAPER: BODY})
    result = build(root)
    assert result.ok  # warnings never stop publication
    assert [str(d) for d in result.diagnostics] == [
        f"{PAPER}:6: warning: link text 'click here' does not say where it goes: describe the destination",
        f"{PAPER}:8: warning: bold paragraph 'Financial Comments' looks like a heading: use ## or ###",
        f"{PAPER}:12: warning: heading 'Detail' skips from level 3 to level 5: use #### here",
        f"{PAPER}:14: warning: table has an empty header row: name each column in the first row",
        f"{PAPER}:18: warning: image 'https://example.org/chart.png' needs alt text that says what it shows",
        f"{PAPER}:20: warning: link to a PDF document should give its format and size, e.g. '(PDF, 1.2 MB)'",
    ]


def test_a_link_without_text_is_a_warning_at_its_line(make_site):
    body = (
        "---\ntitle: A report\n---\n1. See [](https://example.org/plan).\n\n2. And [ ](item:2021-01-11/1).\n\n"
        "3. The [![Testshire crest](crest.png)](https://example.org) is named by its alt text.\n"
    )
    root = make_site({PAPER: body})
    result = build(root)
    assert result.ok
    empty = "warning: link has no text: a screen reader announces nothing; write what it links to"
    assert [str(d) for d in result.diagnostics] == [f"{PAPER}:4: {empty}", f"{PAPER}:6: {empty}"]


def test_a_clean_paper_has_no_warnings(make_site):
    clean = (
        "---\ntitle: A report\n---\n## Purpose\n\n1. See [the details of the plan](https://example.org/d).\n\n"
        "### Costs\n\n| Item | Cost |\n|---|---|\n| Books | £10 |\n\n![Bar chart of costs by year](c.png)\n"
    )
    root = make_site({PAPER: clean})
    result = build(root)
    assert result.ok
    assert result.diagnostics == []
