"""Planning: every output file and what it is made from, so a build makes again exactly what an edit changes, and
never lets two sources write one file."""

from __future__ import annotations

from pathlib import Path

from conftest import COMMITTEE, SITE_TOML, build, snapshot

from minutebook.build.plan import Plan, Planned, WholeKeys
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


def test_whole_keys_worked_out_again_for_one_edited_body_are_those_of_a_fresh_start():
    """A preview keeps the last build's whole keys and works out again only those of outputs showing an edited
    body: after any sequence of edits they must equal the keys worked out from nothing."""
    outputs = (
        Planned("a/index.html", b"a" * 20, shows=("a.md",)),
        Planned("b/index.html", b"b" * 20, shows=("a.md", "b.md")),
        Planned("c/index.html", b"c" * 20, shows=("c.md",)),
        Planned("feeds/all.atom", b"f" * 20),
    )
    plan = Plan(outputs)
    kept = WholeKeys()
    texts = {"a.md": "1", "b.md": "1", "c.md": "1"}
    first = kept.of(plan, texts)
    for edit in ({"b.md": "2"}, {"a.md": "2"}, {"c.md": "2", "a.md": "3"}, {"b.md": "1"}):
        before = kept.keys.copy()
        texts = {**texts, **edit}
        keys = kept.of(plan, texts)
        assert keys == WholeKeys().of(plan, texts)
        moved = {path for path in keys if keys[path] != before[path]}
        assert moved == {o.path for o in outputs if set(o.shows) & set(edit)}
    removed = {k: v for k, v in texts.items() if k != "c.md"}
    assert kept.of(plan, removed) == WholeKeys().of(plan, removed) != first
