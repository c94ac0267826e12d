"""Public documents described: each one's key (the digest of its pickle) and the bodies it shows.

The leak check remembers what each public document says under its key
(minutebook.build.public), so the key must change whenever anything in the
document does, and only then; a body's text is in the body store, not the
model, so the bodies a document shows are noted while it is pickled.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

from ..content.body import Rendered
from . import workers

KEYS_PER_TASK = 2048  # public documents pickled per task


@dataclasses.dataclass(frozen=True)
class PublicDocument:
    """A public document as the leak check remembers it with the model: a key that changes whenever anything in
    its model value does, the sources of the bodies it shows (their text is in the body store, not the model),
    and its own source ("" for one that has none, such as the list of committees)."""

    key: bytes
    bodies: tuple[str, ...]
    source: str = ""


def public_documents(public: list[object], jobs: int = 1) -> list[PublicDocument]:
    """Each public document's key, the digest of its pickle, and the bodies it shows, noted while it is pickled.

    Equal pickles are equal documents, so a key never hides a change; pickling runs in C, several times
    faster than walking each document, and on every core. A model's documents are remembered with it."""
    groups = [public[start : start + KEYS_PER_TASK] for start in range(0, len(public), KEYS_PER_TASK)]
    task = lambda i: Describer().described(groups[i])  # noqa: E731
    return [d for described in workers.run(task, len(groups), jobs, sizes=[len(g) for g in groups]) for d in described]


class Describer:
    """One pickler for many documents (each pickled on its own), noting the source of every stored body it
    pickles; a body is reduced as pickle reduces it."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.pickler = pickle.Pickler(self.buffer, pickle.HIGHEST_PROTOCOL)
        self.pickler.dispatch_table = {**copyreg.dispatch_table, Rendered: self._rendered}
        self.bodies: list[str] = []

    def described(self, documents: list[object]) -> list[PublicDocument]:
        return [self._one(document) for document in documents]

    def _one(self, document: object) -> PublicDocument:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.pickler.clear_memo()
        self.bodies.clear()
        self.pickler.dump(document)
        with self.buffer.getbuffer() as pickled:
            key = hashlib.sha256(pickled).digest()
        source = getattr(document, "source", "")
        return PublicDocument(key, tuple(dict.fromkeys(self.bodies)), source if isinstance(source, str) else "")

    def _rendered(self, body: Rendered) -> Any:
        if body.stored is not None:
            self.bodies.append(body.stored)
        return body.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def model_text(document: object) -> str:
    """Every string in a public document's model value, keys included, joined by \0 (which ends a phrase as the
    end of a text does); a stored body counts without its HTML and text, which are searched on their own."""
    return "\x00".join(texts(document))


def texts(value: object) -> Iterator[str]:
    """Every string in a model value, keys included; a stored body's HTML and text are not read."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif type(value) is Rendered and value.stored is not None:
            stack.append(dataclasses.replace(value, stored=None))  # its own fields, not where its text is kept
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
        elif isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (tuple, list, set, frozenset)):
            stack.extend(value)
