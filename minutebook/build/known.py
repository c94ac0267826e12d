"""What the last build knew of each source, kept in the cache folder for the next: stamp, digest, shape and
diagnostics (see minutebook.build.reading)."""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any, NamedTuple

from ..content.sources import Stamp
from ..diagnostics import Diagnostic
from .cache import Store


class Known(NamedTuple):
    """What the last build knew of one source: its stamp and digest, and what parsing it found."""

    stamp: Stamp | None
    digest: str
    shape: bytes  # b"" for a file that is no document (its diagnostics say why)
    diagnostics: tuple[Diagnostic, ...]


NO_STAMP = -1  # in the column of sizes: a file reached through a link, which has no stamp of its own

Packed = tuple[list[str], list[str], list[bytes], array, dict[int, tuple[Diagnostic, ...]]]


class SourceRecord:
    """The record of every source, saved in columns: every build reads it and every build that read a changed
    source saves it, and an archive's twelve thousand entries pickle in a fifth of the time that way."""

    def __init__(self, root: Path) -> None:
        self.store = Store(root, "sources")
        self._known: dict[str, Known] | None = None

    @property
    def known(self) -> dict[str, Known]:
        if self._known is None:
            self._known = _unpacked(self.store.get("known"))
        return self._known

    def replace(self, known: dict[str, Known]) -> None:
        """The record of this build, saved when it differs from the last one."""
        if known == self._known:
            return
        self._known = known
        self.store.replace({"known": _packed(known)})
        self.store.save()


def _packed(known: dict[str, Known]) -> Packed:
    values = known.values()
    stamps = array("q")
    for entry in values:
        stamps.extend(entry.stamp if entry.stamp is not None else (NO_STAMP, 0, 0))
    diagnostics = {i: entry.diagnostics for i, entry in enumerate(values) if entry.diagnostics}
    return list(known), [e.digest for e in values], [e.shape for e in values], stamps, diagnostics


def _unpacked(packed: Any) -> dict[str, Known]:
    if not packed:
        return {}
    paths, digests, shapes, stamps, diagnostics = packed
    columns = iter(stamps)
    triples = [None if stamp[0] == NO_STAMP else stamp for stamp in zip(columns, columns, columns, strict=True)]
    found = [diagnostics.get(i, ()) for i in range(len(paths))] if diagnostics else [()] * len(paths)
    return dict(zip(paths, map(Known._make, zip(triples, digests, shapes, found, strict=True)), strict=True))
