"""Short forms of a body: a paper's purpose for its description, recommendations in short, text on one line."""

from __future__ import annotations

import random

from minutebook.site import summaries


def _whole_reading(fragment: str) -> str:
    """The first paragraph as a reading of the whole fragment finds it, for comparison."""
    found = summaries.blocks(fragment)
    return next((b.text for b in found if b.tag in ("p", "li") and len(b.text) > 3), "")


def test_purpose_is_the_first_paragraph_under_a_purpose_heading():
    body = (
        "<p>Report of the Director.</p><h2 id='s1'>1. Purpose of the report</h2>"
        "<p>To agree the fees &amp; charges for 2026/27.</p><p>Second.</p><h2>2. Background</h2><p>Other.</p>"
    )
    assert summaries.purpose(body) == "To agree the fees & charges for 2026/27."


def test_purpose_without_the_heading_is_the_first_paragraph_with_words():
    assert summaries.purpose("<p>1.</p><ul><li><p>Ok</p></li></ul><p>The first real paragraph.</p>") == (
        "The first real paragraph."
    )


def test_a_long_purpose_is_cut_at_a_whole_word():
    words = " ".join(f"word{n}" for n in range(100))
    said = summaries.purpose(f"<p>{words}</p>")
    assert said.endswith("…") and len(said) <= summaries.DESCRIPTION_CHARACTERS
    assert words.startswith(said[:-1])


def test_a_first_paragraph_longer_than_a_stretch_is_read_to_its_end():
    long = "A " + "very " * (summaries.STRETCH // 2) + "long opening."
    assert summaries._first_paragraph(f"<p>{long}</p><p>Next.</p>") == " ".join(long.split())


def test_the_first_paragraph_is_the_one_a_whole_reading_finds_wherever_the_stretches_fall():
    rng = random.Random(7)
    pieces = [
        "<p>ab</p>",
        "<p> </p>",
        "<li>x</li>",
        "<p>Caf&eacute; &amp; bar &#8212; fine</p>",
        "<ul><li><p>One</p> item text</li></ul>",
        "<table><tr><td>cell text here</td></tr></table>",
        "<h3>Heading words</h3>",
        "<p>Line<br>break</p>",
        "<p>" + "z" * 700 + "</p>",
        "<p>unclosed paragraph " + "y " * 400,
    ]
    for _ in range(300):
        fragment = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert summaries._first_paragraph(fragment) == _whole_reading(fragment), fragment


def test_recommendations_in_short_keep_the_lead_in_and_count_the_points():
    said = summaries.recommendations("<p>That Committee:</p><ol><li>approves the budget;</li><li>notes it.</li></ol>")
    assert said == summaries.Recommendations("That Committee: approves the budget;", 2, False)


def test_text_is_every_top_level_block_on_one_line():
    assert summaries.text("<p>One\n two</p><ul><li>three</li></ul>") == "One two three"
