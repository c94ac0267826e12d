"""Body-only edits: when edits change only the text of bodies, redo just the pages that show those bodies.

Every parsed source has a *shape* (`incremental.shape`): everything about it
but its body's HTML and plain text. Assembly, the gate, link resolution and
the feeds, calendars and data exports read bodies only through their shape,
and a body's HTML reaches a page only through `Planner.body`, which notes it
on the page (`Page.bodies`). So when every edited source keeps its shape,
the model is the last build's but for those bodies, and the only files whose
bytes can change are the pages that show one of them (and the search index
built from the pages). Those are planned again from their recipes, rendered,
checked for leaks and written; nothing else is read, planned or rendered.

Anything else (a new, deleted or renamed file, a change of front matter,
headings or references, an error, an edit to a withheld document or to a
committee or subject) returns None and the caller builds in full. The last
build's model is kept for this, in memory by `serve` and in the cache folder
by `build` (with bodies left out: each one needed is read from the parse
cache).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import os
import pickle
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import cache, gate, incremental, leakcheck, pages, pipeline, render, search, sources, workers, write
from .assemble import Parsed
from .diagnostics import Diagnostics
from .markdown import Rendered
from .model import Site

EDITABLE = ("paper", "minutes", "meeting")  # committees and subjects are read whole by the leak check
MAX_EDITED = 32  # more sources than this at once is a bulk change: a full build is as quick


@dataclass
class Snapshot:
    """What the last build knew: enough to redo only the pages that show an edited body."""

    model: pipeline.Model
    settings: bytes  # the pages' settings key: engine, templates, configuration, base path
    ledger: leakcheck.Ledger | None  # None for previews, which are not checked for leaks
    notes: list[str] = field(default_factory=list)  # what reading the sources reported (part of the build key)
    reads_bodies: bool = False  # some template reads bodies itself (render.Environment): no body-only edits
    token: str = field(default_factory=lambda: secrets.token_hex(8))  # pairs the model on disk with this record


@dataclass
class Redone:
    """The pages a body-only edit rendered again, their keys, and the sources whose text changed."""

    files: dict[str, bytes]
    keys: dict[str, bytes]
    edited: set[str]  # sources whose text changed


def redo(
    snapshot: Snapshot,
    edited: Mapping[str, Parsed],
    root: Path,
    base_path: str,
    load_body: Callable[[str, str], Rendered | None],
    templates_cache: jinja2.BytecodeCache | None = None,
) -> Redone | None:
    """The pages showing the edited bodies, rendered again; None when an edit changed more than a body.

    On success the snapshot's model is the new one (digests and the bodies read); the leak ledger is brought
    up to date by the caller, which judges what the new pages show (`leakcheck.Ledger.settle`).
    """
    model = snapshot.model
    if snapshot.reads_bodies or not _only_bodies(model, edited, snapshot.ledger):
        return None
    changed = {path for path, doc in edited.items() if doc.source.digest != model.digests[path]}
    affected = {path: recipe for path, (recipe, shown) in model.recipes.items() if shown & changed}
    needed = set(changed).union(*(model.recipes[path][1] for path in affected))
    digests = {**model.digests, **{path: edited[path].source.digest for path in changed}}
    bodies = {}
    for path in needed:
        body = edited[path].body if path in edited else load_body(path, digests[path])
        if body is None:
            return None
        bodies[path] = body
    patched = _with_bodies(model, bodies, digests)
    env, settings = pipeline.page_environment(patched, root, base_path, templates_cache)
    if settings != snapshot.settings:
        return None
    withheld = {} if patched.preview else gate.withheld_titles(patched.full, patched.withheld)
    urls = pages.Urls(patched.site, base_path, patched.today, patched.preview, withheld)
    planner = pages.Planner(patched.site, patched.links, patched.config, urls)
    files, keys = {}, {}
    for path, recipe in affected.items():
        page = planner.make(recipe)
        keys[path] = cache.digest((settings, page.url, page.template, page.context), patched.memo)
        files[path] = render.render_page(env, page)
    snapshot.model = dataclasses.replace(patched, memo={})
    return Redone(files, keys, changed)


def _only_bodies(model: pipeline.Model, edited: Mapping[str, Parsed], ledger: leakcheck.Ledger | None) -> bool:
    """Every edited source is a known public paper, minutes or meeting whose shape is as it was."""
    if not edited or len(edited) > MAX_EDITED or not model.recipes:
        return False
    for path, doc in edited.items():
        if doc.kind not in EDITABLE or model.shapes.get(path) != doc.shape or path not in model.digests:
            return False
        if any(d.severity == "error" for d in doc.diagnostics):
            return False
        if ledger is not None and path in ledger.withheld:
            return False
    return True


def _with_bodies(model: pipeline.Model, bodies: dict[str, Rendered], digests: dict[str, str]) -> pipeline.Model:
    """The model with these bodies put back, and every body keyed by its source's digest as a full build does."""
    full_bodies = {doc.source: id(_body(doc)) for doc in _documents(model.full)}
    full = _replace_bodies(model.full, bodies, full_bodies)
    site = _replace_bodies(model.site, bodies, full_bodies)
    memo: cache.Memo = {}
    for doc in _documents(full):
        body = _body(doc)
        memo[id(body)] = (body, incremental.body_key(doc.source, digests[doc.source]))
    return dataclasses.replace(model, full=full, site=site, memo=memo, digests=digests)


_BODY_FIELD = {"Committee": "description", "Subject": "description", "Meeting": "notes", "Paper": "body"}


def _body(document: Any) -> Rendered:
    return getattr(document, _BODY_FIELD.get(type(document).__name__, "body"))


def _documents(site: Site) -> list[Any]:
    return [
        *site.committees.values(),
        *site.subjects.values(),
        *site.meetings.values(),
        *site.papers.values(),
        *site.minutes.values(),
    ]


def _replace_bodies(site: Site, bodies: dict[str, Rendered], originals: dict[str, int]) -> Site:
    """A copy of `site` with the given bodies; a body the gate withheld (not the source's own) stays withheld."""

    def swap(document: Any) -> Any:
        body = bodies.get(document.source)
        if body is None or id(_body(document)) != originals.get(document.source):
            return document
        return dataclasses.replace(document, **{_BODY_FIELD.get(type(document).__name__, "body"): body})

    return Site(
        committees={k: swap(v) for k, v in site.committees.items()},
        meetings={k: swap(v) for k, v in site.meetings.items()},
        papers={k: swap(v) for k, v in site.papers.items()},
        minutes={k: swap(v) for k, v in site.minutes.items()},
        resolutions=dict(site.resolutions),
        subjects={k: swap(v) for k, v in site.subjects.items()},
    )


# --- the build's side: the snapshot in the cache folder ---------------------------------


class _Stripped(pickle.Pickler):
    """Pickles a model without its bodies' HTML and text: the largest part of it, and read back one at a time."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Rendered and (obj.html or obj.text):
            return copyreg.__newobj__, (Rendered,), {**vars(obj), "html": "", "text": ""}
        return NotImplemented


class _ModelStore(cache.Store):
    def pickler(self, handle: Any) -> pickle.Pickler:
        return _Stripped(handle, protocol=5)


def save(root: Path, output: Path, snapshot: Snapshot, stamps: incremental.Stamps | None, model_too: bool) -> None:
    """Keep the snapshot for the next build into `output`; the model (large) only when it changed."""
    name = "output-" + incremental.output_name(output)
    record = cache.Store(root, f"{name}-edits")
    ledger = cache.Store(root, f"{name}-ledger")  # large, and the same after most edits: saved only when changed
    model = snapshot.model
    record.replace(
        {
            "settings": snapshot.settings,
            "notes": snapshot.notes,
            "reads_bodies": snapshot.reads_bodies,
            "token": snapshot.token,
            "digests": model.digests,
            "recipes": model.recipes,
            "stamps": stamps,
        }
    )
    ledger.replace({"ledger": snapshot.ledger, "token": snapshot.token})
    ledger.save()
    if model_too:
        save_model(root, output, model, snapshot.token)
    record.save()


def save_model(root: Path, output: Path, model: pipeline.Model, token: str) -> None:
    """The model part of a snapshot, which `save` pairs with the rest by `token`.

    A full build saves it as soon as the model is made, while the build's memory is at its smallest (pickling
    a model takes about a third of its size again); its record, saved last, makes it count.
    """
    store = _ModelStore(root, f"output-{incremental.output_name(output)}-model")
    kept = dataclasses.replace(model, memo={}, planned=None, site=Site(), digests={}, recipes={})  # all kept apart
    store.replace({"model": kept, "token": token})
    store.save()


def reads_bodies(stats: pipeline.RenderStats, before: bool | None) -> bool:
    """Whether any page, rendered now or kept from an earlier build with the same templates, read a body itself.

    `before` is what the last build into the same output found under the same settings (None: unknown).
    """
    if stats.reads_bodies:
        return True
    return stats.reused > 0 and before is not False


def last_reads_bodies(root: Path, output: Path, settings: bytes) -> bool | None:
    record = cache.Store(root, f"output-{incremental.output_name(output)}-edits").data
    if record.get("settings") != settings:
        return None
    return record.get("reads_bodies")


def load(root: Path, output: Path) -> tuple[Snapshot, incremental.Stamps | None] | None:
    name = "output-" + incremental.output_name(output)
    record = cache.Store(root, f"{name}-edits").data
    if not record:
        return None
    stored = cache.Store(root, f"{name}-model").data
    ledger = cache.Store(root, f"{name}-ledger").data
    if stored.get("token") != record["token"] or ledger.get("token") != record["token"]:
        return None
    model = stored["model"]
    site = gate.preview_site(model.full) if model.preview else gate.public_site(model.full, model.today, model.withheld)
    model = dataclasses.replace(model, site=site, digests=record["digests"], recipes=record["recipes"])
    snapshot = Snapshot(
        model, record["settings"], ledger["ledger"], record["notes"], record["reads_bodies"], record["token"]
    )
    return snapshot, record["stamps"]


def build(
    root: Path,
    output: Path,
    preview: bool,
    base: str | None,
    manifest: incremental.Manifest,
    build_settings: bytes,
    stamps: incremental.Stamps | None,
    result: pipeline.BuildResult,
) -> bool:
    """A build after body-only edits, touching only what they change; False (nothing done) when a full one is needed.

    The search index is made again from every page (the re-rendered ones and the rest read back from the
    output) and its changed files checked for leaks: that is the search step's time, reported apart.
    """
    if stamps is None or manifest.stamps is None or manifest.build_key is None:
        return False
    edited_paths = edited_sources(manifest.stamps, stamps)
    if manifest.build_key[0] != build_settings or not edited_paths or len(edited_paths) > MAX_EDITED:
        return False
    with workers.in_background(write.stats, output) as listing:  # the walk of a large output, on the other core
        loaded = load(root, output)
    if loaded is None or loaded[1] != manifest.stamps or not manifest.untouched(listing.result()):
        return False
    gc.freeze()  # the loaded model lives to the end: the collector need not walk its million objects again
    snapshot = loaded[0]
    incremental.use(root)  # the model's bodies wait in this project's cache folder (minutebook.bodies)
    edited = parse_edited(root, edited_paths)
    if edited is None:
        return False
    store = cache.Shards(root, "parse")
    old_digests = dict(snapshot.model.digests)

    def load_body(path: str, digest: str) -> Rendered | None:
        found = incremental.cached_parse(store, path, digest)
        return found.body if isinstance(found, Parsed) else None

    base_path = snapshot.model.config.base_path if base is None else base
    redone = redo(snapshot, edited, root, base_path, load_body)
    if redone is None:
        return False
    files = dict(redone.files)
    ledger = None if preview else snapshot.ledger
    candidates = ledger.candidates if ledger is not None else {}
    with _timed(result.timings, "checking for leaks"):
        hits = leakcheck.find(candidates, files)
    removed: list[str] = []
    if any(path.startswith(search.FOLDER) for path in manifest.entries):
        with _timed(result.timings, "search index"):
            bundle, removed = _search_bundle(output, manifest, files, base_path)
            same = manifest.same_bytes(bundle, ())  # most of the index is as the last checked build left it
            bundle = {path: data for path, data in bundle.items() if path not in same}
            hits = {**leakcheck.find(candidates, bundle), **hits}
        files.update(bundle)
    if ledger is not None:
        with _timed(result.timings, "checking for leaks"):
            model = snapshot.model
            if not ledger.settle(hits, model.full, model.today, redone.edited):
                return False  # a withheld phrase never looked for in public before: the full check decides
            leaks = leakcheck.leaks(hits, candidates, ledger.said()) + leakcheck.check_canary(model.full, model.today)
        if leaks:
            result.diagnostics = sorted(leaks, key=lambda d: (d.path, d.line, d.message))
            return True
    with _timed(result.timings, "writing"):
        written = {path: data for path, data in files.items() if not write.holds(output / path, data)}
        with write.build_lock(output):
            write.replace_files(output, written, removed)
            key = (build_settings, pipeline.sources_key(snapshot.model.digests, snapshot.notes))
            manifest.update(files, redone.keys, written, removed, key, stamps, not preview)
        for path in redone.edited:
            store.forget((path, old_digests[path]))
            store.put((path, edited[path].source.digest), edited[path])
        store.save()
        save(root, output, snapshot, stamps, model_too=False)
    _summarise(result, manifest, len(redone.files), len(written), len(removed))
    return True


def parse_edited(root: Path, paths: list[str]) -> dict[str, Parsed] | None:
    """The edited sources read and parsed; None if one cannot be (the full build reports why)."""
    edited = {}
    for path in paths:
        source = sources.read_one(root / path, path, Diagnostics())
        parsed = None if source is None else incremental.parse_one(source)
        if not isinstance(parsed, Parsed):
            return None
        edited[path] = parsed
    return edited


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def _summarise(
    result: pipeline.BuildResult, manifest: incremental.Manifest, rendered: int, written: int, removed: int
) -> None:
    result.diagnostics = list(manifest.diagnostics)
    result.rendered = rendered
    result.reused = sum(1 for entry in manifest.entries.values() if entry.key and entry.page) - rendered
    result.written, result.removed = written, removed
    result.planned = len(manifest.entries) - 1  # the marker file aside
    result.unchanged = result.planned - written
    result.ok = True


def edited_sources(before: incremental.Stamps, now: incremental.Stamps) -> list[str] | None:
    """Content files whose size or time changed; None when a file came or went, or a non-Markdown one changed."""
    old = {path: rest for path, *rest in before}
    new = {path: rest for path, *rest in now}
    if old.keys() != new.keys():
        return None
    changed = [path for path in sorted(new) if new[path] != old[path]]
    if any(not path.endswith(".md") for path in changed):
        return None
    return ["content/" + path for path in changed]


def _search_bundle(
    output: Path, manifest: incremental.Manifest, files: dict[str, bytes], base_path: str
) -> tuple[dict[str, bytes], list[str]]:
    """The search index over every page, the re-rendered ones from memory and the rest as they are in `output`."""
    kept = [path for path in manifest.entries if path not in files]
    near = output.parent / f".{output.name}.staging-{os.getpid()}"  # a name a killed build's clean-up removes
    bundle = search.index_staged(output, kept, files, base_path, near)
    removed = [path for path in manifest.entries if path.startswith(search.FOLDER) and path not in bundle]
    return bundle, removed
