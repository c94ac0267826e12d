"""The stores in `.minutebook-cache/` that outlive a build: pickled dictionaries, loaded when first used.

An unreadable store, or one written by another version of the engine, is a
miss, never an error: the cache can always be deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import struct
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..children import running
from . import memory
from .digest import engine_version

FOLDER = ".minutebook-cache"


# --- stores ---------------------------------------------------------------------------


class Store:
    """One pickled dictionary in the cache folder, loaded once and saved only when it changed.

    A store written by another engine version is ignored: old entries may
    hold values the new code would compute differently. An unreadable
    store is a miss, never an error: the cache can always be deleted.

    A store's file may carry an attachment after the dictionary: more
    entries, each pickled on its own, that loading the store does not read
    (see minutebook.bodies). Saving keeps the attachment's entries whose
    keys the dictionary still has.
    """

    def __init__(self, root: Path, name: str) -> None:
        self.path = root / FOLDER / f"{name}.pickle"
        self._data: dict[Any, Any] | None = None  # read on first use: a build may need one shard of many
        self._attachment: dict[Any, bytes] | None = None
        self._index: tuple[tuple[int, int, int], dict[Any, tuple[int, int]], int] | None = None  # file → places
        self.dirty = False

    @property
    def data(self) -> dict[Any, Any]:
        if self._data is None:
            self._data = self._load()
        return self._data

    @data.setter
    def data(self, value: dict[Any, Any]) -> None:
        self._data = value

    def _load(self) -> dict[Any, Any]:
        try:
            with open(self.path, "rb") as handle, memory.loading():
                version, data = pickle.loads(handle.read(_section_length(handle)))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return {}
        return data if version == engine_version() and isinstance(data, dict) else {}

    def attachment(self) -> dict[Any, bytes]:
        """The entries stored after the dictionary (read on first use), by key, each still pickled."""
        if self._attachment is None:
            self._attachment = {}
            with contextlib.suppress(OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
                with open(self.path, "rb") as handle:
                    index, _ = _attachment_index(handle)
                    rest = handle.read()
                self._attachment = {key: rest[at : at + size] for key, (at, size) in index.items()}
        return self._attachment

    def attached(self, key: Any) -> bytes | None:
        """One entry of the attachment, read alone (its place is in the attachment's index): a page shows a
        body or two of another shard, and reading a whole shard for them costs an archive milliseconds each."""
        if self._attachment is not None:
            return self._attachment.get(key)
        errors = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError)
        with contextlib.suppress(*errors), open(self.path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            if self._index is None or self._index[0] != (stat.st_ino, stat.st_mtime_ns, stat.st_size):
                self._index = ((stat.st_ino, stat.st_mtime_ns, stat.st_size), *_attachment_index(handle))
            _, index, start = self._index
            if key in index:
                at, size = index[key]
                return os.pread(handle.fileno(), size, start + at)
        return None

    def get(self, key: Any, default: Any = None) -> Any:
        return self.data.get(key, default)

    def put(self, key: Any, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def forget(self, key: Any) -> None:
        if key in self.data:
            del self.data[key]
            self.dirty = True

    def attach(self, key: Any, pickled: bytes) -> None:
        """Keep `pickled` in the attachment under `key` (an entry of the dictionary too, or it is not saved)."""
        self.attachment()[key] = pickled
        self.dirty = True

    @property
    def loaded(self) -> bool:
        return self._data is not None

    def keep_only(self, keys: set[Any]) -> None:
        """Forget entries for things that no longer exist, so the store does not grow forever."""
        stale = [k for k in self.data if k not in keys]
        for key in stale:
            del self.data[key]
        self.dirty = self.dirty or bool(stale)

    def replace(self, data: dict[Any, Any]) -> None:
        self.dirty = self.dirty or self._data is None or data != self._data
        self.data = data

    def pickler(self, handle: Any) -> pickle.Pickler:
        return pickle.Pickler(handle, protocol=5)

    def save(self) -> None:
        """Write atomically (a killed build leaves the previous store); failure only costs speed next time."""
        if not self.dirty:
            return
        attached = {key: value for key, value in self.attachment().items() if key in self.data}
        if write_store(self.path, lambda handle: self.pickler(handle).dump((engine_version(), self.data)), attached):
            self.dirty = False

    def adopt(self, pickled: bytes, save: bool = True) -> dict[Any, Any]:
        """Take as the whole store one pickled by `pickled_store` in another process, and save those very bytes:
        a worker that made every entry has already paid for the pickling this process would otherwise repeat.
        With save=False the worker has written the file itself (`write_store`), attachment and all."""
        with memory.loading():
            version, data = pickle.loads(pickled)
        self._data, self._attachment, self.dirty = (data if version == engine_version() else {}), None, False
        if save:
            write_store(self.path, pickled, {})
        return self._data


HEADER = struct.Struct("<8sQ")  # a store file starts with MAGIC and the length of its dictionary's pickle
MAGIC = b"mbstore3"
LENGTH = struct.Struct("<Q")  # the attachment starts with the length of its index's pickle


def _section_length(handle: Any) -> int:
    """The length of the dictionary's pickle, after checking the file is a store file that holds that much."""
    header = handle.read(HEADER.size)
    if len(header) != HEADER.size:
        raise EOFError("no store header")
    magic, length = HEADER.unpack(header)
    if magic != MAGIC or length > os.fstat(handle.fileno()).st_size - HEADER.size:
        raise ValueError("not a store file of this version")
    return length


def _attachment_index(handle: Any) -> tuple[dict[Any, tuple[int, int]], int]:
    """The attachment's index (key → where its entry is after the index, and its length) and where the entries
    start; `handle` is left there. Empty when the file has no attachment or another engine version wrote it."""
    handle.seek(HEADER.size + _section_length(handle))
    length = handle.read(LENGTH.size)
    if not length:
        return {}, handle.tell()
    version, index = pickle.loads(handle.read(LENGTH.unpack(length)[0]))
    if version != engine_version() or not isinstance(index, dict):
        return {}, handle.tell()
    return index, handle.tell()


def _write_attachment(handle: Any, attachment: dict[Any, bytes]) -> None:
    """The index of the entries, then the entries one after another, each still pickled."""
    index, at = {}, 0
    for key, value in attachment.items():
        index[key] = (at, len(value))
        at += len(value)
    pickled = pickle.dumps((engine_version(), index), protocol=5)
    handle.write(LENGTH.pack(len(pickled)))
    handle.write(pickled)
    for value in attachment.values():
        handle.write(value)


def pickled_store(data: dict[Any, Any]) -> bytes:
    """A store's dictionary pickled as its file holds it, wherever the entries are made (see Store.adopt)."""
    return pickle.dumps((engine_version(), data), protocol=5)


def write_store(path: Path, data: bytes | Callable[[Any], object], attachment: dict[Any, bytes]) -> bool:
    """A store file, atomically (a killed build leaves the previous one); False when it could not be written.

    `data` is the dictionary's pickle, or what writes it to a file (streamed: a large store is never held
    twice in memory).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _ignore_file(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-{os.getpid()}-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(HEADER.pack(MAGIC, 0))
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data(handle)
            length = handle.tell() - HEADER.size
            handle.seek(0)
            handle.write(HEADER.pack(MAGIC, length))
            handle.seek(0, os.SEEK_END)
            if attachment:
                _write_attachment(handle, attachment)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


UNFINISHED_RE = re.compile(r"^\..+-(\d+)-[a-z0-9_]{8}$")  # a store being written: .<name>-<writer's pid>-<random>


def sweep_unfinished(folder: Path) -> None:
    """Delete the half-written stores of processes that no longer run: a build killed while saving (SIGKILL, or a
    closed terminal's SIGHUP) cannot delete its own, and an archive's model alone is tens of megabytes. A store
    being written by a live process (a preview beside this build) is left to it."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = UNFINISHED_RE.match(name)
        if match is not None and not running(int(match[1])):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


class Shards:
    """A store split into files by a stable hash of each key's first part (a source path, say).

    After a one-paper edit only the shard holding that paper is written again, not the whole parse cache of
    the archive (hundreds of megabytes for ten thousand papers).
    """

    COUNT = 64

    def __init__(self, root: Path, name: str) -> None:
        self.stores = [Store(root, f"{name}-{i:02d}") for i in range(self.COUNT)]
        self._indexes: dict[str, int] = {}  # path → its shard: a preview asks for every source's on every save

    def _store(self, key: tuple[str, Any]) -> Store:
        return self.stores[self.index(key)]

    def index(self, key: tuple[str, Any]) -> int:
        index = self._indexes.get(key[0])
        if index is None:
            index = self._indexes[key[0]] = shard_of(key[0], self.COUNT)
        return index

    def get(self, key: tuple[str, Any], default: Any = None) -> Any:
        return self._store(key).get(key, default)

    def put(self, key: tuple[str, Any], value: Any) -> None:
        self._store(key).put(key, value)

    def forget(self, key: tuple[str, Any]) -> None:
        self._store(key).forget(key)

    def keep_only(self, keys: set[Any], paths: Iterable[str]) -> None:
        """Forget what no longer exists, in the shards of `paths`: the sources changed or removed, whose old
        entries wait there. No other shard holds any: a build that changes none of a shard's sources leaves it."""
        for index in sorted({self.index((path, None)) for path in paths}):
            self.stores[index].keep_only(keys)

    def save(self) -> None:
        for store in self.stores:
            store.save()


def shard_of(path: str, count: int = Shards.COUNT) -> int:
    """By the folder of a source's path: the papers of one meeting, which its agenda pack shows, share a shard."""
    return hashlib.blake2b(path.rpartition("/")[0].encode(), digest_size=2).digest()[0] % count


def _ignore_file(folder: Path) -> None:
    """The cache never belongs in version control, whatever the project's .gitignore says."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# Minutebook's build cache: safe to delete.\n*\n")
