"""Where a build's output goes: one interface, two places — a folder on disk, or the preview's memory.

A build asks its output what it holds already (`previous`), puts the files
it made into a `Staging` (pages straight from the render workers, when the
staging is on disk), and finally commits: the output then holds exactly the
planned files, the new ones and the unchanged ones, and nothing else. A
build that fails or is stopped leaves the output as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .files import MARKER, MARKER_TEXT


@dataclass(frozen=True)
class Entry:
    """What an output file was made from, and whether the build that wrote it checked it for withheld text."""

    key: bytes
    checked: bool


class Made(Protocol):
    """What a record says made a file: its key, and whether a checked build wrote it (an `Entry`, say)."""

    @property
    def key(self) -> bytes: ...

    @property
    def checked(self) -> bool: ...


def made_from(entry: Made | None, key: bytes, checked: bool) -> bool:
    """The file recorded as `entry` was made from `key`, and checked for leaks when that is asked for."""
    return entry is not None and entry.key == key and (entry.checked or not checked)


@dataclass(frozen=True)
class Shard:
    """One shard of the search index an output holds: its name, what it was made from, and its files."""

    name: str
    key: bytes
    files: tuple[str, ...]


@dataclass(frozen=True)
class SearchRecord:
    """The search index an output holds: its shards (see site.search.shard_of)."""

    shards: tuple[Shard, ...] = ()

    def shard(self, name: str) -> Shard | None:
        return next((shard for shard in self.shards if shard.name == name), None)


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    changed: frozenset[str] = frozenset()


class Previous(Protocol):
    """What an output holds before a build writes."""

    @property
    def search(self) -> SearchRecord:
        """The shards of the search index it holds."""
        ...

    def holds(self, path: str, key: bytes, checked: bool) -> bool:
        """It holds the file `path` made from `key` as written (and checked for leaks, if `checked`)."""
        ...

    def stale(self, keys: Mapping[str, bytes], checked: bool) -> set[str]:
        """The paths of `keys` (path → key) it does not hold as `holds` says, in one pass."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of a file it holds."""
        ...

    def entry(self, path: str) -> Entry | None:
        """What the file it holds at `path` was made from, if it was recorded."""
        ...


class Staging(Protocol):
    """Where a build's new files wait until the output commits them."""

    written: set[str]  # files with new bytes
    made: set[str]  # files made this build, new bytes or not

    @property
    def shared(self) -> bool:
        """Workers may put files themselves (a folder on disk); else their bytes come back first."""
        ...

    @property
    def folder(self) -> Path | None:
        """Where another program (the indexer) may leave files, on disk; None in memory."""
        ...

    def put(self, path: str, data: bytes) -> bool:
        """Stage a file; False (nothing staged) when the output holds these bytes already."""
        ...

    def adopt(self, path: str) -> bool:
        """Take a file another program left under `folder` at `path`; False when the output holds the same bytes."""
        ...

    def layout(self, paths: Iterable[str]) -> Callable[[Path], None]:
        """The files at `paths` as they are now (staged, or as the output holds them), laid out under a folder for
        the indexer when it calls the function returned: the preview's indexer does so later, in its own time."""
        ...

    def read(self, path: str) -> bytes: ...


class Output(Protocol):
    def previous(self) -> Previous: ...

    def begin(self) -> contextlib.AbstractContextManager[Staging]: ...

    def commit(self, staging: Staging, files: Mapping[str, Entry], search: SearchRecord) -> WriteReport: ...


# --- the preview's output: in memory ----------------------------------------------------


@dataclass
class MemoryOutput:
    """An output kept in memory, served from there by the preview (nothing is written to disk)."""

    files: dict[str, bytes] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    search: SearchRecord = field(default_factory=SearchRecord)
    generation: int = 0  # goes up each time a commit changes anything

    def previous(self) -> MemoryOutput:
        return self

    def holds(self, path: str, key: bytes, checked: bool) -> bool:
        return made_from(self.entries.get(path), key, checked) and path in self.files

    def stale(self, keys: Mapping[str, bytes], checked: bool) -> set[str]:
        return {path for path, key in keys.items() if not self.holds(path, key, checked)}

    def read(self, path: str) -> bytes:
        return self.files[path]

    def entry(self, path: str) -> Entry | None:
        return self.entries.get(path)

    @contextlib.contextmanager
    def begin(self) -> Iterator[MemoryStaging]:
        yield MemoryStaging(self)

    def commit(self, staging: Staging, files: Mapping[str, Entry], search: SearchRecord) -> WriteReport:
        """The files planned, as staged or as held: a new dictionary (a request being answered keeps the one it
        took), made from the last by what this build staged and dropped; a save changes a few of an archive's."""
        assert isinstance(staging, MemoryStaging)
        removed = self.files.keys() - files.keys() - {MARKER}
        new = dict(self.files)
        for path in removed:
            del new[path]
        staged = {path: data for path, data in staging.staged.items() if path in files}
        staged[MARKER] = MARKER_TEXT.encode()
        changed = frozenset(path for path, data in staged.items() if new.get(path) != data)
        new.update(staged)
        if len(new) != len(files) + 1:  # + the marker: a planned file neither staged nor held
            raise RuntimeError("the preview was asked to keep a file it was never given")
        self.files, self.entries, self.search = new, dict(files), search
        if changed or removed:
            self.generation += 1
        return WriteReport(len(changed), len(new) - len(changed), len(removed), changed)


@dataclass
class MemoryStaging:
    output: MemoryOutput
    staged: dict[str, bytes] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    made: set[str] = field(default_factory=set)
    shared: bool = False
    folder: Path | None = None

    def put(self, path: str, data: bytes) -> bool:
        self.staged[path] = data
        if self.output.files.get(path) == data:
            return False
        self.written.add(path)
        return True

    def adopt(self, path: str) -> bool:
        raise RuntimeError("nothing is left in a folder for the preview's output")

    def layout(self, paths: Iterable[str]) -> Callable[[Path], None]:
        pages = {path: self.read(path) for path in paths}  # the bytes as they are now: later saves replace them

        def lay_out(folder: Path) -> None:
            for path, data in pages.items():
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

        return lay_out

    def read(self, path: str) -> bytes:
        return self.staged[path] if path in self.staged else self.output.files[path]


def link_or_copy(source: str | Path, target: Path) -> None:
    """A hard link where the file system allows one, else a copy: for laying files out for the indexer."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        with open(source, "rb") as handle:
            target.write_bytes(handle.read())
