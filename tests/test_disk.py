"""The output folder on disk: a commit makes it hold exactly the new files, touches none whose bytes are the same,
and a build that fails or is stopped at any step leaves the old output, or one the next build completes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import snapshot

from minutebook.build import disk, files
from minutebook.build.disk import DiskOutput
from minutebook.build.output import Entry, SearchRecord, WriteReport

OLD = {"index.html": b"<p>Home</p>", "committees/test/index.html": b"<p>Test</p>", "feeds/all.atom": b"<feed/>"}
NEW = {"index.html": b"<p>Home, changed</p>", "committees/test/index.html": b"<p>Test</p>", "data/new.json": b"{}"}
LONG_AGO = 1_600_000_000_000_000_000  # ns: a modification time no build could give by accident


def publish(root: Path, site: dict[str, bytes], fail: BaseException | None = None) -> WriteReport:
    """A build's writing, as the pipeline does it: stage every file, then commit (unless the build fails first)."""
    output = DiskOutput(root / "output", root).previous()
    with output.begin() as staging:
        for path, data in site.items():
            staging.put(path, data)
        if fail is not None:
            raise fail
        entries = {path: Entry(hashlib.sha256(data).digest(), True) for path, data in site.items()}
        return output.commit(staging, entries, SearchRecord())


def published(root: Path) -> dict[str, bytes]:
    return {path: data for path, (_, data) in snapshot(root / "output").items() if path != files.MARKER}


def leftovers(root: Path) -> list[str]:
    """What a build leaves beside the output when it stops half way: staged files, an old tree, a journal."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".output.") and p.name != ".output.lock")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose output holds OLD, every file of it last modified long ago."""
    publish(tmp_path, OLD)
    for path in (tmp_path / "output").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(LONG_AGO, LONG_AGO))
    return tmp_path


def test_a_commit_leaves_exactly_the_new_files_and_the_marker(root: Path):
    report = publish(root, NEW)
    assert published(root) == NEW
    assert (root / "output" / files.MARKER).is_file()
    assert (report.written, report.unchanged, report.removed) == (2, 2, 1)  # the marker is unchanged too
    assert not (root / "output/feeds").exists()  # a folder left empty goes with its last file
    assert leftovers(root) == []


@pytest.mark.parametrize("limit", [disk.JOURNAL_LIMIT, 0], ids=["file-by-file", "whole-tree"])
def test_files_whose_bytes_did_not_change_keep_their_modification_time(root: Path, monkeypatch, limit: int):
    """rsync and other deploy tools compare times: an unchanged file must look untouched, however it is committed."""
    monkeypatch.setattr(disk, "JOURNAL_LIMIT", limit)
    publish(root, NEW)
    after = snapshot(root / "output")
    assert after["committees/test/index.html"][0] == LONG_AGO
    assert after[files.MARKER][0] == LONG_AGO
    assert after["index.html"][0] != LONG_AGO and published(root) == NEW


def test_a_build_with_nothing_new_writes_nothing(root: Path):
    before = snapshot(root / "output")
    assert publish(root, OLD).written == 0
    assert snapshot(root / "output") == before


@pytest.mark.parametrize("error", [RuntimeError("a template failed"), KeyboardInterrupt()], ids=["failed", "stopped"])
def test_a_build_that_fails_or_is_stopped_before_its_commit_leaves_the_old_output_byte_for_byte(root: Path, error):
    before = snapshot(root / "output")
    with pytest.raises(type(error)):
        publish(root, NEW, fail=error)
    assert snapshot(root / "output") == before
    assert leftovers(root) == []  # the staged files went with the build


def test_ctrl_c_just_after_the_staging_folder_is_made_leaves_no_folder_behind(root: Path, monkeypatch):
    """Ctrl-C is raised at the next line of Python, wherever that is: here, the staging folder is made and the
    build has not started to use it yet."""

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(disk, "DiskStaging", stopped)
    before = snapshot(root / "output")
    with pytest.raises(KeyboardInterrupt):
        publish(root, NEW)
    assert snapshot(root / "output") == before
    assert leftovers(root) == []


def test_a_commit_killed_while_moving_files_into_place_is_finished_by_the_next_build(root: Path, monkeypatch):
    """Killed after the journal is saved and one new file moved: the next build finishes the move before anything."""
    moves: list[str] = []
    replace = os.replace

    def killed(source, target) -> None:
        moves.append(str(target))
        if len(moves) == 3:  # 1: the journal saved; 2: the first new file in place; 3: killed
            raise KeyboardInterrupt
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", killed)
    monkeypatch.setattr(files, "discard", lambda staging: None)  # a killed build cleans nothing up
    with pytest.raises(KeyboardInterrupt):
        publish(root, NEW)
    monkeypatch.undo()
    assert (root / ".output.journal").is_file()
    assert published(root)["data/new.json"] == NEW["data/new.json"]
    assert published(root)["index.html"] == OLD["index.html"]  # half moved, for now
    assert publish(root, NEW).written == 0  # the journal moved the rest before the build wrote anything
    assert published(root) == NEW
    assert leftovers(root) == []


def test_files_a_killed_commit_leaves_to_move_are_removed_by_a_next_build_that_does_not_plan_them(
    root: Path, monkeypatch
):
    """The next build lists the output only after finishing the journal: a file the journal moves in is known to it."""
    moves: list[str] = []
    replace = os.replace

    def killed(source, target) -> None:
        moves.append(str(target))
        if len(moves) == 2:  # 1: the journal saved; 2: killed before the first new file is in place
            raise KeyboardInterrupt
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", killed)
    monkeypatch.setattr(files, "discard", lambda staging: None)
    with pytest.raises(KeyboardInterrupt):
        publish(root, NEW)
    monkeypatch.undo()
    assert "data/new.json" not in published(root)
    publish(root, OLD)
    assert published(root) == OLD
    assert leftovers(root) == []


def test_a_build_killed_between_the_two_renames_of_a_swap_gets_the_old_output_back(root: Path):
    """Where the tree cannot be exchanged in one step, the old output is renamed aside, then the new one into place:
    a kill between the two leaves no output folder, and the next build puts the old one back, untouched."""
    before = snapshot(root / "output")
    os.rename(root / "output", root / ".output.old-4242")
    (root / ".output.staging-4242").mkdir()
    (root / ".output.staging-4242" / "index.html").write_bytes(NEW["index.html"])
    with DiskOutput(root / "output", root).begin():
        assert snapshot(root / "output") == before
    assert leftovers(root) == []


def test_a_file_changed_in_the_output_since_the_last_build_is_not_trusted(tmp_path: Path):
    """The next build knows what made each file; one edited or touched since must be made again."""
    publish(tmp_path, OLD)
    key = hashlib.sha256(OLD["index.html"]).digest()
    assert DiskOutput(tmp_path / "output", tmp_path).holds("index.html", key, checked=True)
    (tmp_path / "output/index.html").write_bytes(b"<p>Edited by hand</p>")
    assert not DiskOutput(tmp_path / "output", tmp_path).holds("index.html", key, checked=True)


def test_a_build_makes_again_the_files_touched_missing_or_made_from_other_keys_and_no_other(tmp_path: Path):
    """What the render stage asks of the folder once its lock is taken: every file in one pass."""
    publish(tmp_path, OLD)
    keys = {path: hashlib.sha256(data).digest() for path, data in OLD.items()}
    (tmp_path / "output/index.html").write_bytes(b"<p>Edited by hand</p>")
    (tmp_path / "output/feeds/all.atom").unlink()
    asked = {**keys, "data/new.json": b"new", "committees/other/index.html": keys["committees/test/index.html"]}
    output = DiskOutput(tmp_path / "output", tmp_path)
    with output.begin():
        stale = output.stale(asked, checked=True)
        assert stale == {path for path, key in asked.items() if not output.holds(path, key, checked=True)}
    assert stale == {"index.html", "feeds/all.atom", "data/new.json", "committees/other/index.html"}
    changed = {**keys, "committees/test/index.html": b"another key"}
    assert DiskOutput(tmp_path / "output", tmp_path).stale(changed, checked=True) >= {"committees/test/index.html"}
