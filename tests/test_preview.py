"""The preview's rebuild, in process: each save builds into memory, and only a save that replaced the model pays
for sweeping the old one (a full sweep of an archive's model holds the server's threads for most of a second)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import build, edit

from minutebook.build import memory, project, searching
from minutebook.build.memo import Memos
from minutebook.content import sources
from minutebook.shell.preview import SCRATCH, BackgroundIndexer, Preview
from minutebook.site import search

REPORT = "content/committees/test/2021-01-11/04-a-report.md"
PAGE = "committees/test/2021-01-11/04-a-report/index.html"


@pytest.fixture
def preview(make_site, monkeypatch) -> tuple[Preview, Path, list[str]]:
    root = make_site({REPORT: "---\ntitle: Libraries\n---\n1. The original wording.\n"})
    assert build(root).ok
    sweeps: list[str] = []
    monkeypatch.setattr(memory, "let_go", lambda: sweeps.append("whole"))
    monkeypatch.setattr(memory, "tidy", lambda: sweeps.append("this build's"))
    shown = Preview(root, "2026-11-24", search_index=False)
    assert not shown.rebuild().errors
    return shown, root, sweeps


def test_a_save_to_a_bodys_wording_sweeps_only_what_its_build_made(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    edit(root, REPORT, "The original wording.", "The amended wording.")
    outcome = shown.rebuild()
    assert outcome.written >= 1 and b"The amended wording." in shown.output.read(PAGE)
    assert sweeps == ["this build's"]


def test_a_save_that_changes_the_model_sweeps_the_old_one(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    edit(root, REPORT, "title: Libraries", "title: Libraries and archives")
    assert not shown.rebuild().errors
    assert b"Libraries and archives" in shown.output.read(PAGE)
    assert sweeps == ["whole"]


def test_the_planners_mappings_of_the_site_are_worked_out_once_per_model(preview, monkeypatch):
    """Planning and rendering read the same mappings of the published site; a save to a body's wording keeps the
    model, and with it those mappings, and a save that changes the model works them out once for both stages."""
    shown, root, _ = preview
    made: list[object] = []
    readable = project.readable
    monkeypatch.setattr(project, "readable", lambda published: made.append(published) or readable(published))
    edit(root, REPORT, "The original wording.", "The amended wording.")
    assert shown.rebuild().written >= 1 and made == []
    edit(root, REPORT, "title: Libraries", "title: Libraries and archives")
    assert shown.rebuild().written >= 1 and len(made) == 1
    assert b"Libraries and archives" in shown.output.read(PAGE)


def test_a_save_to_a_bodys_wording_remembers_nothing_new_in_the_cache_folder(preview, monkeypatch):
    """The outputs' keys after a body edit come from the preview's own last keys: nothing is digested and saved
    for a later build (a process forked per save on an archive), and the page shows the new wording."""
    shown, root, _ = preview
    saved: list[str] = []
    made = Memos._made
    monkeypatch.setattr(Memos, "_made", lambda self, name, *args: saved.append(name) or made(self, name, *args))
    edit(root, REPORT, "The original wording.", "The amended wording.")
    assert shown.rebuild().written >= 1 and saved == []
    assert b"The amended wording." in shown.output.read(PAGE)


def test_a_save_the_watcher_names_looks_again_at_that_file_alone(preview, monkeypatch):
    """The content folder is listed on the first build; a save the watcher names is read by its name (on an
    archive, listing ten thousand files cost a third of a save)."""
    shown, root, _ = preview
    listed: list[str] = []
    listing = sources.listing
    monkeypatch.setattr(sources, "listing", lambda *args: listed.append("whole") or listing(*args))
    edit(root, REPORT, "The original wording.", "The amended wording.")
    assert shown.rebuild([REPORT]).written >= 1 and listed == []
    assert b"The amended wording." in shown.output.read(PAGE)
    edit(root, REPORT, "title: Libraries", "title: Libraries and archives")
    assert shown.rebuild([REPORT, "templates/paper.html"]).written >= 1 and listed == []
    assert b"Libraries and archives" in shown.output.read(PAGE)
    shown.rebuild_for_search()  # a new search index arriving: the whole folder, in case the watcher missed a save
    assert listed == ["whole"]


NEW = "content/committees/test/2021-01-11/04-b-report.md"
NEW_PAGE = "committees/test/2021-01-11/04-b-report/index.html"


def test_a_file_the_watcher_names_that_is_new_gone_or_renamed_makes_the_preview_list_the_folder(preview):
    """Only a listing of the whole folder can say what it now holds, and in which order."""
    shown, root, _ = preview
    (root / NEW).write_text("---\ntitle: Parks\n---\n1. A new paper.\n", encoding="utf-8")
    assert not shown.rebuild([NEW]).errors
    assert b"A new paper." in shown.output.read(NEW_PAGE)
    renamed = NEW.replace("04-b-report", "04-c-report")
    (root / NEW).rename(root / renamed)
    assert not shown.rebuild([NEW, renamed]).errors
    assert NEW_PAGE not in shown.output.files and renamed.removeprefix("content/")[:-3] + "/index.html" in (
        shown.output.files
    )
    (root / renamed).unlink()
    (root / REPORT).write_text("---\ntitle: Libraries\n---\n1. Edited as the other went.\n", encoding="utf-8")
    assert not shown.rebuild([REPORT, renamed]).errors
    assert not any("04-b-" in path or "04-c-" in path for path in shown.output.files)
    assert b"Edited as the other went." in shown.output.read(PAGE)


def test_a_save_that_breaks_the_build_sweeps_everything(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    (root / "templates/paper.html").write_text("{% if %}", encoding="utf-8")
    assert shown.rebuild().errors
    assert sweeps == ["whole"]


def test_the_background_index_copies_a_shards_pages_in_its_own_time_once_per_version_and_leaves_none(
    tmp_path, monkeypatch
):
    """A save queues a shard's pages and returns: they are copied when the index takes the shard, only as last
    saved, never while another version of them is being indexed, and the copies go when the preview stops."""
    site = tmp_path / "site"
    (site / "committees").mkdir(parents=True)
    (site / "committees/index.html").write_text("<h1>Committees</h1>", encoding="utf-8")
    scratch = tmp_path / "cache" / SCRATCH
    indexing, release = threading.Event(), threading.Event()
    indexed: list[Path] = []

    def slow_pagefind(copy: Path, into: Path, folder: str) -> search.Bundle:
        indexed.append(copy)
        indexing.set()
        release.wait(10)
        raise OSError("the copy went away")

    monkeypatch.setattr(search, "make_bundle", slow_pagefind)
    indexer = BackgroundIndexer(lambda: None, scratch)
    job = searching.Job("2021", b"key", ("committees/index.html",))
    assert indexer.bundle(job, lambda folder: shutil.copytree(site, folder), tmp_path, None) is None
    assert not indexing.wait(0.2)  # queued: indexed once the build that asked is served
    indexer.start()
    assert indexing.wait(10) and any(scratch.rglob("index.html"))
    laid_out: list[str] = []
    assert indexer.bundle(job, lambda folder: laid_out.append("again"), tmp_path, None) is None  # being indexed
    edited = searching.Job("2021", b"another key", ("committees/index.html",))
    assert indexer.bundle(edited, lambda folder: laid_out.append("edited"), tmp_path, None) is None
    latest = searching.Job("2021", b"a third key", ("committees/index.html",))
    assert indexer.bundle(latest, lambda folder: laid_out.append("latest"), tmp_path, None) is None
    assert laid_out == []  # the saves copied nothing: the index copies in its own time
    indexing.clear()
    release.set()
    assert indexing.wait(10)  # the queued shard, taken once the first was done
    assert laid_out == ["latest"]  # once, as last saved; the version it replaced in the queue never
    indexer.stop()
    assert not any(scratch.rglob("*"))


def test_a_preview_removes_the_copies_a_killed_preview_left_and_keeps_a_running_ones(tmp_path):
    scratch = tmp_path / SCRATCH
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (scratch / str(gone.pid) / "copy/site").mkdir(parents=True)
    (scratch / str(os.getppid()) / "copy/site").mkdir(parents=True)
    BackgroundIndexer(lambda: None, scratch)
    assert sorted(p.name for p in scratch.iterdir()) == [str(os.getppid())]
