"""What each page's planning read last time, so a build plans again only the pages whose reads changed.

A trace is kept compact because an archive's pages make hundreds of
thousands of reads, most of them the same few (a committee, the status of a
popular decision): every distinct read is kept once, with the digest of what
it found, and each page holds the numbers of its reads. A build digests each
distinct read once against its own model; a page is stale when one of its
reads is among those that changed. Traces are only comparable within one
frame (engine, templates, settings, day): any other frame plans everything.
"""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..site.outputs import Recipe
from ..site.reads import Read

P = TypeVar("P")  # a planned page (build.plan.Planned)
Found = Callable[[list[Read]], bytes]  # the digests of what reads find in this build's model, one after another
Fresh = tuple[P, bytes, bytes]  # a page planned in this build, its reads (pickled), the digests of what they found
DIGEST = 12  # bytes of each read's digest: enough to tell values apart, small enough for 100,000s of reads


@dataclass
class Traces(Generic[P]):
    frame: bytes = b""
    reads: list[Read] = field(default_factory=list)  # every distinct read a page made
    found: list[bytes] = field(default_factory=list)  # what each found when last read
    pages: dict[Recipe, tuple[P, bytes]] = field(default_factory=dict)  # page → (its Planned, its reads' numbers)


@dataclass
class Check(Generic[P]):
    """The earlier traces held against this build's model: which reads now find something else."""

    earlier: Traces[P]
    changed: set[int]

    @classmethod
    def of(cls, earlier: Traces[P] | None, frame: bytes, found: Found) -> Check[P]:
        if earlier is None or earlier.frame != frame:
            return cls(Traces(frame), set())
        digests = found(earlier.reads)
        now = [digests[n : n + DIGEST] for n in range(0, len(digests), DIGEST)]
        changed = {n for n, (was, is_) in enumerate(zip(earlier.found, now, strict=True)) if was != is_}
        return cls(Traces(frame, earlier.reads, now, earlier.pages), changed)

    def kept(self, recipe: Recipe) -> P | None:
        """The page planned last time, when none of its reads changed; None when it must be planned again."""
        entry = self.earlier.pages.get(recipe)
        if entry is None or not self.changed.isdisjoint(array("I", entry[1])):
            return None
        return entry[0]

    def after(self, recipes: Sequence[Recipe], pages: Sequence[P], fresh: dict[Recipe, Fresh[P]]) -> Traces[P]:
        """The traces to keep for the next build: the kept pages' as they were, the fresh pages' as just read."""
        table = self.earlier
        reads, found = list(table.reads), list(table.found)
        number = {read: n for n, read in enumerate(reads)} if fresh else {}
        kept: dict[Recipe, tuple[P, bytes]] = {}
        for recipe, page in zip(recipes, pages, strict=True):
            if recipe not in fresh:
                kept[recipe] = table.pages[recipe]
                continue
            ids = array("I")
            _, pickled, digests = fresh[recipe]
            for n, read in enumerate(pickle.loads(pickled)):
                if read not in number:
                    number[read] = len(reads)
                    reads.append(read)
                    found.append(digests[n * DIGEST : (n + 1) * DIGEST])
                ids.append(number[read])
            kept[recipe] = (page, ids.tobytes())
        return _compacted(Traces(table.frame, reads, found, kept))


def _compacted(traces: Traces[P]) -> Traces[P]:
    """The same traces without reads no page makes any more (a deleted paper's), once they are a quarter."""
    used: set[int] = set()
    for _, ids in traces.pages.values():
        used.update(array("I", ids))
    if len(used) >= 0.75 * len(traces.reads):
        return traces
    order = sorted(used)
    renumber = {old: new for new, old in enumerate(order)}
    pages = {
        recipe: (page, array("I", (renumber[n] for n in array("I", ids))).tobytes())
        for recipe, (page, ids) in traces.pages.items()
    }
    return Traces(traces.frame, [traces.reads[n] for n in order], [traces.found[n] for n in order], pages)
