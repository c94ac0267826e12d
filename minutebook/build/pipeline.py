"""The build, one stage per line: settings, sources, parse, model, plan, render, search index, leak check, write.

`build` is the only way anything is built: `python build.py build` into a
folder on disk, `check` into memory it throws away, and the preview into the
memory it serves, on every save. Each stage takes and returns values; what
a build can reuse comes from comparing digests of those values with what the
last build saw (see minutebook.build.memo and each stage's module), never
from a list of what depends on what kept by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import resource
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..content import config as settings
from ..diagnostics import Diagnostic, Diagnostics
from ..site import search, templatefiles
from . import memory, model, parsing, plan, reading, rendering, searching, workers
from .bodystore import BodyStore
from .digest import digest, engine_version, table_digest
from .leaks import LeakCheck
from .memo import Lazy
from .output import Output, Previous, SearchRecord, Staging
from .project import Cache, Project


@dataclass(frozen=True)
class Options:
    """How to build: as of which day, for the public or the clerk's preview, under which path, with search or not."""

    today: dt.date
    preview: bool = False
    base: str | None = None  # the path part of base_url, when another is wanted (/democracy/)
    search: bool = True  # False: leave search out (page, links and index), whatever site.toml says
    jobs: int | None = None  # processes; one per core when not given
    pdfs: bool = True  # make the agenda packs' PDFs ([packs] pdf says which); a check, writing nothing, makes none
    changed: frozenset[str] | None = None  # files changed since the last build with the same cache, when known


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = False
    planned: int = 0  # files the output holds
    replanned: int | None = None  # pages whose reads had changed, planned again (None: the plan was remembered)
    rendered: int = 0  # pages drawn by Jinja in this build
    reused: int = 0  # pages whose inputs had not changed, kept as they were
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    peak_mb: float = 0.0  # the largest process of the build, Pagefind included
    own_peak_mb: float = 0.0  # the same before the search index was made: the build's own processes


def build(
    project: Project,
    options: Options,
    output: Output,
    cache: Cache | None = None,
    progress: Progress | None = None,
    indexer: searching.Indexer | None = None,
) -> BuildResult:
    """Build into `output`. Nothing is written unless every stage succeeded; nothing unchanged is made again."""
    engine_version()  # worked out once, here: every process the build forks holds the same, whatever changes on disk
    cache = Cache(project) if cache is None else cache
    previous = output.previous()
    try:
        with output.begin() as staging:  # one build at a time per output, from the start: it is read meanwhile
            return _stages(project, options, output, previous, staging, cache, progress, indexer)
    finally:
        cache.memos.settle()  # results saved while the build went on are in the cache folder before it returns


def _stages(
    project: Project,
    options: Options,
    output: Output,
    previous: Previous,
    staging: Staging,
    cache: Cache,
    progress: Progress | None,
    indexer: searching.Indexer | None,
) -> BuildResult:
    """The stages, one after another; each returns a value the next takes."""
    result, clock = BuildResult(), Clock(progress)
    jobs = options.jobs or workers.default_jobs()
    with clock.stage("reading sources"):
        config, found = configure(project, options.search)
        sources = reading.read(project, cache, options.changed)
    with clock.stage("parsing"):
        parsed = parsing.parse_all(sources, cache, jobs, clock.tick)
    problems = [*found, *sources.diagnostics, *parsed.diagnostics]
    if config is None:
        return clock.done(result, problems)
    with clock.stage("assembling and linking"), memory.loading():  # the model lives to the end: no walks of it
        key = model.model_key(config, parsed, options.today, options.preview)
        assembled, reported, made = model.make(key, config, parsed, options.today, options.preview, cache)
    if not made or _errors(problems):  # content errors: nothing is planned, let alone written
        return clock.done(result, [*problems, *reported])
    base = config.base_path if options.base is None else options.base
    with clock.stage("planning"):
        planned, collisions, result.replanned, plan_key = _plan(
            project, options, config, assembled, key, base, cache, jobs
        )
    if collisions:
        return clock.done(result, [*problems, *reported, *collisions])
    bodies = BodyStore(project.root, sources.digests, cache.bodies)
    checked = not options.preview
    check = LeakCheck(
        lambda: _model(assembled),
        bodies,
        project.templates,
        project.settings,
        project.root if cache.save else None,
        lambda name, of, make: cache.memos.stage(name, of, make)[0].value,
        key,
    )
    with clock.stage("rendering pages"):
        prepare = lambda: _prepare(  # noqa: E731
            assembled, planned.value, options, base, project, bodies, cache, check if checked else None
        )
        rendered = rendering.render_all(
            planned,
            _keys(planned, plan_key, sources.digests, cache),
            previous,
            staging,
            prepare,
            checked,
            jobs,
            clock.tick,
        )
    result.own_peak_mb = peak_mb()
    with clock.stage("search index"):
        indexed = (
            searching.index(
                _shards(planned, plan_key, project.templates, cache),
                rendered.entries,
                previous,
                staging,
                base,
                indexer or searching.Pagefind(),
                checked,
                jobs,
            )
            if config.search
            else searching.Indexed(SearchRecord(), {})
        )
    with clock.stage("checking for leaks"):
        leaks = check.judge({**check.scan(staging, indexed.new, jobs), **rendered.hits}, jobs) if checked else []
    if leaks or _errors(reported):  # a leak, or a gate that failed its proof: nothing is written
        return clock.done(result, [*problems, *reported, *leaks])
    with clock.stage("writing"):
        report = output.commit(staging, {**rendered.entries, **indexed.entries}, indexed.record)
    result.rendered, result.reused = rendered.rendered, rendered.reused
    result.written, result.unchanged, result.removed = report.written, report.unchanged, report.removed
    result.planned, result.ok = len(rendered.entries) + len(indexed.entries), True
    return clock.done(result, [*problems, *reported])


def configure(project: Project, search: bool = True) -> tuple[settings.Config | None, list[Diagnostic]]:
    """site.toml as a typed configuration, and every problem with it or with the templates, at once.

    A build without search (`build --no-search`) is a site without search: no page, no link, no index.
    """
    diagnostics = Diagnostics()
    config = settings.load(project.settings, diagnostics)
    templatefiles.check(project.templates, project.root, diagnostics)
    if config is not None and not search:
        config = dataclasses.replace(config, search=False)
    return config, diagnostics.items


def _plan(
    project: Project,
    options: Options,
    config: settings.Config,
    assembled: Lazy[model.Assembled],
    key: bytes,
    base: str,
    cache: Cache,
    jobs: int,
) -> tuple[Lazy[plan.Plan], tuple[Diagnostic, ...], int | None, bytes]:
    """The plan of every output, remembered by the model's key and the settings: a body-only edit plans nothing,
    and any other plans again only the pages whose reads changed (the traces of the last plan say which).
    Also its diagnostics (remembered beside it: knowing them loads no plan), how many pages were planned again
    (None when the plan was remembered whole), and the plan's key."""
    templates = project.templates
    settings_key = plan.settings_key(templates, config, base, options.preview)

    again: list[int] = []

    def make() -> plan.Plan:
        published = _model(assembled).published
        earlier = cache.memos.last("traces")
        sources = cache.readable.of(published)
        made, traces = plan.plan(published, base, templates, settings_key, jobs, options.pdfs, earlier, sources)
        memory.give_back()  # what planning dropped (tens of MB on an archive) goes back before the traces are pickled
        cache.memos.keep("traces", traces)
        again.append(made.planned_again)
        return made

    plan_key = digest((key, settings_key, options.pdfs))
    made, diagnostics = cache.memos.stage("plan", plan_key, make, _diagnostics)
    return made, diagnostics, again[0] if again else None, plan_key


def _keys(planned: Lazy[plan.Plan], plan_key: bytes, digests: Mapping[str, str], cache: Cache) -> plan.Keys:
    """Every output's whole key, remembered under the plan's key and the bodies' digests: a build in which
    nothing changed reads no plan. A preview's `cache.keys` works out again only what a save changed, and when
    it holds the keys of this very plan they are not remembered again (digesting and saving them would cost
    a save more than working them out)."""
    make = lambda: plan.Keys.of(planned.value, cache.keys.of(planned.value, digests))  # noqa: E731
    if planned.ready and cache.keys.plan is planned.value:
        return make()
    return cache.memos.stage("keys", digest((plan_key, table_digest(digests))), make)[0].value


def _shards(planned: Lazy[plan.Plan], plan_key: bytes, templates: Path, cache: Cache) -> dict[str, tuple[str, ...]]:
    """The pages of each search shard, remembered under the plan's key (which covers the templates that mark what
    is indexed)."""
    make = lambda: searching.shards(planned.value, search.marked_templates(templates))  # noqa: E731
    return cache.memos.stage("search-shards", plan_key, make)[0].value


def _diagnostics(made: plan.Plan) -> tuple[Diagnostic, ...]:
    return made.diagnostics


def _model(assembled: Lazy[model.Assembled]) -> Any:
    made = assembled.value.model
    assert made is not None  # only asked for once the model is known to be good
    return made


def _prepare(
    assembled: Lazy[model.Assembled],
    planned: plan.Plan,
    options: Options,
    base: str,
    project: Project,
    bodies: BodyStore,
    cache: Cache,
    check: LeakCheck | None,
) -> tuple[rendering.Maker, Any]:
    """What the render workers need, made before they fork (loading the model when it was only remembered)."""
    published = _model(assembled).published
    sources = cache.readable.of(published)
    maker = rendering.Maker.of(
        published, base, project.templates, bodies, cache.templates, options.pdfs, planned.files, sources
    )
    scanner = check.scanner() if check is not None else None
    memory.give_back()  # what the stages before freed, so the workers forked now do not share it
    return maker, scanner


def _errors(diagnostics: Sequence[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def peak_mb() -> float:
    """The largest process of this build so far (this one, a worker, Pagefind), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


class Progress(Protocol):
    """What the command line shows while a build runs (minutebook.shell.progress implements it)."""

    def stage(self, name: str, total: int = 0) -> None: ...

    def tick(self, items: int = 1) -> None: ...


class Clock:
    """Seconds per stage for the timings, and the stage name for the progress line."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.started = progress, time.perf_counter()
        self.timings: dict[str, float] = {}
        self.tick: workers.Tick | None = progress.tick if progress is not None else None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress.stage(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def done(self, result: BuildResult, diagnostics: list[Diagnostic]) -> BuildResult:
        result.diagnostics = sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.severity, d.message))
        result.timings = self.timings
        result.seconds = time.perf_counter() - self.started
        result.peak_mb = peak_mb()
        result.ok = result.ok and not _errors(result.diagnostics)
        return result


def today_from_environment(now: str | None = None) -> dt.date:
    """--now, else SOURCE_DATE_EPOCH, else today's date: builds are reproducible when asked."""
    if now:
        return dt.date.fromisoformat(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
