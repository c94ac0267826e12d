"""The search index stage: a Pagefind bundle of the pages residents can search, made again only when they changed.

Its input is the key of every indexed page: when none changed, the bundle
the output holds is kept as it is. Otherwise Pagefind indexes the pages as
they will be published (hard links to the staged and kept files), and the
bundle's files go into the staging like any other output.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..site import search
from .digest import digest
from .output import Entry, Previous, SearchRecord, Staging
from .plan import Plan


@dataclass(frozen=True)
class Indexed:
    """The search index the output will hold: its record, its files' entries, and the files new this build."""

    record: SearchRecord
    entries: dict[str, Entry]
    new: tuple[str, ...] = ()


class Indexer(Protocol):
    """Makes a bundle of the pages under a folder (Pagefind, now; or the preview's, in the background)."""

    def bundle(self, key: bytes, site: Path, scratch: Path, into: Path | None) -> search.Bundle | None:
        """The bundle of the pages under `site` (whose key is `key`), or None when it is not ready yet."""
        ...


class Pagefind:
    """Pagefind, run now, its bundle made canonical (see site.search)."""

    def bundle(self, key: bytes, site: Path, scratch: Path, into: Path | None) -> search.Bundle | None:
        return search.make_bundle(site, scratch, into)


def indexed_pages(plan: Plan) -> list[str]:
    return sorted(p.path for p in plan.outputs if p.recipe is not None and search.is_indexed(p.path))


def index(
    plan: Plan,
    entries: Mapping[str, Entry],
    previous: Previous,
    staging: Staging,
    base_path: str,
    indexer: Indexer,
    checked: bool,
) -> Indexed:
    """The bundle for these pages: the output's own when they are the pages it was made from, else a new one."""
    pages = indexed_pages(plan)
    key = digest((base_path, [(path, entries[path].key) for path in pages]))
    kept = _kept(previous, key, checked)
    if kept is not None:
        return kept
    with _scratch(staging) as scratch:
        site = search.page_location(scratch / "site", base_path, "")
        staging.place(site, pages)
        bundle = indexer.bundle(key, scratch / "site", scratch, staging.folder)
    if bundle is None:  # the preview's index is still being made: keep the one shown now
        return _kept(previous, previous.search.key, False) or Indexed(SearchRecord(), {})
    for path in bundle.moved:
        staging.adopt(path)
    for path, data in bundle.rewritten.items():
        staging.put(path, data)
    files = sorted({*bundle.moved, *bundle.rewritten})
    found = {path: Entry(_content_key(staging.read(path)), checked) for path in files}
    return Indexed(SearchRecord(key, tuple(files)), found, tuple(p for p in files if _unscanned(previous, p, found[p])))


def _unscanned(previous: Previous, path: str, entry: Entry) -> bool:
    """A bundle file whose bytes no checked build wrote before: the leak check must read it."""
    before = previous.entry(path)
    return not (
        before is not None and before.checked and before.key == entry.key and previous.holds(path, entry.key, True)
    )


def _kept(previous: Previous, key: bytes, checked: bool) -> Indexed | None:
    """The output's bundle, when it was made from `key` and every one of its files is as recorded."""
    if previous.search.key != key or not key:
        return None
    found = {}
    for path in previous.search.files:
        entry = previous.entry(path)
        if entry is None or not previous.holds(path, entry.key, checked):
            return None
        found[path] = entry
    return Indexed(previous.search, found)


@contextlib.contextmanager
def _scratch(staging: Staging) -> Iterator[Path]:
    """A scratch folder beside the staging (cleared with it when a build is stopped), or a temporary one."""
    near = staging.folder.parent if staging.folder is not None else None
    prefix = f"{staging.folder.name}-search-" if staging.folder is not None else "minutebook-search-"
    # the clean-up may race a Pagefind still writing when the preview stops: that must not print a traceback
    with tempfile.TemporaryDirectory(prefix=prefix, dir=near, ignore_cleanup_errors=True) as scratch:
        yield Path(scratch)


def _content_key(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()
