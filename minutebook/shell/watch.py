"""Watching (part of the dev server's shell): file system events under content/ and templates/ become rebuilds.

Editors save a file as a burst of events (truncate, write, rename, change
attributes); the debouncer turns each burst into one rebuild naming the files.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .. import filekinds

QUIET_SECONDS = 0.1  # editors write a save as several events; wait this long for the burst to end
WATCHED_EVENTS = ("created", "deleted", "modified", "moved")  # not opened/closed: the build itself opens files


class Debouncer:
    """Collects changed file names until nothing has changed for QUIET_SECONDS, then rebuilds once."""

    def __init__(self, action: Callable[[list[str]], None], quiet: float = QUIET_SECONDS) -> None:
        self.action = action
        self.quiet = quiet
        self._pending: set[str] = set()
        self._last = 0.0
        self._stopping = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="minutebook-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def note(self, name: str) -> None:
        with self._condition:
            self._pending.add(name)
            self._last = time.monotonic()
            self._condition.notify()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop after the rebuild in progress, waiting at most `timeout` seconds; True when it has stopped."""
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while (changed := self._next_burst()) is not None:
            self.action(changed)

    def _next_burst(self) -> list[str] | None:
        with self._condition:
            self._condition.wait_for(lambda: self._pending or self._stopping)
            while not self._stopping and (left := self._last + self.quiet - time.monotonic()) > 0:
                self._condition.wait(left)
            if self._stopping:
                return None
            changed, self._pending = sorted(self._pending), set()
            return changed


class SourceWatcher(FileSystemEventHandler):
    """Turns watchdog events under content/, templates/ and site.toml into changed names for the debouncer.

    Reading a file during a build can change its access time, which inotify
    reports as a modification: a file counts as changed only when its size or
    modification time did, or it appeared, vanished or moved.
    """

    def __init__(self, root: Path, note: Callable[[str], None]) -> None:
        self.root = root
        self.note = note
        self._stamps = {str(p): _stamp(p) for p in _watched_files(root)}

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        for path in (_text(event.src_path), _text(getattr(event, "dest_path", ""))):
            if path and self._relevant(path) and self._changed(path, event.event_type):
                self.note(relative(path, self.root))

    def _relevant(self, path: str) -> bool:
        if filekinds.is_editor_temporary(os.path.basename(path)):
            return False
        return path == str(self.root / "site.toml") or any(
            path.startswith(str(self.root / folder) + os.sep) for folder in ("content", "templates")
        )

    def _changed(self, path: str, kind: str) -> bool:
        if kind != "modified":
            self._stamps[path] = _stamp(Path(path))
            return True
        stamp = _stamp(Path(path))
        changed = self._stamps.get(path) != stamp
        self._stamps[path] = stamp
        return changed


def _watched_files(root: Path) -> Iterable[Path]:
    for folder in (root / "content", root / "templates"):
        if folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file())
    yield root / "site.toml"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _text(path: str | bytes) -> str:
    return os.fsdecode(path) if path else ""


def watch(root: Path, note: Callable[[str], None]) -> BaseObserver:
    observer = Observer()
    handler = SourceWatcher(root, note)
    for folder in (root / "content", root / "templates"):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # site.toml, often saved by renaming a temporary file
    observer.start()
    return observer


def relative(path: str, root: Path) -> str:
    """A path as the clerk knows it: from the project folder, with forward slashes."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
