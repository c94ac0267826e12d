"""Numbered headings as reports number them: anchored like paragraphs, linked from "section 1.9", checked."""

from __future__ import annotations

import lxml.html
from conftest import TODAY, build

from minutebook.shell import commands

PAPER = "content/committees/test/2021-01-11/04-integrated-care.md"
TEXT = """\
---
title: Development of Integrated Care Systems in Nottinghamshire
---
## 1. Purpose of the Report

1.1 To update the Committee on the development of Integrated Care Systems, set out in section 2,
with the financial position in sections 3 and 4.

## 2. Information

### 2.1 Integrated commissioning

2.1.1 The ICS will commission services at system level, as paragraph 1.1 and section 2.1 describe.
There is a section 75 agreement with both CCGs, under Section 100D of the Local Government Act 1972.

## 3. Financial Implications

3.1 There are no financial implications arising from this report; see [the purpose](#para-1).

## 4. Human Resources Implications

4.1 None.
"""


def page(root, stem: str = "04-integrated-care"):
    path = root / f"output/committees/test/2021-01-11/{stem}/index.html"
    return lxml.html.parse(str(path)).getroot()


def test_numbered_headings_get_permanent_anchors_and_section_mentions_link_to_them(make_site):
    root = make_site({PAPER: TEXT})
    result = build(root)
    assert result.ok and [str(d) for d in result.diagnostics] == []
    html = page(root)
    headings = {h.text_content(): h.get("id") for h in html.xpath("//main//h2 | //main//h3") if h.get("id")}
    assert headings["1. Purpose of the Report"] == "para-1"
    assert headings["2.1 Integrated commissioning"] == "para-2.1"
    assert html.xpath("//p[@id='para-2.1.1']"), "three-level paragraph numbers get anchors too"
    links = {a.text_content(): a.get("href") for a in html.xpath("//main//a")}
    assert links["section 2"] == "#para-2"
    assert links["sections 3"] == "#para-3" and links["4"] == "#para-4"
    assert links["section 2.1"] == "#para-2.1" and links["paragraph 1.1"] == "#para-1.1"
    assert "section 75" not in links and "Section 100" not in links, "sections of Acts are left alone"


def test_a_missing_section_a_clash_and_links_to_missing_anchors_are_reported_at_their_lines(make_site):
    text = (
        TEXT.replace("set out in section 2,", "set out in section 9,")
        .replace("sections 3 and 4", "sections 3 and 4.1")
        .replace("## 4. Human", "## 3.1 Human")
        .replace("(#para-1)", "(#purpose-of-the-report)")
        .replace("4.1 None.", "4.1 None; see [the appendix]() and [above](#).")
    )
    root = make_site({PAPER: text})
    assert [str(d) for d in commands.check(root, TODAY)] == [
        f"{PAPER}:6: warning: 'section 9': this paper has no paragraph or heading numbered 9",
        f"{PAPER}:18: warning: link to '#purpose-of-the-report': nothing on this page has that anchor",
        f"{PAPER}:20: warning: heading '3.1 Human Resources Implications' and paragraph 3.1 have the same "
        "number: #para-3.1 stays the paragraph's; renumber one of them",
        f"{PAPER}:22: warning: link 'the appendix' has no address: write where it goes between the brackets ( )",
        f"{PAPER}:22: warning: link to '#' goes nowhere: name the place on this page, e.g. #para-2",
    ]


def test_another_paper_can_link_to_a_numbered_heading(make_site):
    other = "content/committees/test/2021-01-11/01-minutes-note.md"
    cites = "---\ntitle: Note\n---\nSee [commissioning](paper:04-integrated-care#para-2.1).\n"
    root = make_site({PAPER: TEXT, other: cites})
    assert build(root).ok
    links = [a.get("href") for a in page(root, "01-minutes-note").xpath("//main//a")]
    assert "/committees/test/2021-01-11/04-integrated-care/#para-2.1" in links
