"""Planning, a pure function of the published site and the templates: every output, and the key of each.

A page's key is the digest of its URL, template and context; the context
holds model values (digested once each) and, for every document body it
shows, a `ShownBody`, counted by the digest of its source's text (added when
the build compares keys, so a plan stays good after a body-only edit: see
`Planned.key_with`). A feed's, calendar's or data file's key is the digest
of exactly what it shows; a file made from a page (an agenda pack's PDF)
has that page's key, and a page that prints another file's size (the
meeting page: "PDF, 1.2 MB") holds that file's key in its own. Nothing is
rendered here; the render stage makes the outputs whose keys differ from
those the output holds.

Planning an archive's pages costs seconds, so a page is planned again only
when something it read last time reads differently now: every read passes
through the planner's recorded views (minutebook.site.reads), and each page
keeps the digest of what each of its reads found. An edited title re-plans
the pages that read that paper, not the archive.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.config import Config
from ..content.published import Published
from ..diagnostics import Diagnostic
from ..site import outputs
from ..site.extra import Extra
from ..site.planner import Planner
from ..site.reads import ALL, Read
from . import workers
from .digest import Memo, digest, engine_version, folder_digest
from .traces import DIGEST, Check, Fresh, Traces


@dataclass(frozen=True)
class Planned:
    """One output file: where it goes, what it is made from, and how to make it again alone."""

    path: str
    key: bytes  # digest of what it shows, the text of the bodies it shows aside
    shows: tuple[str, ...] = ()  # sources whose body it shows
    source: str = ""  # the document it is about, "" for the site's own files
    recipe: outputs.Recipe | None = None  # for a page
    template: str = ""
    url: str = ""
    extra: Extra | None = None  # for any other output
    sizes: tuple[str, ...] = ()  # outputs whose size the page prints, made before it

    def key_with(self, digests: Mapping[str, str]) -> bytes:
        """The whole key: the plan's, with the digest of the current text of every body shown."""
        if not self.shows:
            return self.key
        shown = "\0".join([digests.get(source, "") for source in self.shows])
        return hashlib.blake2b(self.key + shown.encode(), digest_size=20).digest()


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Planned, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # outputs two sources would both write
    planned_again: int = 0  # pages whose reads had changed, planned in this build (the rest kept)
    files: Mapping[str, bytes] = field(default_factory=dict, compare=False)  # outputs made whole while planning

    def __getstate__(self) -> dict[str, Any]:
        """A remembered plan leaves out the files made while planning: tens of megabytes on an archive, and a
        build that takes the plan as it is has them in the output already (or makes them again if not)."""
        return {**self.__dict__, "files": {}}


@dataclass(frozen=True)
class Keys:
    """Every output's whole key, and how many outputs are pages: all a build reads of the plan when it has nothing
    to make, so it is remembered under the plan's key and the bodies' digests (see minutebook.build.pipeline)."""

    whole: dict[str, bytes]  # output path → whole key
    pages: int

    @classmethod
    def of(cls, plan: Plan, whole: dict[str, bytes]) -> Keys:
        return cls(whole, sum(1 for output in plan.outputs if output.recipe is not None))


@dataclass
class WholeKeys:
    """Every output's whole key (`Planned.key_with`), worked out again only for the outputs that show a body whose
    text changed since the last build with the same plan: a preview's save changes one body of thousands."""

    plan: Plan | None = None
    digests: dict[str, str] = field(default_factory=dict)  # the bodies' digests the keys were worked out with
    keys: dict[str, bytes] = field(default_factory=dict)  # output path → whole key
    showing: dict[str, list[Planned]] | None = None  # source → the outputs showing its body, once a plan is kept

    def of(self, plan: Plan, digests: Mapping[str, str]) -> dict[str, bytes]:
        if self.plan is not plan:  # a new plan (every build of `python build.py`): every key, as before
            self.plan, self.showing = plan, None
            self.keys = {output.path: output.key_with(digests) for output in plan.outputs}
        else:
            showing = self.showing = self.showing if self.showing is not None else _showing(plan)
            changed = {source for source in showing if digests.get(source) != self.digests.get(source)}
            for output in {id(o): o for source in changed for o in showing[source]}.values():
                self.keys[output.path] = output.key_with(digests)
        self.digests = dict(digests)
        return dict(self.keys)  # the caller's own: the next build changes these


def _showing(plan: Plan) -> dict[str, list[Planned]]:
    found: dict[str, list[Planned]] = {}
    for output in plan.outputs:
        for source in output.shows:
            found.setdefault(source, []).append(output)
    return found


def settings_key(templates: Path, config: Config, base: str, preview: bool) -> bytes:
    """Everything an output's bytes depend on besides what it shows: engine, templates, settings, base path."""
    return digest((engine_version(), folder_digest(templates), config, base, preview))


def plan(
    published: Published,
    base: str,
    templates: Path,
    settings: bytes,
    jobs: int,
    pdfs: bool = True,
    earlier: Traces[Planned] | None = None,
    sources: Mapping[str, Mapping[Any, Any]] | None = None,
) -> tuple[Plan, Traces[Planned]]:
    """Every page (planned on every core, unless none of its reads changed since `earlier`) and every other
    output of the site, each with its key; and the trace of every page, for the next build.

    `pdfs`: whether to make the agenda packs' PDFs the settings ask for (a check, which writes nothing, does not);
    `sources`: the planner's mappings of `published`, when already worked out (site.planner.readable).
    """
    names = [(slug, committee.name) for slug, committee in published.site.committees.items()]
    settings = digest((settings, names))  # every template may name any committee (`committee_name`)
    planner = Planner(published, base, pdfs, sources)
    recipes = outputs.recipes(planner)
    reader = _Reader(planner, settings)
    frame = digest((settings, pdfs, published.today, published.preview))  # what else a page's plan depends on
    reads = earlier.reads if earlier is not None and earlier.frame == frame else []  # the others plan everything
    extras, found = _site_extras(published, settings, jobs, reader, reads)
    check: Check[Planned] = Check.of(earlier, frame, lambda _: found)
    stale = [recipe for recipe in recipes if check.kept(recipe) is None]  # the rest keep their earlier plan
    made = workers.run(lambda i: reader.page(stale[i]), len(stale), jobs)
    fresh = dict(zip(stale, made, strict=True))
    kept = check.earlier.pages
    pages = [fresh[recipe][0] if recipe in fresh else kept[recipe][0] for recipe in recipes]
    located = [(p.url, p.path, p.template) for p in pages]
    by_recipe = {p.recipe: p for p in pages}
    extras += [
        _extra(published, e, settings, reader.memo, by_recipe)
        for e in outputs.extras(published, located, templates, recipes if pdfs else None)
    ]
    planned = _sized((*pages, *[planned for planned, _ in extras]))
    files = {planned.path: content for planned, content in extras if content is not None}
    return Plan(planned, tuple(_collisions(planned)), len(fresh), files), check.after(recipes, pages, fresh)


READS_PER_TASK = 4096


class _Reader:
    """Plans a page, with the digest of what each of its reads found (for the next build's `Check`)."""

    def __init__(self, planner: Planner, settings: bytes) -> None:
        self.planner, self.settings = planner, settings
        self.memo: Memo = {}  # each model value digested once per process
        self.seen: dict[Read, bytes] = {}  # what each read found, worked out once per process

    def page(self, recipe: outputs.Recipe) -> Fresh[Planned]:
        """The page planned, with what each of its reads found."""
        with self.planner.reads.recording() as reads:
            page = outputs.page(self.planner, recipe)
            shown: list[str] = []
            key = digest((self.settings, page.url, page.template, page.context), self.memo, shown)
            source = outputs.source_of(self.planner, recipe)
        shows = tuple(dict.fromkeys(shown))
        planned = Planned(page.path, key, shows, source, recipe, page.template, page.url, sizes=page.sizes)
        distinct = list(dict.fromkeys(reads))
        seen, found = self.seen, self.found
        digests = b"".join([seen[read] if read in seen else found(*read) for read in distinct])
        return planned, pickle.dumps(distinct, pickle.HIGHEST_PROTOCOL), digests

    def found(self, name: str, key: Any) -> bytes:
        """The digest of what a read finds in this build: the value under `key` (or its absence), or all of it.

        Taken of its pickle, made in C: equal pickles are equal values, so a change is never missed."""
        read = (name, key)
        if read not in self.seen:
            data = self.planner.sources[name]
            value = list(data.items()) if key == ALL else (key in data, data.get(key))
            self.seen[read] = hashlib.blake2b(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), digest_size=DIGEST).digest()
        return self.seen[read]


def _site_extras(
    published: Published, settings: bytes, jobs: int, reader: _Reader, reads: list[Read]
) -> tuple[list[tuple[Planned, bytes | None]], bytes]:
    """The data files, calendars and feeds, each part made and keyed on any core; and, by the same workers, what
    each of `reads` finds now (the earlier pages' reads: an archive's make a hundred thousand). Neither needs
    the pages, and one set of workers for both keeps both cores busy from the largest part to the last read."""
    parts = outputs.site_extras(published)
    chunks = [reads[start : start + READS_PER_TASK] for start in range(0, len(reads), READS_PER_TASK)]
    memo: Memo = {}  # each worker's own: an event in three calendars is digested once

    def task(i: int) -> Any:
        if i < len(parts):
            return [_extra(published, e, settings, memo, {}) for e in parts[i]()]
        return b"".join(reader.found(*read) for read in chunks[i - len(parts)])

    sizes = [workers.PARALLEL_MIN] * len(parts) + [len(chunk) for chunk in chunks]
    made = workers.run(task, len(sizes), jobs, sizes=sizes)
    return [extra for part in made[: len(parts)] for extra in part], b"".join(made[len(parts) :])


def _extra(
    published: Published, extra: Extra, settings: bytes, memo: Memo, pages: dict
) -> tuple[Planned, bytes | None]:
    """Any output but a page: keyed by what it shows, or, when made from a page, by that page's key and bodies;
    and its bytes, when they were made to key it (they stay out of the plan, which is remembered)."""
    if extra.content is not None:
        made = hashlib.blake2b(extra.content, digest_size=20).digest()
        key = digest((settings, extra.path, extra.maker, made))
        return Planned(extra.path, key, extra=dataclasses.replace(extra, content=None)), extra.content
    if extra.page is None:
        key = digest((settings, extra.path, extra.maker, extra.shows), memo)
        return Planned(extra.path, key, extra=extra, source=_owner(published, extra)), None
    page: Planned = pages[extra.page]
    key = digest((settings, extra.path, extra.maker, page.key), memo)
    return Planned(extra.path, key, page.shows, page.source, extra=extra), None


def _sized(planned: tuple[Planned, ...]) -> tuple[Planned, ...]:
    """A page that prints the size of another output holds that output's key (and follows its bodies)."""
    by_path = {p.path: p for p in planned}
    out = []
    for output in planned:
        if output.sizes:
            others = [by_path[path] for path in output.sizes]
            key = digest((output.key, [other.key for other in others]))
            shows = tuple(dict.fromkeys([*output.shows, *(s for other in others for s in other.shows)]))
            output = dataclasses.replace(output, key=key, shows=shows)
        out.append(output)
    return tuple(out)


def _owner(published: Published, extra: Extra) -> str:
    """The source a feed or calendar of one committee belongs to, for the message when two outputs collide."""
    slug = extra.argument.removeprefix("committee:") if isinstance(extra.argument, str) else ""
    committee = published.site.committees.get(slug)
    return committee.source if committee is not None else ""


def _collisions(planned: tuple[Planned, ...]) -> list[Diagnostic]:
    """Two outputs with one path: an error naming both, never a silent overwrite."""
    first: dict[str, Planned] = {}
    problems = []
    for output in planned:
        other = first.setdefault(output.path, output)
        if other is not output:
            who = [o.source or "the site's own files" for o in (other, output)]
            problems.append(
                Diagnostic(
                    output.source or other.source or "content",
                    0,
                    f"{who[0]} and {who[1]} would both make the output file {output.path}; rename one of them",
                )
            )
    return problems
