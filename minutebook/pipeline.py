"""The build, one stage per line: configuration, sources, parse, assemble, gate, link, plan, render, write."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import assemble, config as config_stage, gate, pages, references, render, sources, write
from .diagnostics import Diagnostic, Diagnostics
from .model import Site

Extra = Callable[["Model", pages.Urls], dict[str, bytes]]
EXTRAS: list[Extra] = []  # feeds, calendars, data exports: more outputs from the same public model


@dataclass
class Model:
    """Everything stages 1–5 produce: the configuration, the full and public sites, and their links."""

    config: config_stage.Config
    full: Site
    site: Site
    links: references.Links
    today: dt.date
    preview: bool


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    planned: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    ok: bool = False


def today_from_environment(now: str | None = None) -> dt.date:
    """--now, else SOURCE_DATE_EPOCH, else today's date in the UK: builds are reproducible when asked."""
    if now:
        return dt.date.fromisoformat(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def load_model(root: Path, today: dt.date, preview: bool, diagnostics: Diagnostics) -> Model | None:
    """Stages 1–5. Returns None when the content has errors (all of them are in `diagnostics`)."""
    config = config_stage.load(root / "site.toml", diagnostics)
    texts = sources.read_all(root / "content", root, diagnostics)
    parsed = [parse_cached(source) for source in texts]
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
    site = full if preview else gate.public_site(full, today)
    return Model(config, full, site, links, today, preview)


_PARSE_CACHE: dict[tuple[str, str], assemble.Parsed | Diagnostic] = {}


def parse_cached(source: sources.Source) -> assemble.Parsed | Diagnostic:
    """Parsing depends only on a source's path and text: memoise it by their digest."""
    key = (source.path, source.digest)
    if key not in _PARSE_CACHE:
        _PARSE_CACHE[key] = assemble.parse(source)
    return _PARSE_CACHE[key]


def render_site(model: Model, root: Path, base: str | None = None) -> dict[str, bytes]:
    """Stages 7–8: plan every page and render it, plus static files and the extra outputs."""
    base_path = model.config.base_path if base is None else base
    planned = pages.plan(model.site, model.links, model.config, model.today, model.preview, base_path)
    env = render.environment(root / "templates", model.config, base_path, model.preview)
    env.globals["_committee_names"].update({slug: c.name for slug, c in model.site.committees.items()})
    files = {page.path: render.render_page(env, page) for page in planned}
    files.update(static_files(root / "templates" / "static"))
    urls = pages.Urls(model.site, base_path, model.today, model.preview)
    for extra in EXTRAS:
        files.update(extra(model, urls))
    return files


def static_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        "static/" + p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")
    }


def build(root: Path, output: Path, today: dt.date, *, preview: bool = False, base: str | None = None) -> BuildResult:
    """The whole build. Nothing is written unless every stage succeeded."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult()
    write.check_output_path(output, root)
    model = load_model(root, today, preview, diagnostics)
    result.diagnostics = diagnostics.sorted()
    if model is None:
        result.seconds = time.perf_counter() - started
        return result
    files = render_site(model, root, base)
    result.planned = len(files)
    with write.build_lock(output):
        report = write.write_tree(output, files)
    result.written, result.unchanged, result.removed = report.written, report.unchanged, report.removed
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result


def check(root: Path, today: dt.date) -> list[Diagnostic]:
    """Stages 1–7 without writing anything: every diagnostic the build would report."""
    diagnostics = Diagnostics()
    model = load_model(root, today, False, diagnostics)
    if model is not None:
        render_site(model, root)
    return diagnostics.sorted()
