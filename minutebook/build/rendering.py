"""Rendering: the planned outputs whose keys differ from what the output holds, made on every core.

Each worker plans its page again (from the plan's recipe), reads the bodies
it shows from the body store, draws it with Jinja, scans its bytes for
withheld text and, when the output is on disk, stages the file itself: an
archive's pages never pass through this process. Pages are made in the
order of the cache shards their bodies are read from, so each worker reads
each shard about once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..content.published import Published
from ..site import outputs, render
from ..site.planner import Planner
from . import workers
from .bodystore import BodyStore
from .cache import shard_of
from .output import Entry, Previous, Staging
from .plan import Plan, Planned
from .scan import Scanner, note_hits


@dataclass
class Maker:
    """Makes any planned output's bytes; made once before the workers fork, so each inherits it ready."""

    published: Published
    planner: Planner
    env: jinja2.Environment
    bodies: BodyStore

    @classmethod
    def of(
        cls, published: Published, base: str, templates: Path, bodies: BodyStore, compiled: jinja2.BytecodeCache
    ) -> Maker:
        env = render.environment(templates, published, base, compiled, bodies)
        return cls(published, Planner(published, base), env, bodies)

    def __call__(self, planned: Planned) -> bytes:
        if planned.recipe is not None:
            return render.render_page(self.env, outputs.page(self.planner, planned.recipe), self.bodies)
        assert planned.extra is not None
        return outputs.make(self.published, planned.extra)


@dataclass
class Rendered:
    """What the render stage did."""

    entries: dict[str, Entry]  # every planned output, by path: its whole key
    rendered: int = 0  # pages drawn by Jinja
    reused: int = 0  # pages the output holds as made from the same inputs
    made: int = 0  # other outputs made again
    hits: dict[str, str] = field(default_factory=dict)  # withheld phrase → the first file (by name) holding it


def render_all(
    plan: Plan,
    digests: Mapping[str, str],
    previous: Previous,
    staging: Staging,
    prepare: Callable[[], tuple[Maker, Scanner | None]],
    checked: bool,
    jobs: int,
    tick: workers.Tick | None = None,
) -> Rendered:
    """Make what changed. `prepare` is called only when something must be made (it may load the model); its
    scanner looks at every file made for withheld text when the build is `checked`."""
    entries = {p.path: Entry(p.key_with(digests), checked) for p in plan.outputs}
    todo = [p for p in plan.outputs if not previous.holds(p.path, entries[p.path].key, checked)]
    todo.sort(key=lambda p: shard_of(p.source) if p.source else -1)
    pages = sum(1 for p in plan.outputs if p.recipe is not None)
    done = Rendered(entries)
    if not todo:
        done.reused = pages
        return done
    make, scanner = prepare()

    def task(i: int) -> tuple[bool, frozenset[str], bytes | None]:
        data = make(todo[i])
        hits = scanner(data, todo[i].path) if scanner is not None else frozenset()
        if staging.shared:
            return staging.put(todo[i].path, data), hits, None
        return False, hits, data

    for planned, (written, hits, data) in zip(todo, workers.run(task, len(todo), jobs, tick), strict=True):
        staging.made.add(planned.path)
        if data is not None:
            staging.put(planned.path, data)
        elif written:
            staging.written.add(planned.path)
        note_hits(done.hits, hits, planned.path)
    done.rendered = sum(1 for p in todo if p.recipe is not None)
    done.made, done.reused = len(todo) - done.rendered, pages - done.rendered
    return done
