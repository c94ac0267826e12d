"""What the leak check looks for: withheld phrases, decided by the publication rule itself.

Every withheld title is a phrase, however short, and so is every sentence of
40 characters or more of a withheld body (a body with none that long gives
its longest). A phrase found in the output is no leak when a public document
says it too (minutebook.build.public), or when the site prints it itself (its
templates and settings).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path

from ..content import gate, publication
from ..content.body import Rendered
from ..content.model import Site
from . import cache, scan
from .bodystore import BodyStore
from .digest import digest

ENGINE_WORDS = ("Exempt item", "Exempt report", "Exempt appendix")  # what the gate shows instead of a title


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
