"""Parsing every source: the new and changed ones parsed (on every core), the rest known by their shape.

A parse result is a pure function of a source's path and text, kept in the
parse cache by (path, digest). The model is built from parse results with
their bodies' HTML and text taken out (they wait in the body store), so it
is a function of each source's *shape*: everything about it but that HTML
and text. An edit to the wording of a body changes no shape, and the model
memoised under the shapes' digest is the last build's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.parsed import Parsed
from ..content.sources import Source
from ..diagnostics import Diagnostic
from . import cache, memory, workers
from .bodystore import strip
from .known import Known
from .project import Cache
from .reading import Sources

Result = Parsed | Diagnostic


@dataclass(frozen=True)
class ParsedSources:
    """Every source's shape and diagnostics; the parse results themselves are read when the model needs them."""

    shapes: dict[str, bytes]  # path → shape, b"" for a source that is no document
    digests: dict[str, str]
    fresh: dict[str, Result]  # parsed this build
    known: dict[str, Known]  # the record to keep for the next build
    diagnostics: tuple[Diagnostic, ...]

    def documents(self, store: Cache) -> list[Parsed]:
        """Every document's parse result, in path order: fresh ones, then warm ones, then from the cache folder."""
        found = []
        for path in sorted(self.shapes):
            if not self.shapes[path]:
                continue
            fresh = self.fresh.get(path)
            key = (path, self.digests[path])
            result = fresh if fresh is not None else store.parsed.get(key) or store.parse.get(key)
            if not isinstance(result, Parsed):
                raise cache_missing(path)
            store.parsed[key] = result
            found.append(result)
        return found

    @property
    def unreadable(self) -> frozenset[str]:
        return frozenset(path for path, shape in self.shapes.items() if not shape)


def cache_missing(path: str) -> RuntimeError:
    return RuntimeError(
        f"{path}: its parse result is no longer in {cache.FOLDER}/ (deleted during the build?); build again"
    )


def parse_all(sources: Sources, store: Cache, jobs: int, tick: workers.Tick | None = None) -> ParsedSources:
    """Parse the sources read this build (in parallel when there are many), and take the rest as recorded.

    The texts are handed over: `sources.texts` is emptied, and they are let go once the workers have parsed
    them, before their results are taken in. On a cold build they are as large as the archive (160 MB at ten
    thousand papers); kept, every worker forked later would carry them, and let go any later, they would leave
    holes among the results that the rest of the build fills, slowly (the leak check a third slower).
    """
    texts = sorted(sources.texts.values(), key=lambda s: s.path)
    sources.texts.clear()
    fresh = _parse(texts, list(sources.digests), store, jobs, tick)
    shapes: dict[str, bytes] = {}
    known: dict[str, Known] = {}
    diagnostics: list[Diagnostic] = []
    for path, digest in sources.digests.items():
        if path in fresh:
            result = fresh[path]
            shape = result.shape if isinstance(result, Parsed) else b""
            found = result.diagnostics if isinstance(result, Parsed) else (result,)
            known[path] = Known(sources.stamps.get(path), digest, shape, found)
        else:
            known[path] = sources.known[path]
        shapes[path] = known[path].shape
        diagnostics += known[path].diagnostics
    if store.save:
        gone = store.sources.known.keys() - sources.digests.keys()
        store.sources.replace(known)
        store.parse.keep_only({(path, digest) for path, digest in sources.digests.items()}, [*fresh, *gone])
        store.parse.save()
    return ParsedSources(shapes, dict(sources.digests), fresh, known, tuple(diagnostics))


def _parse(
    texts: list[Source], paths: Sequence[str], store: Cache, jobs: int, tick: workers.Tick | None
) -> dict[str, Result]:
    """Parse results of `texts` (emptied once parsed): warm ones from memory, the rest parsed in groups by shard.

    A group that is a shard's whole content (as in a cold build) is saved by the worker that parsed it, bodies
    in the attachment; it sends back the stripped results it pickled for that, which this process adopts.
    """
    results: dict[str, Result] = {}
    todo = []
    for source in texts:
        warm = store.parsed.get((source.path, source.digest))
        if warm is not None:
            results[source.path] = warm
        else:
            todo.append(source)
    groups = _shard_groups(store, paths, todo)
    files = [store.parse.stores[index].path if whole and store.save else None for index, _, whole in groups]
    task = lambda g: _parse_group(groups[g][1], files[g])  # noqa: E731 - runs in the forked workers
    made = workers.run(task, len(groups), jobs, tick, [len(group) for _, group, _ in groups])
    for _, group, _ in groups:  # parsed: the texts go, before their results come in
        group[:] = [Source(source.path, "", source.digest) for source in group]
    texts.clear()
    todo.clear()
    memory.give_back()
    for (index, group, whole), (pickled, saved, bodies) in zip(groups, made, strict=True):
        shard = store.parse.stores[index]
        values = shard.adopt(pickled, store.save and not saved) if whole else pickle.loads(pickled)[1]
        for source in group:
            key = (source.path, source.digest)
            result = results[source.path] = values[key]
            if not whole:
                shard.put(key, result)
            if key in bodies:
                _keep_body(store, shard, key, bodies[key], saved)
            if isinstance(result, Parsed):
                store.parsed[key] = result
    return results


def _keep_body(store: Cache, shard: cache.Store, key: tuple[str, str], body: bytes, saved: bool) -> None:
    """A body the worker did not save with its shard: in the shard's attachment, or in memory when nothing is."""
    if store.save and not saved:
        shard.attach(key, body)
    if not store.save or not saved:
        store.bodies[key] = pickle.loads(body)


def _shard_groups(store: Cache, paths: Sequence[str], todo: list[Source]) -> list[tuple[int, list[Source], bool]]:
    """The sources to parse grouped by the cache shard they go in, largest group first, each marked when it is
    the shard's whole content (every source of the project that goes there, as in a cold build), so the
    worker's pickled result can be saved as it is."""
    counts: dict[int, int] = {}
    for path in paths:
        index = store.parse.index((path, ""))
        counts[index] = counts.get(index, 0) + 1
    groups: dict[int, list[Source]] = {}
    for source in todo:
        groups.setdefault(store.parse.index((source.path, "")), []).append(source)
    ordered = sorted(groups.items(), key=lambda item: -sum(len(s.text) for s in item[1]))
    return [(index, group, len(group) == counts[index]) for index, group in ordered]


def _parse_group(sources: list[Source], shard: object) -> tuple[bytes, bool, dict[tuple[str, str], bytes]]:
    """Parse sources and pickle the stripped results as a cache store: the one pickling their journey back needs.

    Given the file of the shard they make up, save them there with their bodies attached and send back no bodies
    (True); otherwise, or when the file cannot be written, send the bodies back, each pickled (False).
    """
    parsed = {(source.path, source.digest): parse_one(source) for source in sources}
    stripped, bodies = {}, {}
    for key, value in parsed.items():
        stripped[key], body = strip(value) if isinstance(value, Parsed) else (value, None)
        if body is not None:
            bodies[key] = pickle.dumps(body, protocol=5)
    pickled = cache.pickled_store(stripped)
    if shard is not None and cache.write_store(shard, pickled, bodies):  # type: ignore[arg-type]
        return pickled, True, {}
    return pickled, False, bodies


def parse_one(source: Source) -> Result:
    """Parse, then let go of the source text: no later stage reads it, and it is as large as the archive."""
    from ..content import parse  # the parser (Markdown, YAML, highlighting) is loaded by a build that parses

    value = parse.parse(source)
    if isinstance(value, Parsed):
        return dataclasses.replace(value, source=Source(source.path, "", source.digest), shape=shape(value))
    return value


def shape(parsed: Parsed) -> bytes:
    """Everything about a parsed source but its body's HTML and plain text, which only pages and the leak check read.

    Assembly, the gate, link resolution and planning never read those two, so sources with the same shapes make
    the same model (see build.model).
    """
    body = dataclasses.replace(parsed.body, html="", text="", stored=None)
    # Pickled bytes rather than a digest's walk (a tenth of the cost): equal bytes mean equal values, and the
    # rare equal values pickled differently (shared strings, say) only cost a model made again.
    shaped = (
        parsed.source.path,
        parsed.kind,
        parsed.parts,
        parsed.record,
        body,
        parsed.diagnostics,
        parsed.resolutions,
        parsed.agenda_unreadable,
    )
    return hashlib.blake2b(pickle.dumps(shaped, protocol=5), digest_size=20).digest()
