"""Incremental building: the parse and render stages memoised in `.minutebook-cache/` and spread over cores.

Parse results are kept by (path, source digest) under the engine version;
a build keeps the bodies' HTML and text only there (minutebook.bodies).
A page is re-rendered only when the digest of what it is given (template
set, settings, its URL, template and context) differs from the one recorded
for the file already in the output; otherwise the output file itself is the
cached result, trusted while its size and modification time are the ones
recorded. Feeds, calendars and data exports (`Output`) are reused the same
way, keyed by exactly what each one shows. The record (the manifest) also
remembers the inputs of the last whole build, so a build with nothing
changed stops after reading sources; `serve` keeps the same keys in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import assemble, bodies, cache, leakcheck, render, workers, write
from .diagnostics import Diagnostic
from .pages import Page
from .progress import Progress
from .sources import Source

Parsed = assemble.Parsed | Diagnostic
_PARSED: dict[tuple[str, str], Parsed] = {}  # warm in-memory results, for `serve` and repeated builds


def parse_all(
    root: Path,
    texts: Sequence[Source],
    jobs: int,
    progress: Progress | None = None,
    *,
    persist: bool = True,
    strip: bool = False,
) -> list[Parsed]:
    """Every source parsed, from memory, from the cache folder, or freshly (in parallel).

    `persist=False` (for `check`, which writes nothing) reads the cache folder but never writes it. With
    `strip`, sources parsed afresh come back without their bodies' HTML and text, which wait in the cache
    folder (see minutebook.bodies); entries read from the cache folder may be stripped either way.
    """
    use(root)
    results: list[Parsed | None] = [_PARSED.get((s.path, s.digest)) for s in texts]
    missing = [i for i, r in enumerate(results) if r is None]
    if not missing:
        return results  # type: ignore[return-value]
    store = cache.Shards(root, "parse")
    for i in missing:
        results[i] = store.get((texts[i].path, texts[i].digest))
    fresh = [i for i in missing if results[i] is None]
    if progress:
        progress.stage("parsing", len(fresh))
    groups = _shard_groups(store, texts, fresh)
    sizes = [len(group) for group, _ in groups]
    shards = [store.stores[store.index((texts[group[0]].path, ""))] for group, _ in groups]
    save_here = strip and persist  # workers save whole shards themselves, bodies apart
    shown = [shard.path if whole and save_here else None for shard, (_, whole) in zip(shards, groups, strict=True)]
    parse = lambda g: _parse_group([texts[i] for i in groups[g][0]], shown[g])  # noqa: E731
    parsed = workers.run(parse, len(groups), jobs, progress.tick if progress else None, sizes)
    for shard, (group, whole), (pickled, saved) in zip(shards, groups, parsed, strict=True):
        if whole:  # every entry of the shard is new: its file is the bytes the worker made (or saved)
            values = shard.adopt(pickled, persist and not saved)
        else:
            values = pickle.loads(pickled)[1]
            for key, value in values.items():
                shard.put(key, value)
        for i in group:
            results[i] = values[(texts[i].path, texts[i].digest)]
    if persist:
        store.keep_only({(s.path, s.digest) for s in texts})
        store.save()
    _PARSED.clear()  # only the current versions: a long `serve` session must not keep every draft ever saved
    for source, value in zip(texts, results, strict=True):
        _PARSED[(source.path, source.digest)] = value  # type: ignore[assignment]
    return results  # type: ignore[return-value]


def use(root: Path) -> None:
    """Work on this project: bodies are read from its cache folder, and another's parse results are forgotten
    (a process may build several, as the tests do; their stripped bodies wait in their own cache folders)."""
    if bodies.use(root):
        _PARSED.clear()


def _shard_groups(store: cache.Shards, texts: Sequence[Source], fresh: list[int]) -> list[tuple[list[int], bool]]:
    """The sources to parse grouped by the cache shard they go in, largest group first, each marked when it is
    the shard's whole content (as in a cold build), so the worker's pickled result can be saved as it is."""
    counts: dict[int, int] = {}
    for source in texts:
        index = store.index((source.path, ""))
        counts[index] = counts.get(index, 0) + 1
    groups: dict[int, list[int]] = {}
    for i in fresh:
        groups.setdefault(store.index((texts[i].path, "")), []).append(i)
    ordered = sorted(groups.items(), key=lambda item: -sum(len(texts[i].text) for i in item[1]))
    return [(group, len(group) == counts[index]) for index, group in ordered]


def _parse_group(sources: list[Source], shard: Path | None) -> tuple[bytes, bool]:
    """Parse sources and pickle them as a cache store: the one pickling their journey back needs anyway.

    Given the file of the shard they make up, save them there with their bodies stored apart, and send back
    only the rest (True); when the file cannot be written, everything is sent back (False).
    """
    parsed = {(source.path, source.digest): parse_one(source) for source in sources}
    if shard is None:
        return cache.pickled_store(parsed), False
    stripped, attached = {}, {}
    for key, value in parsed.items():
        stripped[key], body = bodies.strip(value) if isinstance(value, assemble.Parsed) else (value, None)
        if body is not None:
            attached[key] = body
    pickled = cache.pickled_store(stripped)
    if cache.write_store(shard, pickled, attached):
        return pickled, True
    return cache.pickled_store(parsed), False


def parse_one(source: Source) -> Parsed:
    """Parse, then let go of the source text: no later stage reads it, and it is as large as the archive."""
    value = assemble.parse(source)
    if isinstance(value, assemble.Parsed):
        return dataclasses.replace(value, source=Source(source.path, "", source.digest), shape=shape(value))
    return value


def shape(parsed: assemble.Parsed) -> bytes:
    """Everything about a parsed source but its body's HTML and plain text, which only pages and the leak check read.

    Assembly, the gate, link resolution and planning see bodies only through their shape, so two versions
    of a source with the same shape make the same model but for that body (see minutebook.bodyedits).
    """
    body = dataclasses.replace(parsed.body, html="", text="")
    # Pickled bytes rather than cache.digest's walk (a tenth of the cost): equal bytes mean equal values, and
    # the rare equal values pickled differently (shared strings, say) only cost a full build.
    shaped = (parsed.source.path, parsed.kind, parsed.parts, parsed.record, parsed.front, body, parsed.diagnostics)
    return hashlib.blake2b(pickle.dumps(shaped, protocol=5), digest_size=20).digest()


def cached_parse(store: cache.Shards | None, path: str, digest: str) -> Parsed | None:
    """One source's parse result from memory or, given the store, the cache folder (only its shard), or None."""
    found = _PARSED.get((path, digest))
    return found if found is not None or store is None else store.get((path, digest))


def remember(path: str, old_digest: str, parsed: Parsed) -> None:
    """An edited source's new parse result in memory, in place of the old one (for `serve`)."""
    _PARSED.pop((path, old_digest), None)
    _PARSED[(path, parsed.source.digest)] = parsed


def seed_memo(parsed: Sequence[Parsed]) -> cache.Memo:
    """A Markdown body is a pure function of its source: its digest is the source's, no need to walk its HTML."""
    memo: cache.Memo = {}
    for doc in parsed:
        if isinstance(doc, assemble.Parsed):
            memo[id(doc.body)] = (doc.body, body_key(doc.source.path, doc.source.digest))
    return memo


def body_key(path: str, digest: str) -> bytes:
    """The cache key of the body parsed from the source at `path` whose text has `digest`."""
    return hashlib.blake2b(f"body\0{path}\0{digest}".encode(), digest_size=20).digest()


# --- the output manifest ---------------------------------------------------------------

Stamps = tuple[tuple[str, int, int, int], ...]


def content_stamps(content: Path) -> Stamps | None:
    """(path, size, mtime, inode) of every file under content/, or None when links make stamps untrustworthy."""
    found: list[tuple[str, int, int, int]] = []
    try:
        for rel, entry in write.walk(content):
            if entry.is_symlink():
                return None
            stat = entry.stat()
            found.append((rel, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    except OSError:
        return None
    return tuple(sorted(found))


@dataclass
class Entry:
    key: bytes  # what the page was rendered from; b"" for files that are not pages
    size: int
    mtime_ns: int
    page: bool = True  # False for extra outputs (feeds, calendars, data), which also have keys
    digest: bytes = b""  # of the bytes, for files without a key, when written by a build that checked for leaks


@dataclass
class Manifest:
    """What is in one output folder and what each page was made from, kept in the cache folder."""

    store: cache.Store
    output: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    build_key: tuple[bytes, bytes] | None = None  # (settings, sources) of the last build written here
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stamps: Stamps | None = None  # size and modification time of every content file when it was read

    @classmethod
    def load(cls, root: Path, output: Path) -> Manifest:
        store = cache.Store(root, "output-" + output_name(output))
        return cls(
            store,
            output,
            store.get("entries", {}),
            store.get("build"),
            store.get("diagnostics", []),
            store.get("stamps"),
        )

    def unchanged_since(self, settings: bytes, stamps: Stamps | None) -> bool:
        """No content file touched, same settings, output as left: the last build stands, without reading sources."""
        return (
            stamps is not None
            and stamps == self.stamps
            and self.build_key is not None
            and self.build_key[0] == settings
            and self.untouched()
        )

    def current(self, path: str, key: bytes | None = None) -> bool:
        """The output file is still the one recorded (and, given a key, was made from the same inputs)."""
        entry = self.entries.get(path)
        if entry is None or (key is not None and entry.key != key):
            return False
        try:
            stat = os.stat(f"{self.output}/{path}")
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def reuse(self, path: str, key: bytes) -> bytes | None:
        """The bytes already in the output for `path`, when they were made from the inputs digested as `key`."""
        if not self.current(path, key):
            return None
        try:
            return (self.output / path).read_bytes()
        except OSError:
            return None

    def same_bytes(self, files: dict[str, bytes], known: Collection[str]) -> set[str]:
        """Files without a key (search index, static files) whose bytes are those a checked build left in place.

        Digesting bytes in memory is far cheaper than reading the old file back to compare, or scanning the
        new bytes for withheld text again: they were scanned when they were written.
        """
        same = set()
        for path, data in files.items():
            entry = self.entries.get(path)
            if path in known or entry is None or not entry.digest or entry.key:
                continue
            if entry.size == len(data) and entry.digest == content_digest(data) and self.current(path):
                same.add(path)
        return same

    def untouched(self, found: dict[str, tuple[int, int]] | None = None) -> bool:
        """The output holds exactly the recorded files, none of them changed since (`found`: write.stats of it)."""
        if not self.entries or not self.output.is_dir():
            return False
        found = write.stats(self.output) if found is None else found
        if found.keys() != self.entries.keys():
            return False
        return all(found[path] == (entry.size, entry.mtime_ns) for path, entry in self.entries.items())

    def record(
        self,
        files: dict[str, bytes],
        keys: dict[str, bytes],
        verified: set[str],
        build_key: tuple[bytes, bytes],
        diagnostics: list[Diagnostic],
        stamps: Stamps | None,
        extras: Collection[str] = (),
        checked: bool = False,
        staged: Collection[str] = (),
        digests: Mapping[str, bytes] | None = None,
    ) -> None:
        """After writing: remember every file; pages reused untouched were checked this build, the rest get a stat.

        `checked` says the leak check passed on these bytes: only then is a keyless file's digest kept, so a
        preview written here (never checked) cannot vouch for the same bytes in a later production build.
        `staged` names the files put in the staging folder directly, which are not in `files`; `digests` has
        the bytes' digests of those without a key.
        """
        entries = {}
        for path in [*files, *staged, write.MARKER]:
            old = self.entries.get(path)
            if old is not None and path in verified and old.key == keys.get(path, b""):
                entries[path] = old
                continue
            with_stat = _stat(self.output / path)
            if with_stat is not None:
                key = keys.get(path, b"")
                digest = b""
                if checked and not key:
                    digest = content_digest(files[path]) if path in files else (digests or {}).get(path, b"")
                entries[path] = Entry(key, *with_stat, page=path not in extras, digest=digest)
        self.entries, self.build_key, self.diagnostics, self.stamps = entries, build_key, diagnostics, stamps
        self._save()
        _forget_old_outputs(self.store.path.parent)

    def update(
        self,
        files: dict[str, bytes],
        keys: dict[str, bytes],
        written: Collection[str],
        removed: Collection[str],
        build_key: tuple[bytes, bytes],
        stamps: Stamps | None,
        checked: bool,
    ) -> None:
        """After a build that wrote only some files (a body-only edit): their entries are renewed, the rest stand."""
        for path in removed:
            self.entries.pop(path, None)
        for path, data in files.items():
            old, key = self.entries.get(path), keys.get(path, b"")
            stat = _stat(self.output / path) if path in written or old is None else (old.size, old.mtime_ns)
            if stat is None:
                self.entries.pop(path, None)
                continue
            digest = content_digest(data) if checked and not key else b""
            self.entries[path] = Entry(key, *stat, page=old.page if old else True, digest=digest)
        self.build_key, self.stamps = build_key, stamps
        self.store.dirty = True  # the entries were changed in place, which the store cannot see by comparing
        self._save()

    def _save(self) -> None:
        self.store.replace(
            {"entries": self.entries, "build": self.build_key, "diagnostics": self.diagnostics, "stamps": self.stamps}
        )
        self.store.save()


def output_name(output: Path) -> str:
    """Names the cache files that describe one output folder."""
    return hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


MANIFEST_DAYS = 30


def _forget_old_outputs(folder: Path) -> None:
    """Manifests of output folders not built for a month (temporary ones, say) go, so the cache cannot grow forever."""
    cutoff = time.time() - MANIFEST_DAYS * 86400
    for stale in folder.glob("output-*.pickle"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


# --- pages -------------------------------------------------------------------------------


@dataclass
class Rendered:
    files: dict[str, bytes]
    keys: dict[str, bytes]
    reused: set[str]  # read back from the output, which is known to hold exactly these bytes
    rendered: int
    reads_bodies: bool = False  # a template read a body itself (render.Environment)
    pages: list[PageMade] = field(default_factory=list)  # what each page was made from, in the planned order
    staged: dict[str, bool] = field(default_factory=dict)  # pages put in a staging folder instead: path → written
    hits: dict[str, str] = field(default_factory=dict)  # scanned phrase → the first staged page (by name) with it


@dataclass(frozen=True)
class PageMade:
    """A page once planned and rendered: everything later stages keep of it, its (large) context let go."""

    url: str
    path: str
    template: str
    recipe: Any
    bodies: frozenset[str]
    key: bytes
    data: bytes | None  # None when reused (the parent reads the output's bytes) or staged
    reads_bodies: bool = False
    reused: bool = False  # made from the same inputs as the output's file, which is kept
    written: bool = False  # staged with new bytes (else linked from the output)
    hits: frozenset[str] = frozenset()  # what `scan` found in the page's bytes


@dataclass(frozen=True)
class Staging:
    """Where workers put pages as they render them, instead of sending their bytes back (see write.stage_file)."""

    folder: Path
    output: Path
    scan: Callable[[bytes, str], frozenset[str]] | None = None  # leakcheck.Scanner, run on each page rendered


def settings_key(env: jinja2.Environment, templates: Path, extra: Any, memo: cache.Memo) -> bytes:
    """Everything a page's bytes depend on besides its own context: engine, templates, globals, settings."""
    names = sorted(env.globals)
    return cache.digest(
        (cache.engine_version(), cache.folder_digest(templates), extra, [(name, env.globals[name]) for name in names]),
        memo,
    )


def render_pages(
    env: jinja2.Environment,
    count: int,
    plan: Callable[[int], Page],
    settings: bytes,
    manifest: Manifest | Remembered | None,
    memo: cache.Memo,
    jobs: int,
    progress: Progress | None = None,
    staging: Staging | None = None,
    order: Sequence[int] | None = None,
) -> Rendered:
    """Plan page 0 … count - 1 with `plan`, and render those whose inputs changed, each on whichever core is free.

    Planning happens in the workers too: a page's context (its bodies' HTML with links filled in) exists only
    while that page is keyed and rendered, so an archive's contexts are never all in memory at once. With
    `staging`, each worker also scans and stages its pages, so their bytes never reach this process either.
    `order` is the order to make them in (pages reading their bodies from one cache shard together, say); the
    result is in page order whatever it is.
    """
    if progress:
        progress.stage("rendering pages", count)
    tick: Callable[[int], None] | None = progress.tick if progress else None
    sequence = range(count) if order is None else order
    task = lambda j: _make_page(env, plan(sequence[j]), settings, manifest, memo, staging)  # noqa: E731
    made: list[PageMade] = [None] * count  # type: ignore[list-item]
    for i, page in zip(sequence, workers.run(task, count, jobs, tick), strict=True):
        made[i] = page
    done = Rendered({}, {}, set(), 0, render.reads_bodies(env))
    for i, page in enumerate(made):
        done.keys[page.path] = page.key
        if staging is None and page.reused:
            data = _reuse(manifest, page.path, page.key)
            if data is None:  # the output changed under the build since the worker looked: render it here
                page = made[i] = _make_page(env, plan(i), settings, None, memo)
            else:
                done.files[page.path] = data
        if staging is None and not page.reused:
            done.files[page.path] = page.data  # type: ignore[assignment]
        elif staging is not None:
            done.staged[page.path] = page.written
            leakcheck.note_hits(done.hits, page.hits, page.path)
        if page.reused:
            done.reused.add(page.path)
        done.reads_bodies = done.reads_bodies or page.reads_bodies
    done.rendered = count - len(done.reused)
    done.pages = [dataclasses.replace(p, data=None, hits=frozenset()) for p in made]
    return done


def _make_page(
    env: jinja2.Environment,
    page: Page,
    settings: bytes,
    manifest: Manifest | Remembered | None,
    memo: cache.Memo,
    staging: Staging | None = None,
) -> PageMade:
    key = cache.digest((settings, page.url, page.template, page.context), memo)
    made = PageMade(page.url, page.path, page.template, page.recipe, page.bodies, key, None)
    if _can_reuse(manifest, page.path, key):
        if staging is None:
            return dataclasses.replace(made, reused=True, reads_bodies=render.reads_bodies(env))
        with contextlib.suppress(OSError):  # else the output's file went since the manifest's check: render it
            write.stage_file(staging.folder, staging.output, page.path, None)
            return dataclasses.replace(made, reused=True, reads_bodies=render.reads_bodies(env))
    data = render.render_page(env, page)
    reads = render.reads_bodies(env)
    if staging is None:
        return dataclasses.replace(made, data=data, reads_bodies=reads)
    hits = staging.scan(data, page.path) if staging.scan is not None else frozenset()
    written = write.stage_file(staging.folder, staging.output, page.path, data)
    return dataclasses.replace(made, reads_bodies=reads, written=written, hits=hits)


@dataclass(frozen=True)
class Output:
    """An extra output (feed, calendar, data file) made only when `inputs`, exactly what `make` reads, changed.

    The same reuse as pages: the file already in the output is the cached
    result while its key matches, so a one-paper edit regenerates only the
    feeds, calendars and exports that show something of that paper.
    """

    inputs: Any
    make: Callable[[], bytes]


def make_outputs(
    outputs: dict[str, bytes | Output],
    settings: bytes,
    manifest: Manifest | Remembered | None,
    memo: cache.Memo,
    jobs: int = 1,
) -> Rendered:
    """Each Output from the output folder when its key is the recorded one, else made now (on every core: an
    archive has a calendar per meeting); plain bytes as given, and all of them in the order given."""
    files: dict[str, bytes | None] = {}
    keys, reused, todo = {}, set(), []
    for path, output in outputs.items():
        if not isinstance(output, Output):
            files[path] = output
            continue
        keys[path] = key = cache.digest((settings, "output", path, output.inputs), memo)
        files[path] = _reuse(manifest, path, key)
        if files[path] is None:
            todo.append((path, output.make))
        else:
            reused.add(path)
    made = workers.run(lambda i: todo[i][1](), len(todo), jobs)
    for (path, _), data in zip(todo, made, strict=True):
        files[path] = data
    return Rendered(files, keys, reused, len(todo))  # type: ignore[arg-type]


def _reuse(manifest: Manifest | Remembered | None, path: str, key: bytes) -> bytes | None:
    return None if manifest is None else manifest.reuse(path, key)


@dataclass
class Settled:
    """What `settle_moved` found of files moved straight into a staging folder."""

    written: dict[str, bool] = field(default_factory=dict)  # path → new bytes (else linked from the output)
    hits: dict[str, str] = field(default_factory=dict)  # withheld phrase → the first file (by name) holding it
    digests: dict[str, bytes] = field(default_factory=dict)  # path → content_digest, for the manifest


def settle_moved(staging: Staging, paths: Sequence[str], manifest: Manifest, jobs: int) -> Settled:
    """Files another stage put straight into the staging folder (the search index's), checked like pages.

    A file with the bytes already in the output is linked from there instead, keeping its modification time;
    one the last checked build left there was scanned then, any other is scanned for withheld text now, on
    every core.
    """

    def one(i: int) -> tuple[bool, frozenset[str], bytes]:
        path = paths[i]
        target = staging.folder / path
        data = target.read_bytes()
        digest = content_digest(data)
        entry = manifest.entries.get(path)
        vouched = entry is not None and not entry.key and entry.digest == digest and manifest.current(path)
        hits = frozenset() if vouched or staging.scan is None else staging.scan(data, path)
        if vouched or write.holds(staging.output / path, data):
            with contextlib.suppress(OSError):
                os.link(staging.output / path, f"{target}.same")
                os.replace(f"{target}.same", target)
                return False, hits, digest
        return True, hits, digest

    settled = Settled()
    for path, (written, hits, digest) in zip(paths, workers.run(one, len(paths), jobs), strict=True):
        settled.written[path], settled.digests[path] = written, digest
        leakcheck.note_hits(settled.hits, hits, path)
    return settled


def _can_reuse(manifest: Manifest | Remembered | None, path: str, key: bytes) -> bool:
    """Without reading it: the output (or memory) holds the bytes made from `key`; `_reuse` then reads them."""
    if isinstance(manifest, Remembered):
        return manifest.keys.get(path) == key and path in manifest.files
    return manifest is not None and manifest.current(path, key)


@dataclass
class Remembered:
    """The last build's keys and bytes, kept in memory by `serve`: the same reuse as the manifest, without a disk."""

    keys: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def reuse(self, path: str, key: bytes) -> bytes | None:
        return self.files.get(path) if self.keys.get(path) == key else None
