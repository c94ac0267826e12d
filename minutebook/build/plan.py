"""Planning, a pure function of the published site and the templates: every output, and the key of each.

A page's key is the digest of its URL, template and context; the context
holds model values (digested once each) and, for every document body it
shows, a `ShownBody`, counted by the digest of its source's text (added when
the build compares keys, so a plan stays good after a body-only edit: see
`Planned.key_with`). A feed's, calendar's or data file's key is the digest
of exactly what it shows. Nothing is rendered here; the render stage makes
the outputs whose keys differ from those the output holds.
"""

from __future__ import annotations

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


def plan(published: Published, base: str, templates: Path, settings: bytes, jobs: int) -> Plan:
    """Every page (planned on every core) and every other output of the site, each with its key."""
    planner = Planner(published, base)
    recipes = outputs.recipes(planner)
    memo: Memo = {}  # each model value digested once per process
    pages = workers.run(lambda i: _page(planner, recipes[i], settings, memo), len(recipes), jobs)
    located = [(p.url, p.path, p.template) for p in pages]
    extras = [
        Planned(e.path, digest((settings, e.path, e.maker, e.shows), memo), extra=e, source=_owner(published, e))
        for e in outputs.extras(published, located, templates)
    ]
    planned = (*pages, *extras)
    return Plan(planned, tuple(_collisions(planned)))


def _page(planner: Planner, recipe: outputs.Recipe, settings: bytes, memo: Memo) -> Planned:
    page = outputs.page(planner, recipe)
    shown: list[str] = []
    key = digest((settings, page.url, page.template, page.context), memo, shown)
    source = outputs.source_of(planner, recipe)
    return Planned(page.path, key, tuple(dict.fromkeys(shown)), source, recipe, page.template, page.url)


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
