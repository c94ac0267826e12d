"""Reading, the first stage that touches content/: every source's digest, reading only what changed.

Each source's stamp (size, modification time, inode) is compared with the
one recorded when the last build read it; an unchanged file's digest is
taken from that record and its text is not read, so a build of a large
archive reads the files that were edited, not the archive.

A build told which files changed since the last build with the same cache
(the preview, by its watcher) does not even list content/ again: it looks
again at the files named, and lists the whole folder only when one of them
is not a Markdown file the last listing found, or is no longer one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..content import sources
from ..content.sources import Source, Stamp
from ..diagnostics import Diagnostic, Diagnostics
from .known import Known
from .listing import Listing
from .project import Cache, Project


@dataclass(frozen=True)
class Sources:
    """Every source of the project: its digest, and its text when it had to be read."""

    digests: dict[str, str]  # path → digest of the text, for every source that could be read
    texts: dict[str, Source]  # the sources read this time: new, or changed since the last build (parsing empties it)
    stamps: dict[str, Stamp | None]
    known: dict[str, Known]  # what the last build recorded, for the unchanged sources
    diagnostics: tuple[Diagnostic, ...]  # what reading found (files that are not Markdown, not UTF-8, …)


def read(project: Project, cache: Cache, changed: Collection[str] | None = None) -> Sources:
    """Digests of every source; the text of those whose stamp differs from the recorded one.

    `changed`: every file changed since the last build with `cache` (paths from the project root), when a
    watcher says so; None when anything may have changed (every build of `python build.py`).
    """
    diagnostics = Diagnostics()
    found = cache.listing.relisted(project.root, changed) if changed is not None else None
    if found is None:
        found = sources.listing(project.content, project.root, diagnostics)
        cache.listing = Listing(found, tuple(diagnostics.items))
    else:
        diagnostics.extend(cache.listing.diagnostics)
    record = cache.sources.known
    digests, texts, known = {}, {}, {}
    for rel, (path, stamp) in found.items():
        last = record.get(rel)
        if stamp is not None and last is not None and last.stamp == stamp:
            digests[rel], known[rel] = last.digest, last
            continue
        source = sources.read_one(path, rel, diagnostics)
        if source is not None:
            digests[rel], texts[rel] = source.digest, source
    stamps = {rel: stamp for rel, (_, stamp) in found.items()}
    return Sources(digests, texts, stamps, known, tuple(diagnostics.items))
