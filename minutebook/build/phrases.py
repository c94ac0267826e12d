"""What the leak check looks for: withheld phrases, decided by the publication rule itself, and what public says.

Every withheld title is a phrase, however short, and so is every sentence of
40 characters or more of a withheld body (a body with none that long gives
its longest). A phrase found in the output is no leak when a public document
says it too, or when the site prints it itself (its templates and settings).
"""

from __future__ import annotations

import array
import contextlib
import copyreg
import dataclasses
import datetime as dt
import hashlib
import html
import io
import pickle
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..content import gate, publication
from ..content.body import Rendered
from ..content.model import Site
from . import cache, scan, workers
from .bodystore import BodyStore
from .digest import digest

ENGINE_WORDS = ("Exempt item", "Exempt report", "Exempt appendix")  # what the gate shows instead of a title
SCAN_BATCH = 64  # documents per task when the search of public text is spread over processes


@dataclasses.dataclass(frozen=True)
class Split:
    """The full model divided by the publication rule alone: withheld texts and public documents."""

    withheld: list[tuple[str, str | Rendered, str]]  # (title | body, the title or the body, source)
    public: list[object]


def split(full: Site, today: dt.date) -> Split:
    """Divide the model by the publication rule alone, independently of the gate's code that carries it out."""
    withheld = publication.decide(full, today)
    result = Split([], [full.committees, full.subjects])
    hidden_items = withheld.items | withheld.exempt_items
    for key, meeting in full.meetings.items():
        for item in meeting.agenda:
            if item.key in hidden_items:
                result.withheld.append(("title", item.title, meeting.source))
            if item.key in withheld.exempt_items:
                result.public.append((item.access.public_title, item.access.public_description))
        if key in withheld.meetings:
            result.withheld.append(("body", meeting.notes, meeting.source))
        else:
            agenda = tuple(i for i in meeting.agenda if i.key not in hidden_items)
            result.public.append(dataclasses.replace(meeting, agenda=agenda))
    for paper in full.papers.values():
        if withheld.hides_paper(paper.id):
            result.withheld.extend([("title", paper.title, paper.source), ("body", paper.body, paper.source)])
            access = withheld.exempt.get(paper.id)
            if access is not None:
                result.public.append((gate.public_title(paper, access), access.public_description))
        else:
            result.public.append(paper)
    for key, minutes in full.minutes.items():
        if key in withheld.minutes:
            result.withheld.append(("body", minutes.body, minutes.source))
        else:
            result.public.extend(
                [minutes, *(full.resolutions[r] for r in minutes.resolutions if r in full.resolutions)]
            )
    _split_records(full, withheld, result)
    return result


def _split_records(full: Site, withheld: publication.Withheld, result: Split) -> None:
    """Earlier decisions, recorded on their own: a draft or scheduled one withholds its title and wording."""
    for key, resolution in full.resolutions.items():
        if resolution.earlier is None:
            continue  # a decision in minutes goes with them
        if key in withheld.records:
            result.withheld.append(("title", resolution.title, resolution.source))
            result.withheld.append(("body", resolution.text, resolution.source))
        else:
            result.public.append(resolution)


@dataclasses.dataclass
class Phrases:
    """The withheld phrases of one build, with the source of each, and those the site prints itself."""

    candidates: dict[str, str]  # withheld phrase → its source
    printed: frozenset[str]  # withheld phrases the site's templates and settings say themselves

    @classmethod
    def of(cls, parts: Split, store: BodyStore, boilerplate: str = "") -> Phrases:
        candidates: dict[str, str] = {}
        order = sorted(range(len(parts.withheld)), key=lambda n: cache.shard_of(parts.withheld[n][2]))
        for n in order:  # bodies read a cache shard at a time
            kind, value, source = parts.withheld[n]
            text = value if isinstance(value, str) else store.text_of(value)
            for phrase in [text] if kind == "title" else body_phrases(text):
                phrase = scan.normalise(phrase).strip()
                if phrase and any(c.isalnum() for c in phrase):
                    candidates.setdefault(phrase, source)
        searcher = scan.automaton(candidates)
        printed = scan.found(searcher, scan.normalise(boilerplate)) if searcher is not None and boilerplate else set()
        return cls(dict(sorted(candidates.items())), frozenset(printed))


Outline = tuple[tuple[str, str, str, str], ...]  # each withheld value: kind, source, its digest or its stored body


def outline(parts: Split) -> Outline:
    """What is withheld, as the key of the phrases reads it: each value as its digest, or, for a body waiting in
    the body store, the source whose digest stands for its text. A function of the model alone, so it is
    remembered with it, and a body edit needs no split of the model to know its phrases are the last build's."""
    found = []
    for kind, value, source in parts.withheld:
        if isinstance(value, Rendered) and value.stored is not None:
            found.append((kind, source, "", value.stored))
        else:
            found.append((kind, source, digest(value).hex(), ""))
    return tuple(found)


def withheld_key(withheld: Outline, store: BodyStore, boilerplate: str) -> bytes:
    """What the withheld phrases are made from: each withheld title, each withheld body by its source's digest
    (a stored body is its source's), and the site's own text."""
    h = hashlib.blake2b(boilerplate.encode("utf-8", "surrogatepass"), digest_size=20)
    for kind, source, shown, stored in withheld:
        if stored:
            shown = f"stored:{stored}:{store.digests.get(stored, '')}"
        h.update(f"\0{kind}\0{source}\0{shown}".encode("utf-8", "surrogatepass"))
    return h.digest()


def sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in re.split(r"(?<=[.!?;:])\s+", line)]


def body_phrases(text: str) -> list[str]:
    """The sentences of a withheld body long enough to be distinctive, or, for a body with none, its longest
    sentence: short exempt text ("Pay Acme £2m.") is looked for too, as whole words."""
    longer = [s for s in sentences(text) if len(s.strip()) >= scan.MIN_SENTENCE]
    if longer:
        return longer
    rest = sorted((s.strip() for s in sentences(text) if s.strip()), key=len)
    return rest[-1:]


def boilerplate(templates: Path, settings: Path) -> str:
    """What the site prints of its own, whatever the content: the templates' text and the council's settings."""
    parts = []
    for path in sorted(templates.rglob("*.html")) if templates.is_dir() else ():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            parts.append(path.read_text(encoding="utf-8"))
    with contextlib.suppress(OSError, UnicodeDecodeError):
        parts.append(settings.read_text(encoding="utf-8"))
    parts += ENGINE_WORDS
    return "\n".join(parts)


class SaidInPublic:
    """Which withheld phrases each public document says, remembered between builds in the cache folder.

    Searching every public text is the costly part of the check. A document is searched in two parts, each
    answer kept under the digest of what it depends on: what its model value says (under the document's key,
    `PublicDocument`), and what each body it shows says (under the body's source and the digest of its text).
    An edit to a paper's wording searches that one body, and needs neither the model nor its split; an edit to
    a title searches that one document. Without a cache folder (`check`, tests) everything is searched.
    """

    def __init__(self, store: BodyStore, root: Path | None = None, jobs: int = 1) -> None:
        self.bodies, self.jobs = store, jobs
        self.store = cache.Store(root, "leakcheck") if root is not None else None

    def said(
        self, searcher: scan.Searcher | None, documents: list[PublicDocument], public: Callable[[], list[object]]
    ) -> frozenset[str]:
        """The phrases of `searcher` (scan.automaton) any public document says. `documents` describe the public
        documents (public_documents); `public` gives the documents themselves, asked for only when the model part
        of one must be searched."""
        if searcher is None:
            return frozenset()
        ordered = list(searcher.phrases)
        numbers = array.array("I")
        for packed in self._find(searcher, ordered, documents, public):
            numbers.frombytes(packed)
        return frozenset(ordered[n] for n in set(numbers))

    def _find(
        self,
        searcher: scan.Searcher,
        candidates: list[str],
        documents: list[PublicDocument],
        public: Callable[[], list[object]],
    ) -> list[bytes]:
        """For each document's model value and each body shown, the candidates it says, as their positions in
        `candidates`, packed: every copy of every phrase sent back from the workers would otherwise stay in
        memory."""
        searched_for = digest(candidates)
        bodies = sorted({source for document in documents for source in document.bodies}, key=cache.shard_of)
        parts: list[tuple[bytes, int | str]] = [
            *((self._part(searched_for, b"model", d.key), n) for n, d in enumerate(documents)),
            *((self._part(searched_for, b"body", self._body_key(source)), source) for source in bodies),
        ]
        found: list[bytes | None] = [self.store.get(key) if self.store else None for key, _ in parts]
        missing = [i for i, hit in enumerate(found) if hit is None]
        values = public() if any(isinstance(parts[i][1], int) for i in missing) else []
        position = {phrase: n for n, phrase in enumerate(candidates)}

        def search(i: int) -> bytes:
            part = parts[i][1]
            text = model_text(values[part]) if isinstance(part, int) else self._body_text(part)
            return _pack(position, scan.found(searcher, scan.normalise(html.unescape(text))))

        batches = [missing[i : i + SCAN_BATCH] for i in range(0, len(missing), SCAN_BATCH)]
        searched = workers.run(lambda b: [search(i) for i in batches[b]], len(batches), self.jobs)
        for i, hit in zip(missing, (hit for batch in searched for hit in batch), strict=True):
            found[i] = hit
        if self.store is not None:
            self.store.replace({key: hit for (key, _), hit in zip(parts, found, strict=True)})
            self.store.save()
        return found  # type: ignore[return-value]

    def _body_key(self, source: str) -> bytes:
        return f"{source}\0{self.bodies.digests.get(source, '')}".encode("utf-8", "surrogatepass")

    @staticmethod
    def _part(searched_for: bytes, kind: bytes, key: bytes) -> bytes:
        return hashlib.blake2b(searched_for + kind + b"\0" + key, digest_size=20).digest()

    def _body_text(self, source: str) -> str:
        """A stored body's HTML and text, apart (\0 ends a phrase as the end of a text does)."""
        return self.bodies.html(source) + "\x00" + self.bodies.text(source)


@dataclasses.dataclass(frozen=True)
class PublicDocument:
    """A public document as the leak check remembers it with the model: a key that changes whenever anything in
    its model value does, and the sources of the bodies it shows (their text is in the body store, not the model).
    """

    key: bytes
    bodies: tuple[str, ...]


KEYS_PER_TASK = 2048  # public documents pickled per task


def public_documents(public: list[object], jobs: int = 1) -> list[PublicDocument]:
    """Each public document's key, the digest of its pickle, and the bodies it shows, noted while it is pickled.

    Equal pickles are equal documents, so a key never hides a change; pickling runs in C, several times
    faster than walking each document, and on every core. A model's documents are remembered with it."""
    groups = [public[start : start + KEYS_PER_TASK] for start in range(0, len(public), KEYS_PER_TASK)]
    task = lambda i: _Describer().described(groups[i])  # noqa: E731
    return [d for described in workers.run(task, len(groups), jobs, sizes=[len(g) for g in groups]) for d in described]


class _Describer:
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
        return PublicDocument(key, tuple(dict.fromkeys(self.bodies)))

    def _rendered(self, body: Rendered) -> Any:
        if body.stored is not None:
            self.bodies.append(body.stored)
        return body.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _pack(position: Mapping[str, int], phrases: Collection[str]) -> bytes:
    return array.array("I", sorted(position[phrase] for phrase in phrases)).tobytes()


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
