"""Planning: every output file and what it is made from, so a build makes again exactly what an edit changes, and
never lets two sources write one file."""

from __future__ import annotations

from pathlib import Path

from conftest import COMMITTEE, SITE_TOML, build, snapshot

from minutebook.build.plan import Planned
from minutebook.content import consistency

PAPER = "content/committees/test/2021-01-11/04-a-report.md"


def pages(root: Path) -> dict[str, bytes]:
    return {path: data for path, (_, data) in snapshot(root / "output").items() if path.endswith(".html")}


def test_an_edit_to_a_template_or_a_setting_remakes_every_page(make_site):
    root = make_site({PAPER: "---\ntitle: A report\n---\n1. Text.\n"})
    assert build(root).ok
    count = len(pages(root))
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body>", "<body><!-- theme 2 -->"), encoding="utf-8")
    result = build(root)
    assert result.rendered == count and all(b"<!-- theme 2 -->" in page for page in pages(root).values())
    (root / "site.toml").write_text(SITE_TOML.replace("Committee papers", "Council meetings"), encoding="utf-8")
    result = build(root)
    assert result.rendered == count and all(b"Council meetings" in page for page in pages(root).values())
    assert build(root).rendered == 0


def test_an_output_two_sources_would_both_write_stops_the_build_naming_both(make_site, monkeypatch):
    """The model refuses every clash it knows of, such as a committee folder called "all", whose feed would be the
    feed of every committee; were one to slip through, planning names both sources and nothing is written."""
    monkeypatch.setattr(consistency, "check_committee_slug", lambda doc, diagnostics: None)
    root = make_site({"content/committees/all/committee.md": COMMITTEE.replace("Test Committee", "All Committee")})
    result = build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics] == [
        "content/committees/all/committee.md: the site's own files and content/committees/all/committee.md would both "
        "make the output file feeds/all.atom; rename one of them"
    ]
    assert not (root / "output").exists()


def test_a_pages_whole_key_follows_the_text_of_exactly_the_bodies_it_shows():
    """The plan's key leaves bodies out, so a body-only edit keeps the plan; the whole key must still change."""
    page = Planned("committees/test/index.html", b"k" * 20, shows=("a.md", "b.md"))
    texts = {"a.md": "digest a", "b.md": "digest b", "c.md": "digest c"}
    assert page.key_with(texts) != page.key
    assert page.key_with({**texts, "b.md": "digest b, edited"}) != page.key_with(texts)
    assert page.key_with({**texts, "c.md": "digest c, edited"}) == page.key_with(texts)
    assert Planned("feeds/all.atom", b"k" * 20).key_with(texts) == b"k" * 20
