"""What one page's planning read from the published site, recorded where every read passes.

The planner hands page code the published site, its links and its own
indexes only as `Recorded` mappings, so every lookup (`papers[id]`,
`backlinks.get(key)`, `key in minutes`) and every walk over a whole mapping
is noted as (mapping, key) while a page is being planned. A page whose reads
all give what they gave last time plans to the same page (planning is a pure
function of what it reads), so it need not be planned again: see
minutebook.build.plan. Nothing lists by hand what a page depends on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


@dataclass(frozen=True)
class Whole:
    """The key of a read of a whole mapping: every key and value, in order."""


ALL = Whole()
Read = tuple[str, Any]  # (mapping name, key or ALL)


class Reads:
    """The reads of the page being planned (none are kept between pages or outside one)."""

    def __init__(self) -> None:
        self.current: list[Read] | None = None

    def note(self, name: str, key: Any) -> None:
        if self.current is not None:
            self.current.append((name, key))

    @contextmanager
    def recording(self) -> Iterator[list[Read]]:
        """Record the reads made inside the block (a block inside another records for both)."""
        outer, self.current = self.current, []
        inner = self.current
        try:
            yield inner
        finally:
            self.current = outer
            if outer is not None:
                outer.extend(inner)

    def once(self, kept: dict[Any, tuple[T, tuple[Read, ...]]], key: Any, make: Callable[[], T]) -> T:
        """`make()` worked out once per build for `key`; every page that uses it is noted as reading what it read."""
        if key not in kept:
            with self.recording() as reads:
                value = make()
            kept[key] = (value, tuple(reads))
            return value
        value, earlier = kept[key]
        if self.current is not None:
            self.current.extend(earlier)
        return value


class Recorded(Mapping[K, V]):
    """A read-only view of a mapping that notes every read in `reads` under this mapping's name."""

    def __init__(self, name: str, data: Mapping[K, V], reads: Reads) -> None:
        self.name, self.data, self.reads = name, data, reads

    def __getitem__(self, key: K) -> V:
        if (current := self.reads.current) is not None:  # the busiest lines of planning: no call to note
            current.append((self.name, key))
        return self.data[key]

    def get(self, key: K, default: Any = None) -> Any:
        if (current := self.reads.current) is not None:
            current.append((self.name, key))
        return self.data.get(key, default)

    def __contains__(self, key: object) -> bool:
        if (current := self.reads.current) is not None:
            current.append((self.name, key))
        return key in self.data

    def __iter__(self) -> Iterator[K]:
        self.reads.note(self.name, ALL)
        return iter(self.data)

    def __len__(self) -> int:
        self.reads.note(self.name, ALL)
        return len(self.data)

    def keys(self) -> KeysView[K]:
        self.reads.note(self.name, ALL)
        return self.data.keys()

    def values(self) -> ValuesView[V]:
        self.reads.note(self.name, ALL)
        return self.data.values()

    def items(self) -> ItemsView[K, V]:
        self.reads.note(self.name, ALL)
        return self.data.items()
