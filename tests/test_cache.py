"""The cache folder after a process was killed while saving a store: the next build deletes what it half wrote,
and leaves alone a store that a running process (a preview beside the build) is still writing."""

from __future__ import annotations

import multiprocessing
import signal
import time
from pathlib import Path

from conftest import build, write_site

from minutebook.build import cache


def _write_slowly(path: Path, begun) -> None:
    """Save a store whose writing takes as long as the test wants: a kill or a build meets it half written."""

    def write(handle) -> None:
        handle.write(b"x" * 65536)
        handle.flush()
        begun.set()
        time.sleep(30)

    cache.write_store(path, write, {})


def _writer(root: Path, name: str):
    """A forked process saving `name` into the cache folder of `root`, once its half-written file is there."""
    context = multiprocessing.get_context("fork")
    begun = context.Event()
    process = context.Process(target=_write_slowly, args=(root / cache.FOLDER / f"{name}.pickle", begun))
    process.start()
    assert begun.wait(20)
    return process


def _unfinished(root: Path, name: str) -> list[str]:
    return sorted(p.name for p in (root / cache.FOLDER).glob(f".{name}-*"))


def test_a_store_half_written_by_a_killed_process_is_deleted_by_the_next_build(tmp_path: Path):
    root = write_site(tmp_path / "site", {})
    assert build(root).ok
    killed = _writer(root, "memo-model")
    killed.kill()  # SIGKILL: the writer cannot delete its own half-written file
    killed.join()
    assert killed.exitcode == -signal.SIGKILL
    assert _unfinished(root, "memo-model") != []  # left behind, as a killed build leaves it
    running = _writer(root, "memo-plan")
    try:
        assert build(root).ok
        assert _unfinished(root, "memo-model") == []
        assert _unfinished(root, "memo-plan") != []  # its writer runs: the file is still being written
    finally:
        running.kill()
        running.join()
    assert build(root).ok
    assert _unfinished(root, "memo-plan") == []
    assert [p.name for p in (root / cache.FOLDER).iterdir() if p.name.startswith(".") and p.name != ".gitignore"] == []
