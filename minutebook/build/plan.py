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
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..content.config import Config
from ..content.published import Published
from ..diagnostics import Diagnostic
from ..site import outputs
from ..site.extra import Extra
from ..site.planner import Planner
from . import workers
from .digest import Memo, digest, engine_version, folder_digest


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
        shown = "\0".join(digests.get(source, "") for source in self.shows)
        return hashlib.blake2b(self.key + shown.encode(), digest_size=20).digest()


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Planned, ...]
    diagnostics: tuple[Diagnostic, ...] = ()  # outputs two sources would both write


def settings_key(templates: Path, config: Config, base: str, preview: bool) -> bytes:
    """Everything an output's bytes depend on besides what it shows: engine, templates, settings, base path."""
    return digest((engine_version(), folder_digest(templates), config, base, preview))


def plan(published: Published, base: str, templates: Path, settings: bytes, jobs: int, pdfs: bool = True) -> Plan:
    """Every page (planned on every core) and every other output of the site, each with its key.

    `pdfs`: whether to make the agenda packs' PDFs the settings ask for (a check, which writes nothing, does not).
    """
    planner = Planner(published, base, pdfs)
    recipes = outputs.recipes(planner)
    memo: Memo = {}  # each model value digested once per process
    pages = workers.run(lambda i: _page(planner, recipes[i], settings, memo), len(recipes), jobs)
    located = [(p.url, p.path, p.template) for p in pages]
    by_recipe = {p.recipe: p for p in pages}
    extras = [
        _extra(published, e, settings, memo, by_recipe)
        for e in outputs.extras(published, located, templates, recipes if pdfs else None)
    ]
    planned = _sized((*pages, *extras))
    return Plan(planned, tuple(_collisions(planned)))


def _page(planner: Planner, recipe: outputs.Recipe, settings: bytes, memo: Memo) -> Planned:
    page = outputs.page(planner, recipe)
    shown: list[str] = []
    key = digest((settings, page.url, page.template, page.context), memo, shown)
    source = outputs.source_of(planner, recipe)
    shows = tuple(dict.fromkeys(shown))
    return Planned(page.path, key, shows, source, recipe, page.template, page.url, sizes=page.sizes)


def _extra(published: Published, extra: Extra, settings: bytes, memo: Memo, pages: dict) -> Planned:
    """Any output but a page: keyed by what it shows, or, when made from a page, by that page's key and bodies."""
    if extra.page is None:
        key = digest((settings, extra.path, extra.maker, extra.shows), memo)
        return Planned(extra.path, key, extra=extra, source=_owner(published, extra))
    page: Planned = pages[extra.page]
    key = digest((settings, extra.path, extra.maker, page.key), memo)
    return Planned(extra.path, key, page.shows, page.source, extra=extra)


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
