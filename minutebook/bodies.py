"""Bodies kept out of memory: a build's model holds each Markdown body's HTML and text only in the cache.

They are most of an archive's model (350 MB of 700 at ten thousand
papers) yet each is read by a page or two. A cold build's parse workers
therefore save them in the parse cache shard beside the parsed source (as
the shard file's attachment, one pickle per body) and send back the rest;
the body left in the model names its source and digest (`Rendered.stored`).
Whoever shows a body, a render worker mostly, reads it back with `html`,
`text` or `full`, a shard at a time: pages are rendered in shard order, so
each worker reads each shard about once.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .markdown import Rendered

if TYPE_CHECKING:
    from .assemble import Parsed

SHARD_NAME = "parse-{:02d}"  # the parse cache's shards (incremental.parse_all), whose attachments hold the bodies
KEPT = 2  # shards kept read in each process: one being rendered, one for the page that strays


class MissingBody(RuntimeError):
    """A body the model names is no longer in the cache folder (deleted during the build)."""


_root: Path | None = None
_shards: OrderedDict[int, dict[Any, bytes]] = OrderedDict()


def use(root: Path) -> bool:
    """Read bodies from this project's cache folder from now on; True when that is a change of project."""
    global _root
    if _root == root:
        return False
    _root = root
    _shards.clear()
    return True


def strip(parsed: Parsed) -> tuple[Parsed, bytes | None]:
    """The parse result without its body's HTML and text, and those two pickled (None when there are none)."""
    body = parsed.body
    if not body.html and not body.text:
        return parsed, None
    stored = dataclasses.replace(body, html="", text="", stored=(parsed.source.path, parsed.source.digest))
    return dataclasses.replace(parsed, body=stored), pickle.dumps((body.html, body.text), protocol=5)


def html(rendered: Rendered) -> str:
    return rendered.html if rendered.stored is None else _read(rendered.stored)[0]


def text(rendered: Rendered) -> str:
    return rendered.text if rendered.stored is None else _read(rendered.stored)[1]


def full(rendered: Rendered) -> Rendered:
    """The body with its HTML and text, read back when they were stored."""
    if rendered.stored is None:
        return rendered
    body_html, body_text = _read(rendered.stored)
    return dataclasses.replace(rendered, html=body_html, text=body_text, stored=None)


def _read(key: tuple[str, str]) -> tuple[str, str]:
    index = cache.shard_of(key[0])
    for fresh in (False, True):  # a shard read before it was saved again (by a body-only edit) is read once more
        shard = _shard(index, fresh)
        if key in shard:
            return pickle.loads(shard[key])
    raise MissingBody(f"{key[0]}: its parsed text is no longer in {cache.FOLDER}/; build again")


def _shard(index: int, fresh: bool) -> dict[Any, bytes]:
    if fresh or index not in _shards:
        if _root is None:
            raise MissingBody("no cache folder to read bodies from")
        _shards[index] = cache.Store(_root, SHARD_NAME.format(index)).attachment()
        while len(_shards) > KEPT:
            _shards.popitem(last=False)
    _shards.move_to_end(index)
    return _shards[index]
