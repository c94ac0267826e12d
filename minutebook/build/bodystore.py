"""The body store: every Markdown body's HTML and plain text, kept out of the model and read where shown.

Bodies are most of an archive's model (350 MB of 700 at ten thousand
papers) yet each is shown by a page or two. The parse stage keeps them in
the parse cache's shards (the shard file's attachment, one pickle per body)
or, when they could not be saved, in the cache's memory; the model's bodies
only name their source (`Rendered.stored`). A store is made per build with
the digest of every source's text, so it always reads the current version;
render workers read bodies a shard at a time (pages are rendered in shard
order), keep the last two shards read, and read a body of another shard
alone.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..content.body import Rendered
from .cache import FOLDER, Shards, Store, shard_of

KEPT = 2  # shards kept read in each process: one being rendered, one for the page that strays


class MissingBody(RuntimeError):
    """A body the model names is no longer in the cache folder (deleted during the build)."""


class BodyStore:
    """The bodies of one build's sources, by path."""

    def __init__(
        self, root: Path, digests: Mapping[str, str], in_memory: Mapping[tuple[str, str], tuple[str, str]]
    ) -> None:
        self.root, self.digests, self.in_memory = root, digests, in_memory
        self._shards: OrderedDict[int, dict[Any, bytes]] = OrderedDict()
        self._alone: set[int] = set()  # shards a body was read from alone since one was read whole
        self._stores: dict[int, Store] = {}  # each knows where its bodies are in its file

    def html(self, source: str) -> str:
        return self._read(source)[0]

    def text(self, source: str) -> str:
        return self._read(source)[1]

    def html_of(self, rendered: Rendered) -> str:
        return rendered.html if rendered.stored is None else self.html(rendered.stored)

    def text_of(self, rendered: Rendered) -> str:
        return rendered.text if rendered.stored is None else self.text(rendered.stored)

    def full(self, rendered: Rendered) -> Rendered:
        """The body with its HTML and text, read back when they are stored."""
        if rendered.stored is None:
            return rendered
        html, text = self._read(rendered.stored)
        return dataclasses.replace(rendered, html=html, text=text, stored=None)

    def _read(self, source: str) -> tuple[str, str]:
        key = (source, self.digests.get(source, ""))
        if key in self.in_memory:
            return self.in_memory[key]
        index = shard_of(source, Shards.COUNT)
        for fresh in (False, True):  # a shard read before this build saved it again is read once more
            found = self._entry(index, key, fresh)
            if found is not None:
                body: tuple[str, str] = pickle.loads(found)
                return body
        raise MissingBody(f"{source}: its parsed text is no longer in {FOLDER}/; build again")

    def _entry(self, index: int, key: tuple[str, str], fresh: bool) -> bytes | None:
        """A body, pickled. Read alone from a shard not kept (an agenda pack shows the last meeting's minutes,
        from another shard); a shard asked for twice since the last one read whole is read whole and kept,
        since pages are rendered in shard order and the next pages read it too."""
        if not fresh and index not in self._shards and index not in self._alone:
            self._alone.add(index)
            return self._store(index).attached(key)
        return self._shard(index, fresh).get(key)

    def _store(self, index: int) -> Store:
        """The shard's store, to read bodies from alone (it checks its file is the one it indexed)."""
        if index not in self._stores:
            self._stores[index] = Store(self.root, f"parse-{index:02d}")
        return self._stores[index]

    def _shard(self, index: int, fresh: bool) -> dict[Any, bytes]:
        if fresh or index not in self._shards:
            self._shards[index] = Store(self.root, f"parse-{index:02d}").attachment()
            self._alone.clear()
            while len(self._shards) > KEPT:
                self._shards.popitem(last=False)
        self._shards.move_to_end(index)
        return self._shards[index]


def strip(parsed: Any) -> tuple[Any, tuple[str, str] | None]:
    """A parse result without its body's HTML and text, and those two (None when there are none)."""
    body: Rendered = parsed.body
    if not body.html and not body.text:
        return parsed, None
    stored = dataclasses.replace(body, html="", text="", stored=parsed.source.path)
    return dataclasses.replace(parsed, body=stored), (body.html, body.text)
