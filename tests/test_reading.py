"""Reading content/: a build reads again only the sources that may have changed since the last one, and never
misses one that did."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from minutebook.build import parsing, reading
from minutebook.build.project import Cache, Project
from minutebook.content.sources import listing
from minutebook.diagnostics import Diagnostics

PAPER = "content/committees/test/2021-01-11/04-report.md"
OTHER = "content/committees/test/2021-01-11/04-report-appendix-1.md"


def read(root: Path) -> reading.Sources:
    """What a build reads, recording it for the next build as a build does."""
    cache = Cache(Project(root))
    sources = reading.read(Project(root), cache)
    texts = dict(sources.texts)
    parsing.parse_all(sources, cache, 1)
    assert sources.texts == {}  # handed over to parsing, which lets them go
    return dataclasses.replace(sources, texts=texts)


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(
        {
            PAPER: "---\ntitle: A report\n---\n1. The first paragraph.\n",
            OTHER: "---\ntitle: Costs\n---\n1. The costs.\n",
        }
    )
    assert len(read(root).texts) == 4  # the first build reads everything
    return root


def test_a_build_after_nothing_changed_reads_no_source(site: Path):
    sources = read(site)
    assert sources.texts == {}
    assert set(sources.digests) == {
        "content/committees/test/committee.md",
        "content/committees/test/2021-01-11/meeting.md",
        PAPER,
        OTHER,
    }


def test_an_edited_source_is_read_again_and_only_it(site: Path):
    (site / PAPER).write_text("---\ntitle: A report\n---\n1. The first paragraph, edited.\n", encoding="utf-8")
    sources = read(site)
    assert list(sources.texts) == [PAPER] and "edited" in sources.texts[PAPER].text


def test_a_source_replaced_by_one_of_the_same_size_and_time_is_read_again(site: Path):
    """A file restored from a backup or moved over the old one may keep its size and time: it is a new file."""
    path = site / PAPER
    before = path.stat()
    replacement = site / "restored.md"
    replacement.write_text(path.read_text(encoding="utf-8").replace("first", "FIRST"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "FIRST" in read(site).texts[PAPER].text


def test_a_source_reached_through_a_link_is_read_every_time(site: Path):
    """Editing the file a link leads to changes nothing about the link itself."""
    shared = site / "content/.shared/report.md"
    shared.parent.mkdir()
    shared.write_text("---\ntitle: A report\n---\n1. Shared wording.\n", encoding="utf-8")
    (site / PAPER).unlink()
    (site / PAPER).symlink_to(os.path.relpath(shared, (site / PAPER).parent))
    assert "Shared wording" in read(site).texts[PAPER].text
    shared.write_text("---\ntitle: A report\n---\n1. Shared wording, edited.\n", encoding="utf-8")
    assert "edited" in read(site).texts[PAPER].text


def test_sources_come_in_the_order_of_their_path_parts_so_every_machine_reports_alike(tmp_path: Path):
    """A folder's papers come before a file named like the folder; plain string order would put "a.md" and
    "a-b.md" before "a/b.md" ("/" sorts after "." and "-")."""
    for name in ("a.md", "a/c/d.md", "a-b.md", "a/b.md", "B.md", ".hidden/x.md"):
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text("---\ntitle: T\n---\n", encoding="utf-8")
    found = listing(tmp_path / "content", tmp_path, Diagnostics())
    assert list(found) == [f"content/{name}" for name in ("B.md", "a/b.md", "a/c/d.md", "a-b.md", "a.md")]


def test_what_a_build_knew_of_each_source_comes_back_whole_in_the_next_process(site: Path):
    """The record is kept in columns: each source's stamp (none for a link), digest, shape and diagnostics."""
    (site / OTHER).write_text("---\ntitle: Costs\nnonsense: 1\n---\n1. The costs.\n", encoding="utf-8")
    (site / "content/committees/test/2021-01-11/04-report-appendix-2.md").symlink_to("04-report-appendix-1.md")
    cache = Cache(Project(site))
    parsed = parsing.parse_all(reading.read(Project(site), cache), cache, 1)
    assert parsed.known[OTHER].diagnostics and parsed.known[OTHER].stamp is not None
    assert parsed.known["content/committees/test/2021-01-11/04-report-appendix-2.md"].stamp is None
    assert Cache(Project(site)).sources.known == parsed.known
