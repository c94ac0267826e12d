"""The build, one stage per line: configuration, sources, parse, assemble, gate, link, plan, render, write."""

from __future__ import annotations

import datetime as dt
import gc
import os
import resource
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import (
    assemble,
    cache,
    gate,
    incremental,
    leakcheck,
    pages,
    publication,
    references,
    render,
    search,
    sources,
    workers,
    write,
)
from . import config as config_stage
from .diagnostics import Diagnostic, Diagnostics
from .model import Site
from .progress import Progress
from .templatefiles import check as check_templates
from .templatefiles import static_files

Extra = Callable[["Model", pages.Urls], dict[str, bytes]]
Indexer = Callable[[dict[str, bytes], str], dict[str, bytes]]  # all output files, base path → the index's files
EXTRAS: list[Extra] = []  # feeds, calendars, data exports: more outputs from the same public model (see extras)


@dataclass
class Model:
    """Everything stages 1–5 produce: the configuration, the full and public sites, and their links."""

    config: config_stage.Config
    full: Site
    site: Site
    links: references.Links
    today: dt.date
    preview: bool
    memo: cache.Memo = field(default_factory=dict, repr=False)  # digests of immutable values, for cache keys
    planned: list[tuple[str, str, str]] | None = None  # (url, path, template) of every page, once planned
    shapes: dict[str, bytes] = field(default_factory=dict, repr=False)  # source path → shape (incremental.shape)
    digests: dict[str, str] = field(default_factory=dict, repr=False)  # source path → digest of its text
    recipes: dict[str, tuple[pages.Recipe, frozenset[str]]] = field(default_factory=dict, repr=False)  # by page path
    withheld: publication.Withheld = field(default_factory=publication.Withheld)  # what the publication rule keeps back


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    planned: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    ok: bool = False
    rendered: int = 0  # pages rendered by Jinja in this build
    reused: int = 0  # pages whose inputs had not changed, kept as they were
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


@dataclass
class RenderStats:
    """What render_site did, for the writer and the summary: counts, page keys, files known unchanged."""

    manifest: incremental.Manifest | incremental.Remembered | None = None
    rendered: int = 0
    reused: int = 0
    keys: dict[str, bytes] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    extras: set[str] = field(default_factory=set)  # extra outputs with keys, counted apart from pages
    settings: bytes = b""  # the page settings key, which extra outputs' keys share
    reads_bodies: bool = False  # a template read a body itself: body-only edits are off (minutebook.bodyedits)
    timings: dict[str, float] = field(default_factory=dict)
    staged: dict[str, bool] = field(default_factory=dict)  # pages rendered into a staging folder: path → written
    hits: dict[str, str] = field(default_factory=dict)  # withheld phrases found in staged pages → first page
    moved: list[str] = field(default_factory=list)  # search index files moved into the staging folder, unchecked


def today_from_environment(now: str | None = None) -> dt.date:
    """--now, else SOURCE_DATE_EPOCH, else today's date in the UK: builds are reproducible when asked."""
    if now:
        return dt.date.fromisoformat(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def load_model(
    root: Path,
    today: dt.date,
    preview: bool,
    diagnostics: Diagnostics,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    texts: list[sources.Source] | None = None,
    persist: bool = True,
    strip: bool = False,
) -> Model | None:
    """Stages 1–5. Returns None when the content has errors (all of them are in `diagnostics`).

    `strip` leaves the bodies' HTML and text in the cache folder, read back where shown (minutebook.bodies).
    """
    config = config_stage.load(root / "site.toml", diagnostics)
    check_templates(root / "templates", root, diagnostics)
    texts = sources.read_all(root / "content", root, diagnostics) if texts is None else texts
    parsed = incremental.parse_all(root, texts, jobs, progress, persist=persist, strip=strip)
    docs = [p for p in parsed if isinstance(p, assemble.Parsed)]
    diagnostics.extend(p for p in parsed if isinstance(p, Diagnostic))
    for doc in docs:
        diagnostics.extend(doc.diagnostics)
    if config is None:
        return None
    full = assemble.assemble(docs, config, diagnostics)
    links = references.resolve_all(full, diagnostics)
    if diagnostics.errors:
        return None
    withheld = publication.decide(full, today)
    site = gate.preview_site(full) if preview else gate.public_site(full, today, withheld)
    links.status = references.compute_status(site, links)
    model = Model(config, full, site, links, today, preview, incremental.seed_memo(parsed), withheld=withheld)
    model.shapes = {doc.source.path: doc.shape for doc in docs}
    model.digests = {doc.source.path: doc.source.digest for doc in docs}
    return model


def render_site(
    model: Model,
    root: Path,
    base: str | None = None,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    stats: RenderStats | None = None,
    search_index: Indexer | bool = True,
    templates_cache: jinja2.BytecodeCache | None = None,
    staging: incremental.Staging | None = None,
) -> dict[str, bytes]:
    """Stages 7–8: plan every page and render it (unless unchanged), plus static files and the extra outputs.

    `search_index` is True for Pagefind, False to skip it (`check`), or another indexer (the preview's, which
    defers the work); `templates_cache` lets a long-lived process keep compiled templates between builds.
    With `staging`, the pages go straight into that folder (`stats.staged`) and only the other files are returned.
    """
    stats = RenderStats() if stats is None else stats
    clock = _Clock(stats.timings, progress)
    base_path = model.config.base_path if base is None else base
    files = _pages(model, root, base_path, jobs, progress, stats, clock, templates_cache, staging)
    files.update(static_files(root / "templates" / "static"))
    clock.stage("feeds, calendars and data")
    workers.give_back_memory()  # before the workers for the outputs fork
    urls = pages.Urls(model.site, base_path, model.today, model.preview)
    outputs: dict[str, bytes | incremental.Output] = {}
    for extra in extras():
        outputs.update(extra(model, urls))
    made = incremental.make_outputs(outputs, stats.settings, stats.manifest, model.memo, jobs)
    files.update(made.files)
    stats.keys.update(made.keys)
    stats.known |= made.reused
    stats.extras = set(made.keys)
    if search_index:
        clock.stage("search index")  # Pagefind's seconds: search.last_seconds
        if staging is not None:
            files.update(search.index_staged(staging.folder, stats.staged, files, base_path, into=staging.folder))
            stats.moved = list(search.moved)  # checked with the other files (incremental.settle_moved)
        else:
            files.update((search.index_files if search_index is True else search_index)(files, base_path))
    clock.stop()
    return files


def _pages(
    model: Model,
    root: Path,
    base_path: str,
    jobs: int,
    progress: Progress | None,
    stats: RenderStats,
    clock: _Clock,
    templates_cache: jinja2.BytecodeCache | None = None,
    staging: incremental.Staging | None = None,
) -> dict[str, bytes]:
    """Plan and render the pages, one at a time in the workers (see incremental.render_pages)."""
    clock.stage("preparing pages")
    withheld = {} if model.preview else gate.withheld_titles(model.full, model.withheld)
    planner = pages.planner(model.site, model.links, model.config, model.today, model.preview, base_path, withheld)
    recipes = planner.recipes()
    env, settings = page_environment(model, root, base_path, templates_cache)
    stats.settings = settings
    clock.stage("rendering pages")
    plan = lambda i: planner.make(recipes[i])  # noqa: E731
    order = sorted(range(len(recipes)), key=lambda i: cache.shard_of(planner.source_of(recipes[i])))
    done = incremental.render_pages(
        env, len(recipes), plan, settings, stats.manifest, model.memo, jobs, progress, staging, order
    )
    stats.staged, stats.hits = done.staged, done.hits
    model.planned = [(page.url, page.path, page.template) for page in done.pages]
    model.recipes = {page.path: (page.recipe, page.bodies) for page in done.pages}
    stats.rendered, stats.reused, stats.keys, stats.known = done.rendered, len(done.reused), done.keys, done.reused
    stats.reads_bodies = done.reads_bodies
    return done.files


def page_environment(
    model: Model, root: Path, base_path: str, templates_cache: jinja2.BytecodeCache | None = None
) -> tuple[jinja2.Environment, bytes]:
    """The Jinja environment for the pages, and the settings key every page's key starts from."""
    env = render.environment(root / "templates", model.config, base_path, model.preview, templates_cache)
    env.globals["_committee_names"].update({slug: c.name for slug, c in model.site.committees.items()})
    settings = incremental.settings_key(env, root / "templates", (model.config, base_path, model.preview), model.memo)
    return env, settings


class _Clock:
    """Seconds per stage for the timings, and the stage name for the progress line."""

    def __init__(self, timings: dict[str, float], progress: Progress | None) -> None:
        self.timings, self.progress, self.name, self.started = timings, progress, "", time.perf_counter()

    def stage(self, name: str) -> None:
        self.stop()
        self.name, self.started = name, time.perf_counter()
        if self.progress:
            self.progress.stage(name)

    def stop(self) -> None:
        if self.name:
            self.timings[self.name] = self.timings.get(self.name, 0.0) + time.perf_counter() - self.started
        self.name = ""


def build(
    root: Path,
    output: Path,
    today: dt.date,
    *,
    preview: bool = False,
    base: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """The whole build. Nothing is written unless every stage succeeded; unchanged pages are not even rendered."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult()
    search.children_peak = None
    write.check_output_path(output, root)
    jobs = workers.default_jobs() if jobs is None else jobs
    clock = _Clock(result.timings, progress)
    clock.stage("reading sources")
    manifest = incremental.Manifest.load(root, output)
    settings, stamps = settings_key(root, today, preview, base), incremental.content_stamps(root / "content")
    if manifest.unchanged_since(settings, stamps):
        return _nothing_changed(result, manifest, started)
    if bodyedits.build(root, output, preview, base, manifest, settings, stamps, result):
        result.seconds = time.perf_counter() - started
        return result
    gc.unfreeze()  # a body-only build that gave up froze its snapshot, which holds cycles: let the collector at it
    gc.collect()
    texts = sources.read_all(root / "content", root, diagnostics)
    notes = [str(d) for d in diagnostics.items]
    key = (settings, sources_key({s.path: s.digest for s in texts}, notes))
    if manifest.build_key == key and manifest.untouched():
        return _nothing_changed(result, manifest, started)
    clock.stage("parsing and linking")
    model = load_model(root, today, preview, diagnostics, jobs=jobs, progress=progress, texts=texts, strip=True)
    del texts  # as large as the archive, and parsed now
    gc.freeze()  # the model lives to the end: the collector need not walk its millions of objects again and again
    clock.stop()
    result.diagnostics = diagnostics.sorted()
    if model is None:
        result.seconds = time.perf_counter() - started
        return result
    with write.build_lock(output):  # held while pages are staged: another build clears stale staging folders
        staging, read = write.begin_staging(output), (key, notes, stamps)
        try:
            _render_and_write(model, root, output, base, jobs, progress, manifest, staging, read, result)
        finally:
            write.discard_staging(staging)
    result.seconds = time.perf_counter() - started
    return result


def _render_and_write(
    model: Model,
    root: Path,
    output: Path,
    base: str | None,
    jobs: int,
    progress: Progress | None,
    manifest: incremental.Manifest,
    folder: Path,
    read: tuple[tuple[bytes, bytes], list[str], incremental.Stamps | None],
    result: BuildResult,
) -> None:
    """Stages 7–9 of a build: pages rendered into the staging folder, checked for leaks there, then published."""
    key, notes, stamps = read  # the build key, what reading the sources reported, the content's stamps
    token = secrets.token_hex(8)
    bodyedits.save_model(root, output, model, token)  # now, while this process is at its smallest
    workers.give_back_memory()  # what parsing and that pickling freed, before the render workers fork
    clock = _Clock(result.timings, progress)
    stats, ledger = RenderStats(manifest, timings=result.timings), leakcheck.Ledger()
    if not model.preview:
        ledger.fill(model.full, model.today, leakcheck.boilerplate(root / "templates", root / "site.toml"))
    staging = incremental.Staging(folder, output, leakcheck.scanner(ledger.candidates))
    files = render_site(model, root, base, jobs=jobs, progress=progress, stats=stats, staging=staging)
    workers.give_back_memory()
    result.rendered, result.reused = stats.rendered, stats.reused
    result.timings["search index"] = search.last_seconds
    clock.stage("checking for leaks")
    stats.known |= manifest.same_bytes(files, stats.known)
    moved = incremental.settle_moved(staging, stats.moved, manifest, jobs)
    stats.staged.update(moved.written)
    stats.known |= {path for path, written in moved.written.items() if not written}
    leakcheck.merge_hits(stats.hits, moved.hits)
    said = leakcheck.SaidInPublic(root, model.memo, jobs)
    if not model.preview and (
        leaks := leakcheck.check(model.full, model.today, files, stats.known, said, ledger, jobs, stats.hits)
    ):
        result.diagnostics = sorted([*result.diagnostics, *leaks], key=lambda d: (d.path, d.line, d.message))
        return
    result.planned = len(files) + len(stats.staged)
    clock.stage("writing")
    report = write.finish_staged(output, folder, stats.staged, files, stats.known)
    checked = not model.preview
    verified = stats.known - report.changed
    manifest.record(
        files, stats.keys, verified, key, result.diagnostics, stamps, stats.extras, checked, stats.staged, moved.digests
    )
    reads = bodyedits.reads_bodies(stats, bodyedits.last_reads_bodies(root, output, stats.settings))
    snapshot = bodyedits.Snapshot(model, stats.settings, ledger if checked else None, notes, reads, token)
    bodyedits.save(root, output, snapshot, stamps, model_too=False)
    clock.stop()
    result.written, result.unchanged, result.removed = report.written, report.unchanged, report.removed
    result.ok = True


def peak_memory() -> float:
    """Peak memory (MB) of this build and its worker processes, Pagefind's own process aside (reported apart)."""
    children = search.children_peak
    if children is None:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children) / 1024


def settings_key(root: Path, today: dt.date, preview: bool, base: str | None) -> bytes:
    """Everything the output depends on besides the content: engine, templates, site.toml, date and options."""
    settings = config_stage.settings_bytes(root / "site.toml")
    return cache.digest(
        (cache.engine_version(), cache.folder_digest(root / "templates"), settings, today, preview, base)
    )


def sources_key(digests: dict[str, str], notes: list[str]) -> bytes:
    """The content as read: each source's path and digest, and what reading it reported."""
    return cache.digest((list(digests.items()), notes))


def _nothing_changed(result: BuildResult, manifest: incremental.Manifest, started: float) -> BuildResult:
    """The same inputs as the last build, whose output nobody has touched: report it again, write nothing."""
    files = [path for path in manifest.entries if path != write.MARKER]
    result.diagnostics = list(manifest.diagnostics)
    result.planned = result.unchanged = len(files)
    result.reused = sum(1 for path in files if manifest.entries[path].key and manifest.entries[path].page)
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result


def check(root: Path, today: dt.date) -> list[Diagnostic]:
    """Stages 1–7 without writing anything: every diagnostic the build would report."""
    diagnostics = Diagnostics()
    model = load_model(root, today, False, diagnostics, persist=False)
    if model is not None:
        render_site(model, root, search_index=False)  # templates are checked too; the index proves nothing more
    return diagnostics.sorted()


def extras() -> list[Extra]:
    """The makers of feeds, calendars and data exports, imported when first needed: a body-only edit never is."""
    if not EXTRAS:
        from . import calendars, data, feeds

        EXTRAS.extend([calendars.outputs, feeds.outputs, data.outputs])
    return EXTRAS


from . import bodyedits  # noqa: E402  (it imports this module)
