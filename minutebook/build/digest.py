"""Digests: stable keys of what each stage is given, so a cache hit is correct by construction.

Digests are computed by walking values, never by `hash()` (salted per
process) or `repr` (not stable for every type). Frozen dataclasses are
immutable, so each is digested once per build and remembered by identity: a
page context that shows a paper costs one lookup, not a second pass over the
paper's text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import pickle
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, cast

from ..content.body import Rendered
from ..site.planner import ShownBody

PACKAGE = Path(__file__).resolve().parent.parent

Memo = dict[int, tuple[Any, bytes, list[str]]]  # id → (value, digest, bodies it holds)


@functools.cache
def engine_version() -> str:
    """A digest of Minutebook's own code and data files: any change to the engine invalidates every store.

    Worked out once per process: the engine's files do not change under a running build.
    """
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def folder_digest(folder: Path) -> str:
    """Names and bytes of every file under `folder` (the template set, say)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def table_digest(table: Mapping[str, bytes | str]) -> bytes:
    """A table of paths (each source's shape, each source's text digest), in path order, hashed in one pass: an
    archive has tens of thousands, too many to walk as a value."""
    h = hashlib.blake2b(digest_size=20)
    for path in sorted(table):
        value = table[path]
        data = value if isinstance(value, bytes) else value.encode()
        h.update(b"%d:%s\0%d:%s" % (len(path), path.encode("utf-8", "surrogatepass"), len(data), data))
    return h.digest()


def digest(value: Any, memo: Memo | None = None, shown: list[str] | None = None) -> bytes:
    """A stable digest of a value built from data, dataclasses, dates and containers.

    A body a page shows (`ShownBody`, or a model value's body a template could read) is digested by where it
    comes from and how it is shown, not by its text, which the build has not read: its source is added to
    `shown`, and the caller adds the digest of that source's text (see build.plan). Without `shown`, a body
    counts by its source alone.
    """
    parts: list[str] = []
    _walk(value, {} if memo is None else memo, parts, shown)
    return hashlib.blake2b("".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()


@functools.cache
def _dataclass_of(kind: type) -> tuple[str, bool, tuple[str, ...]] | None:
    """(name, frozen, field names) of a dataclass, looked up once per class; None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(f.name for f in dataclasses.fields(kind))
    frozen = bool(vars(kind)["__dataclass_params__"].frozen)
    return (f"{kind.__module__}.{kind.__qualname__}", frozen, names)


def _walk(value: Any, memo: Memo, out: list[str], shown: list[str] | None = None) -> None:
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
            _walk(item, memo, out, shown)
        out.append("]")
    elif kind is dict:
        out.append(f"d{len(value)}{{")
        for key, item in value.items():  # insertion order is what a template iterating the dict shows
            _walk(key, memo, out, shown)
            _walk(item, memo, out, shown)
        out.append("}")
    elif (shape := _dataclass_of(cast(Hashable, kind))) is not None:
        out.append(_dataclass_digest(value, shape, memo, shown))
    else:
        _walk_other(value, kind, memo, out)


def _walk_other(value: Any, kind: type, memo: Memo, out: list[str]) -> None:
    """The rarer kinds of value: bytes, text subclasses, dates, sets, named tuples, enums, functions, anything
    picklable."""
    if isinstance(value, tuple):  # a named tuple (a link, a heading), the commonest of these: its type, its items
        out.append(f"{kind.__module__}.{kind.__qualname__}:")
        _walk(tuple(value), memo, out)
    elif kind is bytes:
        out.append(f"b{len(value)}:{value.hex()}")
    elif isinstance(value, str | bytes):  # Markup and other subclasses: their type is part of what they mean
        out.append(f"{kind.__module__}.{kind.__qualname__}:")
        _walk(str(value) if isinstance(value, str) else bytes(value), memo, out)
    elif isinstance(value, dt.date | dt.time | dt.datetime | dt.timedelta):
        out.append(f"{kind.__name__}:{value!r};")
    elif isinstance(value, set | frozenset):
        out.append(f"S{len(value)}{{{''.join(sorted(digest(item, memo).hex() for item in value))}}}")
    elif isinstance(value, Mapping):  # a planner's recorded view of the site: what it holds, as a dict
        _walk(dict(value.items()), memo, out)
    elif isinstance(value, enum.Enum):
        out.append(f"{kind.__qualname__}.{value.name};")
    elif callable(value):
        _walk_callable(value, memo, out)
    else:
        out.append(f"{kind.__module__}.{kind.__qualname__}:")
        out.append(hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).hexdigest())


def _dataclass_digest(value: Any, shape: tuple[str, bool, tuple[str, ...]], memo: Memo, shown: list[str] | None) -> str:
    """A dataclass by its fields; a frozen one is remembered by identity, with the bodies it holds."""
    name, frozen, fields = shape
    if frozen and id(value) in memo:
        _, result, inner = memo[id(value)]
    else:
        inner = _bodies_of(value)
        parts = [name, "("]
        for field_name in fields:
            parts.append(field_name + "=")
            _walk(getattr(value, field_name), memo, parts, inner)
        parts.append(")")
        result = hashlib.blake2b("".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()
        if frozen:  # the value is kept so its id cannot be reused while the memo lives
            memo[id(value)] = (value, result, inner)
    if shown is not None:
        shown.extend(inner)
    return result.hex()


def _bodies_of(value: Any) -> list[str]:
    """The source of a body this value is or shows: a page showing it must follow that body's text."""
    if type(value) is ShownBody:
        return [value.source]
    if type(value) is Rendered and value.stored is not None:
        return [value.stored]  # a template may read it itself (minutebook.site.render)
    return []


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
