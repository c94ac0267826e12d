"""Stage results remembered by the digest of what the stage was given: principle 3, for whole stages.

A stage whose inputs have the same digest as last time gives the same
result, so the result is taken as it is — from memory in a long-lived
preview, else from the cache folder, and then only when a later stage
actually reads it (`Lazy`): a build in which nothing changed never loads
the model at all. A result is written to the cache folder by a process of
its own while the build goes on (`settle` waits for it).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import workers
from .cache import Store

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value made or loaded the first time it is read."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make: Callable[[], T] | None = make
        self._value: T | None = None

    @classmethod
    def of(cls, value: T) -> Lazy[T]:
        made = cls(lambda: value)
        made._value, made._make = value, None
        return made

    @property
    def value(self) -> T:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value  # type: ignore[return-value]

    @property
    def ready(self) -> bool:
        """Already made or loaded: reading it costs nothing."""
        return self._make is None


class Memos:
    """The last result of each memoised stage, by its inputs' digest: kept in memory, and saved unless told not to."""

    def __init__(self, root: Path, *, save: bool = True) -> None:
        self.root, self.save = root, save
        self._warm: dict[str, tuple[bytes, object]] = {}
        self._kept: dict[str, bytes | workers.Background | None] = {}
        self._saving: list[workers.Background] = []

    def stage(
        self, name: str, key: bytes, make: Callable[[], T], note: Callable[[T], Any] = lambda value: None
    ) -> tuple[Lazy[T], Any]:
        """The stage's result for `key` (lazily, when remembered), and `note` of it.

        The key is kept in a small store of its own with the note (a few facts the build needs whether or not
        it reads the result, such as its diagnostics), so knowing that a result is remembered never loads it;
        the result's store repeats its key, so a build stopped between saving the two cannot pair them wrongly.
        """
        warm = self._warm.get(name)
        if warm is not None and warm[0] == key:
            return Lazy.of(warm[1]), note(warm[1])  # type: ignore[arg-type]
        remembered = Store(self.root, f"memo-{name}-key")
        if remembered.get("key") == key:
            return Lazy(lambda: self._load(name, key, make, note)), remembered.get("note")
        value = self._made(name, key, make(), note)
        return Lazy.of(value), note(value)

    def _load(self, name: str, key: bytes, make: Callable[[], T], note: Callable[[T], Any]) -> T:
        stored = Store(self.root, f"memo-{name}")
        if stored.get("key") != key:  # the pair was broken (a stopped build): make it again
            return self._made(name, key, make(), note)
        return self._keep(name, key, stored.get("value"))

    def _made(self, name: str, key: bytes, value: T, note: Callable[[T], Any]) -> T:
        self._keep(name, key, value)
        if self.save:
            stores = (
                (f"memo-{name}", {"key": key, "value": value}),
                (f"memo-{name}-key", {"key": key, "note": note(value)}),
            )
            self._saving.append(workers.Background(lambda: _save(self.root, stores), yielding=True))
        return value

    def settle(self) -> None:
        """Wait until every result made in this build is in the cache folder (or failed to be: a build stopped
        half way through saving one is never trusted, see `stage`)."""
        while self._saving:
            self._saving.pop(0).wait()

    def _keep(self, name: str, key: bytes, value: T) -> T:
        self._warm[name] = (key, value)
        return value

    def last(self, name: str) -> Any:
        """The value last kept under `name` (`keep`), whatever it was made from; None when there is none."""
        if name not in self._kept:
            self._kept[name] = Store(self.root, f"kept-{name}").get("value")
        kept = self._kept[name]
        if isinstance(kept, workers.Background):  # kept by this process's last build: pickled by then, or soon
            made = kept.result() if kept.wait() else None
            kept = self._kept[name] = made if isinstance(made, bytes) else None
        return pickle.loads(kept) if isinstance(kept, bytes) else None

    def keep(self, name: str, value: object) -> None:
        """Keep `value` for the next build: pickled by a process of its own while this build goes on (an archive's
        traces cost a quarter of a second), saved to the cache folder unless told not to, and held here pickled:
        a value kept for the next build need not weigh on this one's workers as objects."""
        root, save = self.root, self.save

        def pickled() -> bytes:
            made = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            if save:
                store = Store(root, f"kept-{name}")
                store.replace({"value": made})
                store.save()
            return made

        self._kept[name] = kept = workers.Background(pickled, yielding=True)
        self._saving.append(kept)


def _save(root: Path, stores: tuple[tuple[str, dict[str, Any]], ...]) -> None:
    """The result's store, then its key's: a key is never saved before the result it names."""
    for name, data in stores:
        store = Store(root, name)
        store.replace(data)
        store.save()
