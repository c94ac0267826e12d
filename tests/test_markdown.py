"""Markdown bodies: addresses written out in the text become links, and nothing else does."""

from __future__ import annotations

import pytest

from minutebook.content.markdown import render

LINKED = {
    "Read it at www.nottinghamshire.gov.uk/papers today.": ("http://www.nottinghamshire.gov.uk/papers",),
    "Write to clerk@nottinghamshire.gov.uk with any question.": ("mailto:clerk@nottinghamshire.gov.uk",),
    "See nottinghamshire.gov.uk for the full report.": ("http://nottinghamshire.gov.uk",),
    "The strategy is at https://www.gov.uk/guidance/x, section 2.": ("https://www.gov.uk/guidance/x",),
    "The draft shows at http://localhost:8000/ while it is written.": ("http://localhost:8000/",),
    "Its files are at //cdn.nottinghamshire.gov.uk/files.": ("//cdn.nottinghamshire.gov.uk/files",),
}


@pytest.mark.parametrize("text", LINKED)
def test_an_address_written_in_the_text_becomes_a_link(text: str):
    html = render(text, "content/x.md", 1).html
    assert [f'href="{href}"' in html for href in LINKED[text]] == [True] * len(LINKED[text]), html


@pytest.mark.parametrize(
    "text",
    [
        "Twelve councillors voted for. None against, and 1.5 per cent abstained.",
        "The report (section 4) was noted: no further action.",
        "Members asked about the localhost-style test servers.",
    ],
)
def test_text_that_names_no_address_has_no_link(text: str):
    assert "<a " not in render(text, "content/x.md", 1).html
