"""The search index stage: Pagefind bundles of the pages residents can search, one per shard, each made again only
when its pages changed.

The indexed pages are split into shards (a committee's year: see
site.search.shard_of) that the search page merges in the browser. A shard's
key is the key of every page in it: a shard whose pages are the ones the
output's was made from is kept as it is. The others are indexed by Pagefind,
on every core, from the pages as they will be published (hard links to the
staged and kept files), and their files go into the staging like any other
output. pagefind/shards.json lists the shards for the search page.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..site import search
from .output import Entry, Previous, SearchRecord, Shard, Staging, made_from
from .plan import Plan, Planned


@dataclass(frozen=True)
class Indexed:
    """The search index the output will hold: its record, its files' entries, and the files new this build."""

    record: SearchRecord
    entries: dict[str, Entry]
    new: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """One shard to index: its name, the key of its pages, and their paths."""

    shard: str
    key: bytes
    pages: tuple[str, ...]

    @property
    def folder(self) -> str:
        return f"{search.FOLDER}{self.shard}/"


LayOut = Callable[[Path], None]  # lays the job's pages out under a folder, as they will be published


class Indexer(Protocol):
    """Makes a bundle of a shard's pages (Pagefind, now; or the preview's, in the background)."""

    def bundle(self, job: Job, pages: LayOut, scratch: Path, into: Path | None) -> search.Bundle | None:
        """The bundle of the job's pages, or None when it is not ready yet. The pages are laid out (`pages`)
        only when the indexer has to read them: an archive's shard is hundreds of files."""
        ...


class Pagefind:
    """Pagefind, run now, its bundle made canonical (see site.search)."""

    def bundle(self, job: Job, pages: LayOut, scratch: Path, into: Path | None) -> search.Bundle | None:
        pages(scratch / "site")
        return search.make_bundle(scratch / "site", scratch, into, job.folder)


def shards(plan: Plan, marked: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The pages each shard indexes. When templates mark what to index, only their pages are given to Pagefind:
    it would skip the others anyway, but a shard of such pages alone would index them whole."""
    found: dict[str, list[str]] = defaultdict(list)
    for page in sorted(plan.outputs, key=lambda p: p.path):
        if _indexed(page, marked):
            found[search.shard_of(page.source, page.path)].append(page.path)
    return {name: tuple(pages) for name, pages in found.items()}


def _indexed(page: Planned, marked: frozenset[str]) -> bool:
    return page.recipe is not None and search.is_indexed(page.path) and (not marked or page.template in marked)


def index(
    shards: Mapping[str, tuple[str, ...]],
    entries: Mapping[str, Entry],
    previous: Previous,
    staging: Staging,
    base_path: str,
    indexer: Indexer,
    checked: bool,
    jobs: int = 1,
) -> Indexed:
    """Every shard (`shards`: the pages of each): the output's own where its pages are the ones it was made from,
    else a new one."""
    made: dict[str, Indexed] = {}
    todo = []
    for name, pages in shards.items():
        job = Job(name, _shard_key(base_path, name, pages, entries), pages)
        kept = _kept(previous, previous.search.shard(name), job.key, checked)
        if kept is not None:
            made[name] = kept
        else:
            todo.append(job)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # each a Pagefind process: threads suffice
        bundles = list(pool.map(lambda job: _bundle(job, staging, base_path, indexer), todo))
    for job, bundle in zip(todo, bundles, strict=True):
        if bundle is not None:
            made[job.shard] = _staged(job, bundle, previous, staging, checked)
        elif (held := _kept(previous, previous.search.shard(job.shard), b"", False)) is not None:
            made[job.shard] = held  # the preview's index of this shard is still being made: keep the one shown
    return _listed(made, staging, previous, checked)


def _shard_key(base_path: str, name: str, pages: tuple[str, ...], entries: Mapping[str, Entry]) -> bytes:
    """The key of a shard: its name, the base path its pages link under, and each page with its key."""
    h = hashlib.blake2b(f"{base_path}\0{name}\0".encode(), digest_size=20)
    for path in pages:
        h.update(path.encode() + b"\0" + entries[path].key)
    return h.digest()


def _bundle(job: Job, staging: Staging, base_path: str, indexer: Indexer) -> search.Bundle | None:
    with _scratch(staging) as scratch:
        lay_out = staging.layout(job.pages)
        pages: LayOut = lambda site: lay_out(search.page_location(site, base_path, ""))  # noqa: E731
        return indexer.bundle(job, pages, scratch, staging.folder)


def _staged(job: Job, bundle: search.Bundle, previous: Previous, staging: Staging, checked: bool) -> Indexed:
    """A new bundle's files put into the staging, with those the leak check has not read before."""
    for path in bundle.moved:
        staging.adopt(path)
    for path, data in bundle.rewritten.items():
        staging.put(path, data)
    files = sorted({*bundle.moved, *bundle.rewritten})
    found = {path: Entry(_content_key(staging.read(path)), checked) for path in files}
    new = tuple(p for p in files if _unscanned(previous, p, found[p]))
    return Indexed(SearchRecord((Shard(job.shard, job.key, tuple(files)),)), found, new)


def _listed(made: Mapping[str, Indexed], staging: Staging, previous: Previous, checked: bool) -> Indexed:
    """The shards together, with the list the search page reads to merge them."""
    listing = search.shard_list(list(made))
    staging.put(search.SHARDS, listing)
    entry = Entry(_content_key(listing), checked)
    entries = {search.SHARDS: entry}
    new = [search.SHARDS] if _unscanned(previous, search.SHARDS, entry) else []
    for indexed in made.values():
        entries.update(indexed.entries)
        new += indexed.new
    order = search.shard_order(list(made))
    return Indexed(SearchRecord(tuple(made[name].record.shards[0] for name in order)), entries, tuple(new))


def _unscanned(previous: Previous, path: str, entry: Entry) -> bool:
    """A file whose bytes no checked build wrote before: the leak check must read it."""
    return not (made_from(previous.entry(path), entry.key, True) and previous.holds(path, entry.key, True))


def _kept(previous: Previous, shard: Shard | None, key: bytes, checked: bool) -> Indexed | None:
    """The output's shard, when it was made from `key` (any key, when b"") and its files are as recorded."""
    if shard is None or (key and shard.key != key):
        return None
    found = {}
    for path in shard.files:
        entry = previous.entry(path)
        if entry is None or not previous.holds(path, entry.key, checked):
            return None
        found[path] = entry
    return Indexed(SearchRecord((shard,)), found)


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
