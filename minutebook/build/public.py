"""What public documents say: the leak check's other side (minutebook.build.phrases finds what is withheld).

A withheld phrase found in the output is no leak when a public document
says it too. Searching every public text is the costly part of the check,
so answers are remembered between builds in the cache folder, each under
the digest of what it depends on (`SaidInPublic`), and the document that
said a phrase found in the output is noted as the first place to look the
next time it is found (`SaidInPublic.vouched`).
"""

from __future__ import annotations

import array
import hashlib
import html
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

from . import cache, scan, workers
from .bodystore import BodyStore
from .describe import Describer, PublicDocument, model_text
from .digest import digest

SCAN_BATCH = 64  # documents per task when the search of public text is spread over processes


class SaidInPublic:
    """Which withheld phrases each public document says, remembered between builds in the cache folder.

    A document is searched in two parts, each answer kept under the digest of what it depends on: what its
    model value says (under the document's key, `PublicDocument`), and what each body it shows says (under the
    body's source and the digest of its text). An edit to a paper's wording searches that one body, and needs
    neither the model nor its split; an edit to a title searches that one document. Without a cache folder
    (`check`, tests) everything is searched.
    """

    def __init__(self, store: BodyStore, root: Path | None = None, jobs: int = 1, model: bytes = b"") -> None:
        """`model`: the key of the model the public documents are of, under which `vouchers` keeps those asked."""
        self.bodies, self.jobs = store, jobs
        self.store = cache.Store(root, "leakcheck") if root is not None else None
        self.vouchers = Vouchers(root, model)

    def said_by(
        self,
        searcher: scan.Searcher,
        documents: list[PublicDocument],
        public: Callable[[], list[object]],
        wanted: Collection[str],
    ) -> dict[str, str]:
        """Those of `wanted` that any public document says, each with the source of a part saying it.

        Every phrase of `searcher` (scan.automaton) is asked about, not just those wanted: the same question
        each build, so the answers of unchanged documents are remembered. `documents` describe the public
        documents (public_documents); `public` gives the documents themselves, asked for only when the model
        part of one must be searched. The sources named are those of the parts that say the most of the wanted
        phrases, so the next build, asking them first (`vouched`), asks few documents.
        """
        sources, found = self._find(searcher, list(searcher.phrases), documents, public)
        asked = set(wanted)
        numbers = {n: phrase for n, phrase in enumerate(searcher.phrases) if phrase in asked}
        by: dict[str, str] = {}
        # the parts that say the most first, those with a source before those without (an exempt item's title)
        for i in sorted(range(len(found)), key=lambda i: (not sources[i], -len(found[i]))):
            if len(by) == len(numbers):
                break
            for n in numbers.keys() & array.array("I", found[i]):
                by.setdefault(numbers[n], sources[i])
        chosen = set(by.values())
        self.vouchers.note(by, [d for d in documents if d.source in chosen])
        return by

    def vouched(self, searcher: scan.Searcher, wanted: Collection[str], public: list[object] | None) -> dict[str, str]:
        """Those of `wanted` that the public document which said them when last found says again, with its source.

        Asked first: the whole question describes every public document (a second on an archive) after any
        edit to the model, when the same few documents said the phrases last time. Only where to look is
        remembered. Which documents are public, and what they say, are this build's: `public` (split.public),
        when the model was divided, else the documents an earlier build of this very model described. A part
        is answered as the whole question answers it: remembered under its key, else searched (a model part
        only when its value is at hand).
        """
        hinted = self.vouchers.hinted(wanted)
        if not hinted:  # a cold build, or only new phrases: nothing to ask first
            return {}
        values = None if public is None else _by_source(public, hinted.keys())
        searched_for, position = _question(list(searcher.phrases))
        confirmed: dict[str, str] = {}
        described: list[PublicDocument] = []
        for source in sorted(hinted, key=cache.shard_of):  # bodies read a cache shard at a time
            numbers = {position[phrase]: phrase for phrase in hinted[source] if phrase in position}
            for document, value in self._documents(source, values):
                described.append(document)
                for n in self._says_now(searcher, searched_for, position, document, value):
                    if n in numbers:
                        confirmed[numbers[n]] = source
        self.vouchers.note(confirmed, described)
        if self.store is not None:
            self.store.save()  # the answers of parts searched here, for the whole question
        return confirmed

    def _documents(
        self, source: str, values: Mapping[str, list[object]] | None
    ) -> list[tuple[PublicDocument, object | None]]:
        """The public documents of one source, described, with their values when the model was divided (`values`,
        by source), else as an earlier build of this model described them."""
        if values is None:
            return [(document, None) for document in self.vouchers.documents(source)]
        found = values.get(source, [])
        return list(zip(Describer().described(found), found, strict=True))

    def _says_now(
        self,
        searcher: scan.Searcher,
        searched_for: bytes,
        position: Mapping[str, int],
        document: PublicDocument,
        value: object | None,
    ) -> Iterator[int]:
        """The candidates one public document says (model value and bodies), by their positions in `position`."""
        parts: list[tuple[bytes, Callable[[], str] | None]] = [
            (self._part(searched_for, b"model", document.key), None if value is None else lambda: model_text(value)),
            *(
                (self._part(searched_for, b"body", self._body_key(body)), lambda body=body: self._body_text(body))
                for body in document.bodies
            ),
        ]
        for key, text in parts:
            packed = self.store.get(key) if self.store is not None else None
            if packed is None and text is not None:
                packed = _pack(position, _says(searcher, text()))
                if self.store is not None:
                    self.store.put(key, packed)
            yield from array.array("I", packed or b"")

    def _find(
        self,
        searcher: scan.Searcher,
        candidates: list[str],
        documents: list[PublicDocument],
        public: Callable[[], list[object]],
    ) -> tuple[list[str], list[bytes]]:
        """For each document's model value and each body shown: its source, and the candidates it says as their
        positions in `candidates`, packed (every copy of every phrase sent back from the workers would otherwise
        stay in memory)."""
        searched_for, position = _question(candidates)
        bodies = sorted({source for document in documents for source in document.bodies}, key=cache.shard_of)
        parts: list[tuple[bytes, int | str]] = [
            *((self._part(searched_for, b"model", d.key), n) for n, d in enumerate(documents)),
            *((self._part(searched_for, b"body", self._body_key(source)), source) for source in bodies),
        ]
        found: list[bytes | None] = [self.store.get(key) if self.store else None for key, _ in parts]
        missing = [i for i, hit in enumerate(found) if hit is None]
        values = public() if any(isinstance(parts[i][1], int) for i in missing) else []

        def search(i: int) -> bytes:
            part = parts[i][1]
            text = model_text(values[part]) if isinstance(part, int) else self._body_text(part)
            return _pack(position, _says(searcher, text))

        batches = [missing[i : i + SCAN_BATCH] for i in range(0, len(missing), SCAN_BATCH)]
        searched = workers.run(lambda b: [search(i) for i in batches[b]], len(batches), self.jobs)
        for i, hit in zip(missing, (hit for batch in searched for hit in batch), strict=True):
            found[i] = hit
        if self.store is not None:
            self.store.replace({key: hit for (key, _), hit in zip(parts, found, strict=True)})
            self.store.save()
        sources = [documents[part].source if isinstance(part, int) else part for _, part in parts]
        return sources, found  # type: ignore[return-value]

    def _body_key(self, source: str) -> bytes:
        return f"{source}\0{self.bodies.digests.get(source, '')}".encode("utf-8", "surrogatepass")

    @staticmethod
    def _part(searched_for: bytes, kind: bytes, key: bytes) -> bytes:
        return hashlib.blake2b(searched_for + kind + b"\0" + key, digest_size=20).digest()

    def _body_text(self, source: str) -> str:
        """A stored body's HTML and text, apart (\0 ends a phrase as the end of a text does)."""
        return self.bodies.html(source) + "\x00" + self.bodies.text(source)


class Vouchers:
    """Where the leak check looks first, kept in the cache folder: for each phrase found in the output, the source
    of a public document that said it; and the public documents of those sources, described under the model of
    the build that last asked them (by its key), so a later build of that model asks them without dividing it."""

    def __init__(self, root: Path | None, model: bytes) -> None:
        self.store = cache.Store(root, "leakcheck-vouchers") if root is not None else None
        self.model = model
        self.by: dict[str, str] = {}  # phrase → source, found in this build
        self.described: dict[str, list[PublicDocument]] = {}  # source → its public documents, in this build

    def hinted(self, wanted: Collection[str]) -> dict[str, list[str]]:
        """The phrases of `wanted` a document vouched for when last found, by the source of that document."""
        known: Mapping[str, str] = self.store.get("phrases", {}) if self.store is not None else {}
        hinted: dict[str, list[str]] = {}
        for phrase in wanted:
            if source := known.get(phrase):
                hinted.setdefault(source, []).append(phrase)
        return hinted

    def documents(self, source: str) -> list[PublicDocument]:
        """The public documents of `source` under this build's model, when a build of it described them."""
        if self.store is None or self.store.get("model") != self.model:
            return []
        return list(self.store.get("documents", {}).get(source, ()))

    def note(self, by: Mapping[str, str], described: list[PublicDocument]) -> None:
        """Where phrases were found in this build, and every public document of the sources described."""
        self.by.update({phrase: source for phrase, source in by.items() if source})
        grouped: dict[str, list[PublicDocument]] = {}
        for document in described:
            grouped.setdefault(document.source, []).append(document)
        self.described.update(grouped)

    def save(self, candidates: Collection[str], asked: Collection[str]) -> None:
        """Keep what this build found, and what earlier builds found of the phrases still withheld it did not ask."""
        if self.store is None:
            return
        phrases = {p: s for p, s in self.store.get("phrases", {}).items() if p in candidates and p not in asked}
        phrases.update(self.by)
        same = self.store.get("model") == self.model
        documents = {**(self.store.get("documents", {}) if same else {}), **self.described}
        used = set(phrases.values())
        kept = {source: tuple(found) for source, found in documents.items() if source in used}
        self.store.replace({"model": self.model, "phrases": phrases, "documents": kept})
        self.store.save()


def _by_source(public: list[object], sources: Collection[str]) -> dict[str, list[object]]:
    """The public documents of `sources`, by source."""
    found: dict[str, list[object]] = {}
    for document in public:
        source = getattr(document, "source", None)
        if isinstance(source, str) and source in sources:
            found.setdefault(source, []).append(document)
    return found


def _question(candidates: list[str]) -> tuple[bytes, dict[str, int]]:
    """What a part's answer is remembered under besides the part (the candidates asked about), and the position
    of each candidate in the answers."""
    return digest(candidates), {phrase: n for n, phrase in enumerate(candidates)}


def _says(searcher: scan.Searcher, text: str) -> set[str]:
    """The phrases a public text says, read as a reader reads it (entities undone, line breaks as spaces)."""
    return scan.found(searcher, scan.normalise(html.unescape(text)))


def _pack(position: Mapping[str, int], phrases: Collection[str]) -> bytes:
    return array.array("I", sorted(position[phrase] for phrase in phrases)).tobytes()
