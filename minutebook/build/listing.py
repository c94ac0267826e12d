"""What the last listing of content/ found, kept with a cache for a build told which files changed since."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..content import sources
from ..content.sources import Stamp
from ..diagnostics import Diagnostic

CONTENT = "content/"


@dataclass
class Listing:
    """The last listing of content/ made with one cache, and what it found wrong (files that are not Markdown,
    links that leave content/, …): kept by a preview, whose watcher names the files each save changed."""

    found: dict[str, tuple[str, Stamp | None]] | None = None  # path → (path to read it by, stamp)
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    def relisted(self, root: Path, changed: Collection[str]) -> dict[str, tuple[str, Stamp | None]] | None:
        """The last listing with the stamps of the `changed` files under content/ looked at again; None when
        one of them is new, gone, or not a plain Markdown file (an editor's temporary file, a folder, a file
        renamed or deleted): then only a whole listing can say what the folder holds, and in which order."""
        if self.found is None:
            return None
        for rel in changed:
            if not rel.startswith(CONTENT):
                continue  # templates/ and site.toml have keys of their own
            if rel not in self.found or (stamp := sources.restamp(root, rel)) is None:
                return None
            self.found[rel] = (self.found[rel][0], stamp)
        return self.found
