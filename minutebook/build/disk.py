"""The output on disk: `output/` written atomically, touching only the files whose bytes changed.

New files are staged beside the output (by the render workers themselves)
and committed in one of two ways, both safe at any moment: a few files in a
large tree are moved into place through a journal; anything more is
completed with hard links to the unchanged files (so their modification
times, which deploy tools compare, survive) and exchanged with the old tree
in one step. A record in the cache folder says what made each file; a file
whose size or modification time is not the recorded one is made again.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast

from . import files, workers
from .cache import Store
from .output import Entry, SearchRecord, Staging, WriteReport, link_or_copy, made_from

JOURNAL_LIMIT = 512  # files changed or removed at most for a journal; more are staged as a whole tree


class Recorded(NamedTuple):
    """One output file as the last build left it (a tuple: an archive's record holds tens of thousands)."""

    key: bytes
    size: int
    mtime_ns: int
    checked: bool


Packed = tuple[list[str], list[bytes], array, array, bytes]  # the record as columns: path, key, size, time, checked


def _packed(entries: dict[str, Recorded]) -> Packed:
    """The record as the cache folder keeps it: in columns, which pickle in a quarter of the time of an archive's
    tens of thousands of tuples (every build that writes a file saves the record)."""
    values = entries.values()
    sizes, times = array("q", [e.size for e in values]), array("q", [e.mtime_ns for e in values])
    return list(entries), [e.key for e in values], sizes, times, bytes([e.checked for e in values])


def _unpacked(packed: Any) -> dict[str, Recorded]:
    if not packed:
        return {}
    paths, keys, sizes, times, checked = packed
    return dict(zip(paths, map(Recorded._make, zip(keys, sizes, times, map(bool, checked), strict=True)), strict=True))


class DiskOutput:
    """An output folder (`output/`, or any folder Minutebook made)."""

    def __init__(self, folder: Path, root: Path, *, save: bool = True) -> None:
        files.check_output_path(folder, root)
        self.folder, self.save = folder, save
        self.store = Store(root, "output-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16])
        self._entries: dict[str, Recorded] | None = None  # the record, read when first asked for: a build asks
        self._search: SearchRecord | None = None  # once its listing of the folder has begun, and reads it meanwhile
        self._listing: _Listing | None = None

    @property
    def entries(self) -> dict[str, Recorded]:
        if self._entries is None:
            self._entries = _unpacked(self.store.get("entries"))
        return self._entries

    @property
    def search(self) -> SearchRecord:
        if self._search is None:
            self._search = self.store.get("search", SearchRecord())
        return self._search

    def previous(self) -> DiskOutput:
        return self

    def stale(self, keys: Mapping[str, bytes], checked: bool) -> set[str]:
        """The paths of `keys` it does not hold as made from their keys: looked up in one pass (an archive's
        forty-four thousand files are asked about on every build, a save to one paper included)."""
        if self._listing is None:
            return {path for path, key in keys.items() if not self.holds(path, key, checked)}
        recorded, on_disk = self.entries, self._listing.result()  # asked for once, not once a file
        found = set()
        for path, key in keys.items():
            entry = recorded.get(path)
            if entry is None or not made_from(entry, key, checked) or on_disk.get(path) != entry[1:3]:
                found.add(path)
        return found

    def holds(self, path: str, key: bytes, checked: bool) -> bool:
        entry = self.entries.get(path)
        if entry is None or not made_from(entry, key, checked):
            return False
        if self._listing is not None:  # under the lock: the listing's look at each file
            return self._listing.result().get(path) == (entry.size, entry.mtime_ns)
        try:
            status = os.stat(f"{self.folder}/{path}")
        except OSError:
            return False
        return status.st_size == entry.size and status.st_mtime_ns == entry.mtime_ns

    def read(self, path: str) -> bytes:
        return (self.folder / path).read_bytes()

    def entry(self, path: str) -> Entry | None:
        recorded = self.entries.get(path)
        return None if recorded is None else Entry(recorded.key, recorded.checked)

    @contextlib.contextmanager
    def begin(self) -> Iterator[DiskStaging]:
        """A staging folder, under the build lock; it goes however the block ends. It is made inside the block
        that removes it: Ctrl-C between making it and using it must not leave it behind."""
        with files.build_lock(self.folder):
            files.recover(self.folder)
            folder = files.staging_path(self.folder)
            sweep = functools.partial(files.discard_own, folder, os.getpid())
            atexit.register(sweep)  # and should Ctrl-C be raised where no block below can catch it, at exit
            try:
                # Listed only now that a stopped build's moves are finished, while this build renders.
                self._listing = _Listing(self.folder)
                yield DiskStaging(self.folder, files.staging_folder(folder))
            finally:
                if self._listing is not None:  # true of the folder under this lock only
                    self._listing.task.cancel()
                    self._listing = None
                files.discard(folder)
                atexit.unregister(sweep)

    def commit(self, staging: Staging, planned: Mapping[str, Entry], search: SearchRecord) -> WriteReport:
        """Make the folder hold exactly the planned files (and the marker), then record what made each."""
        assert isinstance(staging, DiskStaging)
        if not staging.holds_marker:
            staging.put(files.MARKER, files.MARKER_TEXT.encode())
        paths = {*planned, files.MARKER}
        existing = self._listing.result() if self._listing is not None else files.listing(self.folder)
        removed = sorted(path for path in existing if path not in paths)
        written = set(staging.written)
        unchanged = [path for path in paths if path not in written]
        if written or removed or not self.folder.is_dir():
            if self.folder.is_dir() and len(written) + len(removed) <= JOURNAL_LIMIT:
                files.journal_in(self.folder, staging.folder, written, removed)
            else:
                files.swap_in(self.folder, staging.folder, unchanged)
        self._record(planned, written | staging.made, search)
        return WriteReport(len(written), len(paths) - len(written), len(removed), frozenset(written))

    def _record(self, planned: Mapping[str, Entry], made: set[str], search: SearchRecord) -> None:
        """What made each file; those made this build (new bytes or not) are looked at again on disk."""
        entries = {}
        for path, entry in planned.items():
            old = self.entries.get(path)
            if path not in made and old is not None and (old.key, old.checked) == (entry.key, entry.checked):
                entries[path] = old
                continue
            with contextlib.suppress(OSError):
                status = os.stat(f"{self.folder}/{path}")
                entries[path] = Recorded(entry.key, status.st_size, status.st_mtime_ns, entry.checked)
        if entries != self.entries or search != self.search:
            self._entries, self._search = entries, search
            if self.save:
                self.store.replace({"entries": _packed(entries), "search": search})
                self.store.save()


@dataclass
class DiskStaging:
    """New files beside the output folder, written by any process; only new bytes are written."""

    output: Path
    folder: Path
    written: set[str] = field(default_factory=set)
    made: set[str] = field(default_factory=set)
    shared: bool = True

    @property
    def holds_marker(self) -> bool:
        return (self.output / files.MARKER).is_file()

    def put(self, path: str, data: bytes) -> bool:
        if not files.put(self.folder, self.output, path, data):
            return False
        self.written.add(path)
        return True

    def adopt(self, path: str) -> bool:
        """A file the indexer left in the staging folder: kept when new, else the output's own stays."""
        staged = self.folder / path
        if files.holds(self.output / path, staged.read_bytes()):
            staged.unlink()
            return False
        self.written.add(path)
        return True

    def layout(self, paths: Iterable[str]) -> Callable[[Path], None]:
        """Hard links to the staged files and the output's: laid out at once by the build that stages them."""

        def lay_out(folder: Path) -> None:
            for path in paths:
                staged = self.folder / path
                link_or_copy(staged if staged.exists() else self.output / path, folder / path)

        return lay_out

    def read(self, path: str) -> bytes:
        staged = self.folder / path
        return staged.read_bytes() if staged.exists() else (self.output / path).read_bytes()


class _Listing:
    """The output folder's files with the size and modification time of each, read by a process of its own while
    the build does its other work: one look at each file says both what is there and what is untouched since it
    was made."""

    def __init__(self, folder: Path) -> None:
        self.task = workers.Background(lambda: files.stats(folder))

    def result(self) -> dict[str, tuple[int, int]]:
        return cast(dict[str, tuple[int, int]], self.task.result())  # the task keeps its outcome
