"""A project and what its builds keep: where its files are, and the caches that outlive one build.

A `Cache` is passed to every build. A one-off build makes its own, read from
and saved to `.minutebook-cache/`; the preview keeps one for as long as it
runs, so each save finds the last build's parse results, model and plan
already in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.parsed import Parsed
from ..content.published import Published
from ..site.planner import readable
from .cache import FOLDER, Shards, Store, sweep_unfinished
from .known import SourceRecord
from .listing import Listing
from .memo import Memos
from .plan import WholeKeys


@dataclass(frozen=True)
class Project:
    """A council's project folder: site.toml, content/, templates/."""

    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "site.toml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def cache(self) -> Path:
        return self.root / FOLDER


class Cache:
    """Everything kept between builds of one project: stores on disk, and in memory what a preview keeps warm.

    `save=False` (for `check`, which writes nothing) reads the stores but never writes them.
    """

    def __init__(self, project: Project, *, save: bool = True) -> None:
        self.project, self.save = project, save
        if save:
            sweep_unfinished(project.cache)  # what builds killed while saving left
        self.parse = Shards(project.root, "parse")  # (path, digest) → parse result; bodies in the attachments
        self.sources = SourceRecord(project.root)  # path → what the last build knew of it (build.reading)
        self.memos = Memos(project.root, save=save)
        self.parsed: dict[tuple[str, str], Parsed] = {}  # parse results of this process, warm for the next build
        self.bodies: dict[tuple[str, str], tuple[str, str]] = {}  # bodies parsed here and not in a shard
        self.templates = CompiledTemplates(Store(project.root, "templates") if save else None)
        self.keys = WholeKeys()  # the outputs' whole keys of the last build, for a preview's next
        self.readable = Readable()  # the planner's mappings of the last published site, while it is the same
        self.listing = Listing()  # the last listing of content/, for a build told what changed since (a preview)

    def forget_except(self, current: set[tuple[str, str]]) -> None:
        """Keep in memory only what the current sources need: a long preview must not keep every draft."""
        self.parsed = {key: value for key, value in self.parsed.items() if key in current}
        self.bodies = {key: value for key, value in self.bodies.items() if key in current}


@dataclass
class Readable:
    """The planner's mappings of a published site (site.planner.readable), worked out once for each: planning and
    rendering read the same ones, and a preview's body edit keeps its model (an archive's mappings cost tens of
    milliseconds)."""

    published: Published | None = None
    sources: dict[str, Mapping[Any, Any]] = field(default_factory=dict)

    def of(self, published: Published) -> dict[str, Mapping[Any, Any]]:
        if self.published is not published:
            self.published, self.sources = published, readable(published)
        return self.sources


@dataclass
class CompiledTemplates:
    """Compiled templates kept in memory between builds, and in the cache folder between processes (compiling
    the templates costs a one-paper edit more than rendering its pages); Jinja recompiles any whose source
    changed, since each is kept under its source's checksum (minutebook.site.render hands them to Jinja)."""

    store: Store | None = None
    compiled: dict[str, bytes] = field(default_factory=dict)

    def load(self, key: str) -> bytes | None:
        if key not in self.compiled and self.store is not None and key in self.store.data:
            self.compiled[key] = self.store.data[key]
        return self.compiled.get(key)

    def dump(self, key: str, code: bytes) -> None:
        self.compiled[key] = code
        if self.store is not None:
            self.store.put(key, code)
            self.store.save()
