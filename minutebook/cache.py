"""The cache: stable digests of what each stage is given, and the stores in `.minutebook-cache/` that outlive a build.

A cache key is the digest of exactly what a pure stage receives, so a hit
is correct by construction. Digests are computed by walking values, never
by `hash()` (salted per process) or `repr` (not stable for every type).
Frozen dataclasses are immutable, so each is digested once per build and
remembered by identity: a page context that shows a paper costs one lookup,
not a second pass over the paper's text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import gc
import hashlib
import os
import pickle
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

FOLDER = ".minutebook-cache"
PACKAGE = Path(__file__).resolve().parent

Memo = dict[int, tuple[Any, bytes]]


def engine_version() -> str:
    """A digest of Minutebook's own code and data files: any change to the engine invalidates every store."""
    global _ENGINE
    if _ENGINE is None:
        h = hashlib.sha256()
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
                h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _ENGINE = h.hexdigest()[:32]
    return _ENGINE


_ENGINE: str | None = None


def folder_digest(folder: Path) -> str:
    """Names and bytes of every file under `folder` (the template set, say)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def digest(value: Any, memo: Memo | None = None) -> bytes:
    """A stable digest of a value built from data, dataclasses, dates and containers."""
    parts: list[str] = []
    _walk(value, {} if memo is None else memo, parts)
    return hashlib.blake2b("".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()


_CLASSES: dict[type, tuple[str, bool, tuple[str, ...]] | None] = {}  # dataclass → (name, frozen, field names)


def _dataclass_of(kind: type) -> tuple[str, bool, tuple[str, ...]] | None:
    if kind not in _CLASSES:
        _CLASSES[kind] = None
        if dataclasses.is_dataclass(kind):
            names = tuple(f.name for f in dataclasses.fields(kind))
            _CLASSES[kind] = (f"{kind.__module__}.{kind.__qualname__}", kind.__dataclass_params__.frozen, names)
    return _CLASSES[kind]


def _walk(value: Any, memo: Memo, out: list[str]) -> None:  # noqa: C901 - one branch per kind of value, on purpose
    """Append a self-delimiting text form of `value` to `out` (lengths before strings, brackets around items)."""
    kind = type(value)
    if kind is str:
        out.append(f"s{len(value)}:")
        out.append(value)
    elif value is None or kind is bool or kind is int or kind is float:
        out.append(f"{kind.__name__}:{value!r};")
    elif kind is tuple or kind is list:
        out.append(f"{kind.__name__[0]}{len(value)}[")
        for item in value:
            _walk(item, memo, out)
        out.append("]")
    elif kind is dict:
        out.append(f"d{len(value)}{{")
        for key, item in value.items():  # insertion order is what a template iterating the dict shows
            _walk(key, memo, out)
            _walk(item, memo, out)
        out.append("}")
    elif (shape := _dataclass_of(kind)) is not None:
        out.append(_dataclass_digest(value, shape, memo))
    elif kind is bytes:
        out.append(f"b{len(value)}:{value.hex()}")
    elif isinstance(value, str | bytes):  # Markup and other subclasses: their type is part of what they mean
        out.append(f"{kind.__module__}.{kind.__qualname__}:")
        _walk(str(value) if isinstance(value, str) else bytes(value), memo, out)
    elif isinstance(value, dt.date | dt.time | dt.datetime | dt.timedelta):
        out.append(f"{kind.__name__}:{value!r};")
    elif isinstance(value, set | frozenset):
        out.append(f"S{len(value)}{{{''.join(sorted(digest(item, memo).hex() for item in value))}}}")
    elif isinstance(value, enum.Enum):
        out.append(f"{kind.__qualname__}.{value.name};")
    elif callable(value):
        _walk_callable(value, memo, out)
    else:
        out.append(f"{kind.__module__}.{kind.__qualname__}:")
        out.append(hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).hexdigest())


def _dataclass_digest(value: Any, shape: tuple[str, bool, tuple[str, ...]], memo: Memo) -> str:
    name, frozen, fields = shape
    if frozen and id(value) in memo:
        return memo[id(value)][1].hex()
    parts = [name, "("]
    for field_name in fields:
        parts.append(field_name + "=")
        _walk(getattr(value, field_name), memo, parts)
    parts.append(")")
    result = hashlib.blake2b("".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()
    if frozen:
        memo[id(value)] = (value, result)  # the value is kept so its id cannot be reused while the memo lives
    return result.hex()


def _walk_callable(value: Callable[..., Any], memo: Memo, out: list[str]) -> None:
    """A function is its name plus whatever data its closure or bound object carries; its code is the engine's."""
    out.append(f"fn:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)};")
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, type) and type(owner).__module__ != "builtins":
        with contextlib.suppress(Exception):
            out.append(digest(vars(owner), memo).hex())
    for cell in getattr(value, "__closure__", None) or ():
        with contextlib.suppress(ValueError):
            _walk(cell.cell_contents, memo, out)


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
            with open(self.path, "rb") as handle, _no_gc():
                version, data = pickle.loads(handle.read(_section_length(handle)))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return {}
        gc.freeze()  # what a store holds lives as long as the build: the collector need not walk it, ever
        return data if version == engine_version() and isinstance(data, dict) else {}

    def attachment(self) -> dict[Any, bytes]:
        """The entries stored after the dictionary (read on first use), by key, each still pickled."""
        if self._attachment is None:
            self._attachment = {}
            with contextlib.suppress(OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
                with open(self.path, "rb") as handle:
                    handle.seek(_section_length(handle), os.SEEK_CUR)
                    rest = handle.read()
                version, attached = pickle.loads(rest) if rest else ("", {})
                if version == engine_version() and isinstance(attached, dict):
                    self._attachment = attached
        return self._attachment

    def get(self, key: Any, default: Any = None) -> Any:
        return self.data.get(key, default)

    def put(self, key: Any, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def forget(self, key: Any) -> None:
        if key in self.data:
            del self.data[key]
            self.dirty = True

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
        with _no_gc():
            version, data = pickle.loads(pickled)
        self._data, self._attachment, self.dirty = (data if version == engine_version() else {}), None, False
        if save:
            write_store(self.path, pickled, {})
        return self._data


HEADER = struct.Struct("<8sQ")  # a store file starts with MAGIC and the length of its dictionary's pickle
MAGIC = b"mbstore2"


def _section_length(handle: Any) -> int:
    """The length of the dictionary's pickle, after checking the file is a store file that holds that much."""
    header = handle.read(HEADER.size)
    if len(header) != HEADER.size:
        raise EOFError("no store header")
    magic, length = HEADER.unpack(header)
    if magic != MAGIC or length > os.fstat(handle.fileno()).st_size - HEADER.size:
        raise ValueError("not a store file of this version")
    return length


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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
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
                pickle.dump((engine_version(), attachment), handle, protocol=5)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


class Shards:
    """A store split into files by a stable hash of each key's first part (a source path, say).

    After a one-paper edit only the shard holding that paper is written again, not the whole parse cache of
    the archive (hundreds of megabytes for ten thousand papers).
    """

    COUNT = 64

    def __init__(self, root: Path, name: str) -> None:
        self.stores = [Store(root, f"{name}-{i:02d}") for i in range(self.COUNT)]
        with contextlib.suppress(OSError):
            (root / FOLDER / f"{name}.pickle").unlink()  # the single file earlier versions kept

    def _store(self, key: tuple[str, Any]) -> Store:
        return self.stores[self.index(key)]

    def index(self, key: tuple[str, Any]) -> int:
        return shard_of(key[0], self.COUNT)

    def get(self, key: tuple[str, Any], default: Any = None) -> Any:
        return self._store(key).get(key, default)

    def put(self, key: tuple[str, Any], value: Any) -> None:
        self._store(key).put(key, value)

    def forget(self, key: tuple[str, Any]) -> None:
        self._store(key).forget(key)

    def keep_only(self, keys: set[Any]) -> None:
        for store in self.stores:
            store.keep_only(keys)

    def save(self) -> None:
        for store in self.stores:
            store.save()


def shard_of(path: str, count: int = Shards.COUNT) -> int:
    """By the folder of a source's path: the papers of one meeting, which its agenda pack shows, share a shard."""
    return hashlib.blake2b(path.rpartition("/")[0].encode(), digest_size=2).digest()[0] % count


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickling millions of objects, none of them garbage, would otherwise run the cycle collector thousands of
    times over a heap that only grows: loading the parse store takes about a third of the time without it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ignore_file(folder: Path) -> None:
    """The cache never belongs in version control, whatever the project's .gitignore says."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# Minutebook's build cache: safe to delete.\n*\n")
