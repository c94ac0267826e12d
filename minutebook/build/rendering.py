"""Rendering: the planned outputs whose keys differ from what the output holds, made on every core.

Each worker plans its page again (from the plan's recipe), reads the bodies
it shows from the body store, draws it with Jinja, scans its bytes for
withheld text and, when the output is on disk, stages the file itself: an
archive's pages never pass through this process. Pages are made in the
order of the cache shards their bodies are read from, so each worker reads
each shard about once. Files whose size a page prints (an agenda pack's
PDF) are made first, so the page can print it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.published import Published
from ..site import outputs, templatefiles
from ..site.planner import Page, Planner
from . import workers
from .bodystore import BodyStore
from .cache import shard_of
from .memo import Lazy
from .output import Entry, Previous, Staging
from .plan import Keys, Plan, Planned
from .scan import Scanner, note_hits

if TYPE_CHECKING:
    import jinja2

    from ..site import render


@dataclass
class Maker:
    """Makes any planned output's bytes; made once before the workers fork, so each inherits it ready."""

    published: Published
    planner: Planner
    env: jinja2.Environment
    draw: Callable[[jinja2.Environment, Page, render.BodyReader], bytes]  # render.render_page
    bodies: BodyStore
    static: dict[str, bytes]  # the site's own files (templates/static/), which a PDF's stylesheet is read from
    sizes: dict[str, int]  # bytes of each file a page being made prints the size of
    address: str  # the site's address as its pages link to it: base_url's host, the build's base path
    files: Mapping[str, bytes] = field(default_factory=dict)  # outputs the plan made whole (Plan.files)

    @classmethod
    def of(
        cls,
        published: Published,
        base: str,
        templates: Path,
        bodies: BodyStore,
        compiled: render.Compiled,
        pdfs: bool,
        files: Mapping[str, bytes],
        sources: Mapping[str, Mapping[Any, Any]] | None = None,
    ) -> Maker:
        from ..site import render  # Jinja is loaded by a build that makes something, not by every build

        sizes: dict[str, int] = {}
        env = render.environment(templates, published, base, compiled, bodies, sizes)
        static = templatefiles.static_files(templates / "static")
        host = re.match(r"^https?://[^/]+", published.config.base_url)
        address = (host.group() if host else "") + base
        planner = Planner(published, base, pdfs, sources)
        return cls(published, planner, env, render.render_page, bodies, static, sizes, address, files)

    def __call__(self, planned: Planned) -> bytes:
        return self.made(planned)[0]

    def made(self, planned: Planned) -> tuple[bytes, bytes]:
        """The output's bytes, and what the leak check reads of it: a PDF is read as the page it was made from
        (its text is that page's, in compressed streams) and as its own bytes (its title and bookmarks)."""
        if planned.recipe is not None:
            data = self.page(planned.recipe)
            return data, data
        extra = planned.extra
        assert extra is not None
        if planned.path in self.files:
            data = self.files[planned.path]
            return data, data
        if extra.page is None:
            data = outputs.make(self.published, extra)
            return data, data
        page = self.page(extra.page)
        data = outputs.make(self.published, extra, _FromPage(page, self.file, self.address))
        return data, page + b"\n" + data

    def page(self, recipe: outputs.Recipe) -> bytes:
        return self.draw(self.env, outputs.page(self.planner, recipe), self.bodies)

    def file(self, name: str) -> bytes | None:
        return self.static.get(name)


@dataclass(frozen=True)
class _FromPage:
    """The one page a file is made from, already rendered, and the site's files."""

    html: bytes
    file: Callable[[str], bytes | None]
    address: str

    def page(self, recipe: outputs.Recipe) -> bytes:
        return self.html


@dataclass
class Rendered:
    """What the render stage did."""

    entries: dict[str, Entry]  # every planned output, by path: its whole key
    rendered: int = 0  # pages drawn by Jinja
    reused: int = 0  # pages the output holds as made from the same inputs
    made: int = 0  # other outputs made again
    hits: dict[str, str] = field(default_factory=dict)  # withheld phrase → the first file (by name) holding it


def render_all(
    plan: Lazy[Plan],
    keys: Keys,
    previous: Previous,
    staging: Staging,
    prepare: Callable[[], tuple[Maker, Scanner | None]],
    checked: bool,
    jobs: int,
    tick: workers.Tick | None = None,
) -> Rendered:
    """Make what changed. The plan is read, and `prepare` called (it may load the model), only when something
    must be made; its scanner looks at every file made for withheld text when the build is `checked`."""
    entries = {path: Entry(key, checked) for path, key in keys.whole.items()}
    stale = previous.stale(keys.whole, checked)
    done = Rendered(entries)
    if not stale:
        done.reused = keys.pages
        return done
    todo = [p for p in plan.value.outputs if p.path in stale]
    todo.sort(key=lambda p: shard_of(p.source) if p.source else -1)
    make, scanner = prepare()
    sized = {path for p in todo for path in p.sizes}
    first = [p for p in todo if p.path in sized]  # files whose size a page made now prints
    made = _make(first, make, scanner, staging, done, jobs, tick, slow=True)
    make.sizes.update({path: made[path] if path in made else len(previous.read(path)) for path in sized})
    _make([p for p in todo if p.path not in sized], make, scanner, staging, done, jobs, tick)
    done.rendered = sum(1 for p in todo if p.recipe is not None)
    done.made, done.reused = len(todo) - done.rendered, keys.pages - done.rendered
    return done


def _make(
    todo: list[Planned],
    make: Maker,
    scanner: Scanner | None,
    staging: Staging,
    done: Rendered,
    jobs: int,
    tick: workers.Tick | None,
    slow: bool = False,
) -> dict[str, int]:
    """Make and stage `todo` on every core, noting the withheld text found; the size of each file made.

    `slow`: each output takes seconds (a PDF), so they are handed out one by one even when there are few.
    """

    def task(i: int) -> tuple[bool, frozenset[str], bytes | None, int]:
        data, readable = make.made(todo[i])
        hits = scanner(readable, todo[i].path) if scanner is not None else frozenset()
        if staging.shared:
            return staging.put(todo[i].path, data), hits, None, len(data)
        return False, hits, data, len(data)

    weights = [workers.PARALLEL_MIN] * len(todo) if slow else None
    results = workers.run(task, len(todo), jobs, None if slow else tick, weights)
    if slow and tick is not None and todo:
        tick(len(todo))
    sizes = {}
    for planned, (written, hits, data, size) in zip(todo, results, strict=True):
        staging.made.add(planned.path)
        if data is not None:
            staging.put(planned.path, data)
        elif written:
            staging.written.add(planned.path)
        note_hits(done.hits, hits, planned.path)
        sizes[planned.path] = size
    return sizes
