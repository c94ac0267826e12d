"""Leak check, the last stage before writing: prove on every production build that the gate withheld what it must.

Two independent checks, because a leak of exempt information cannot be
taken back once a page is on the web:

1. a canary: the site's committees and subjects with planted withheld things
   (a draft meeting holding an exempt item, an exempt paper and appendix, a
   draft paper, an embargoed paper, embargoed minutes), each carrying a
   random token in every text field, go through the real gate; the token
   must appear nowhere in the public model that comes out;
2. the real output: distinctive text of the real withheld documents (titles
   and sentences that no public document also contains) must appear in no
   file this build writes (files whose bytes a checked build already wrote
   were scanned then, so a one-paper edit scans what it changes).
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import datetime as dt
import gzip
import html
import re
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

import ahocorasick

from . import bodies, cache, gate, publication, workers
from .diagnostics import Diagnostic
from .markdown import Heading, LinkRef, Rendered
from .model import PUBLIC, Access, AgendaItem, Attendance, Committee, Meeting, Minutes, Paper, Person, Resolution, Site

WHERE = "publication gate"
MIN_SENTENCE = 40  # characters: a body's sentences shorter than this are common words, looked for only when
# the body has no longer one; every phrase shorter than this is looked for as whole words only
STOPPED = "the build was stopped and nothing was published"


def check(
    full: Site,
    today: dt.date,
    files: Mapping[str, bytes],
    unchanged: Collection[str] = (),
    said: SaidInPublic | None = None,
    ledger: Ledger | None = None,
    jobs: int = 1,
    scanned: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Every leak found, as errors; an empty list means the output may be written.

    `scanned` holds what `scanner` already found in files not in `files` (pages staged by the render workers).
    """
    return check_canary(full, today) + check_output(full, today, files, unchanged, said, ledger, jobs, scanned)


# --- 1. the canary ------------------------------------------------------------------


def check_canary(full: Site, today: dt.date, token: str | None = None) -> list[Diagnostic]:
    """Plant withheld things carrying `token` into a copy of the model; the gate must drop every trace of it."""
    token = token or "mbcanary" + secrets.token_hex(8)
    planted = plant(host_site(full), today, token)
    public = gate.public_site(planted, today)
    places = sorted(find_token(public, token))
    if not places:
        return []
    more = f" (and {len(places) - 5} more places)" if len(places) > 5 else ""
    return [
        Diagnostic(
            WHERE,
            0,
            f"self-check failed: planted withheld text reached the public model at "
            f"{', '.join(places[:5])}{more}; {STOPPED}",
        )
    ]


def host_site(full: Site) -> Site:
    """The real committees and subjects without the documents: what the planted things share with the site.

    The planted meetings fall on days no real meeting uses, so no real document can touch them; leaving the
    documents out keeps the canary to milliseconds at any archive size while the real gate still runs on
    every planted withheld thing, and the public model it returns is searched for the token in full.
    """
    return Site(
        committees=dict(full.committees),
        meetings={},
        papers={},
        minutes={},
        resolutions={},
        subjects=dict(full.subjects),
    )


def plant(full: Site, today: dt.date, token: str) -> Site:
    """The full model plus withheld things whose every text field carries `token`; the original is not changed."""
    committees = dict(full.committees)
    slug = min(committees) if committees else "leak-check"
    committees.setdefault(slug, Committee(slug, "Leak check", "committee", Rendered(html=""), None, (), ""))
    host_date, draft_date = _free_dates(full, slug, 2)
    host = _meeting(slug, host_date, draft=False, token="")
    draft = _meeting(slug, draft_date, draft=True, token=token)
    exempt_item = _item(slug, host_date, "998", token, exempt=True)
    public_item = _item(slug, host_date, "999", "", exempt=False)
    inheriting_item = _item(slug, host_date, "997", token, exempt=True)  # its papers say nothing of exemption
    draft_item = dataclasses.replace(_item(slug, host_date, "996", token, exempt=False), draft=True)
    papers = {
        "exempt": _paper(slug, host_date, "998", f"998-{token}", token, access=Access(True, 3)),
        "appendix": _paper(slug, host_date, "998", f"998-{token}-appendix-1", token, parent=f"998-{token}"),
        "under-exempt-item": _paper(slug, host_date, "997", f"997-{token}", token),
        "its-appendix": _paper(slug, host_date, "997", f"997-{token}-appendix-1", token, parent=f"997-{token}"),
        "under-draft-item": _paper(slug, host_date, "996", f"996-{token}", token),
        "draft": _paper(slug, host_date, "999", f"999-{token}-draft", token, draft=True),
        "embargoed": _paper(slug, host_date, "999", f"999-{token}-later", token, publish_on=today + dt.timedelta(1)),
        "in-draft-meeting": _paper(slug, draft_date, "1", f"1-{token}", token),
    }
    papers["exempt"] = dataclasses.replace(papers["exempt"], appendices=(papers["appendix"].id,))
    papers["under-exempt-item"] = dataclasses.replace(
        papers["under-exempt-item"], appendices=(papers["its-appendix"].id,)
    )
    host = dataclasses.replace(
        host,
        agenda=(
            dataclasses.replace(exempt_item, papers=(papers["exempt"].id,)),
            dataclasses.replace(inheriting_item, papers=(papers["under-exempt-item"].id,)),
            dataclasses.replace(draft_item, papers=(papers["under-draft-item"].id,)),
            dataclasses.replace(public_item, papers=(papers["draft"].id, papers["embargoed"].id)),
        ),
    )
    draft = dataclasses.replace(
        draft,
        agenda=(
            dataclasses.replace(
                _item(slug, draft_date, "1", token, exempt=True), papers=(papers["in-draft-meeting"].id,)
            ),
        ),
    )
    minutes, resolution = _minutes(slug, host_date, token, today)
    return Site(
        committees=committees,
        meetings={**full.meetings, host.key: host, draft.key: draft},
        papers={**full.papers, **{p.id: p for p in papers.values()}},
        minutes={**full.minutes, minutes_key(minutes): minutes},
        resolutions={**full.resolutions, resolution.key: resolution},
        subjects=dict(full.subjects),
    )


def minutes_key(minutes: Minutes) -> str:
    return f"{minutes.committee}/{minutes.meeting.isoformat()}"


def _free_dates(full: Site, slug: str, count: int) -> list[dt.date]:
    dates, day = [], dt.date(1901, 1, 1)
    while len(dates) < count:
        if f"{slug}/{day.isoformat()}" not in full.meetings:
            dates.append(day)
        day += dt.timedelta(1)
    return dates


def _rendered(token: str) -> Rendered:
    return Rendered(
        html=f"<p>{token}</p>",
        refs=(LinkRef(f"paper:{token}", 1, token),),
        headings=(Heading(2, token, token),),
        paragraphs=(token,),
        recommendations_html=f"<li>{token}</li>",
        text=token,
        images=(f"{token}.png",),
    )


def _person(token: str) -> Person:
    return Person(token, token, token, token, f"{token}@example.org", token)


def _meeting(slug: str, day: dt.date, *, draft: bool, token: str) -> Meeting:
    text = token or "Leak check"
    meeting = Meeting(
        committee=slug,
        date=day,
        title=text,
        time="10:00",
        end_time="",
        venue=text,
        virtual=False,
        webcast=f"https://example.org/{token}" if token else "",
        status="scheduled",
        moved_to=None,
        status_note=token,
        agenda=(),
        attendance=Attendance(present=(_person(token),)) if token else Attendance(),
        notes=_rendered(token) if token else Rendered(html=""),
        revision=0,
        updated=None,
        draft=draft,
        publish_on=None,
        source=f"content/committees/{slug}/{day.isoformat()}/meeting.md",
    )
    return _filled(token, meeting) if token else meeting


def _item(slug: str, day: dt.date, number: str, token: str, *, exempt: bool) -> AgendaItem:
    access = Access(True, 3) if exempt else PUBLIC
    return AgendaItem(
        slug,
        day,
        number,
        token or "Leak check item",
        "report",
        False,
        (token,) if token else (),
        access,
        LinkRef(f"paper:{token}", 1, token) if token else None,
        (),
        1,
    )


def _paper(
    slug: str,
    day: dt.date,
    item: str,
    stem: str,
    token: str,
    *,
    access: Access = PUBLIC,
    draft: bool = False,
    publish_on: dt.date | None = None,
    parent: str = "",
) -> Paper:
    folder = f"{slug}/{day.isoformat()}"
    return _filled(
        token,
        Paper(
            id=f"{folder}/{stem}",
            committee=slug,
            meeting=day,
            item=item,
            stem=stem,
            title=token,
            parent=f"{folder}/{parent}" if parent else "",
            appendix_label="1" if parent else "",
            report_of=token,
            author=token,
            contact=_person(token),
            key_decision=False,
            wards=(token,),
            subjects=(token,),
            access=access,
            draft=draft,
            publish_on=publish_on,
            published=day,
            body=_rendered(token),
            source=f"content/committees/{folder}/{stem}.md",
        ),
        keep=("parent", "appendix_label", "appendices"),
    )


def _filled(token: str, thing, keep: tuple[str, ...] = ()):
    """Text fields added to the model later (and left empty above) carry the token too, so they are tested."""
    changes = {}
    for spec in dataclasses.fields(thing):
        value, kind = getattr(thing, spec.name), str(spec.type)
        if spec.name in keep:
            continue
        if value == "" and kind == "str":
            changes[spec.name] = token
        elif value == () and kind.startswith("tuple[str"):
            changes[spec.name] = (token,)
    return dataclasses.replace(thing, **changes)


def _minutes(slug: str, day: dt.date, token: str, today: dt.date) -> tuple[Minutes, Resolution]:
    resolution = Resolution(
        slug,
        f"{token}/1",
        day,
        "999",
        token,
        f"<p>{token}</p>",
        token,
        (token,),
        (),
        "",
        f"content/committees/{slug}/{day.isoformat()}/minutes.md",
        1,
    )
    minutes = Minutes(
        slug,
        day,
        False,
        None,
        _rendered(token),
        (resolution.key,),
        False,
        today + dt.timedelta(1),
        day,
        resolution.source,
    )
    return minutes, resolution


def find_token(value: object, token: str) -> list[str]:
    """Where in a model `token` occurs: every dataclass field, dict key and value and tuple item, walked iteratively."""
    if not any(token in text for text in texts(value)):
        return []
    return [where for where, text in strings(value, "site") if token in text]


def texts(value: object) -> Iterator[str]:
    """Every string in a model, keys included: `strings` without the cost of naming where each one is."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif type(value) is Rendered and value.stored is not None:
            stack.append(bodies.full(value))  # its HTML and text wait in the cache folder
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
        elif isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (tuple, list, set, frozenset)):
            stack.extend(value)


def strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    stack = [(where, value)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend((f"{where}.{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                stack.append((f"{where}[{key!r}] (key)", key))
                stack.append((f"{where}[{key!r}]", item))
        elif isinstance(value, (tuple, list, set, frozenset)):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))


# --- 2. the real output -------------------------------------------------------------


def check_output(
    full: Site,
    today: dt.date,
    files: Mapping[str, bytes],
    unchanged: Collection[str] = (),
    said: SaidInPublic | None = None,
    ledger: Ledger | None = None,
    jobs: int = 1,
    scanned: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Distinctive text of every withheld document must be in no file this build writes.

    `unchanged` names pages whose bytes are known to be those of the previous
    build's output (same page context, same templates): they were scanned
    when they were written, so a one-paper edit scans only what it changes.
    The files are searched for every withheld phrase first; only when one is
    found there are the public documents searched (a public paper may quote
    a withheld one, which is then no leak), so the usual build, where
    nothing is found, never reads the public text at all. A `ledger` is
    filled in for the next body-only edit (one already filled for `full`,
    as the build's is before its pages are scanned, is taken as it is).
    """
    found = ledger if ledger is not None else Ledger()
    if not found.candidates:  # else filled for this model already, as the build does before rendering
        found.fill(full, today)
    hits = find(found.candidates, {name: data for name, data in files.items() if name not in unchanged}, jobs)
    merge_hits(hits, scanned or {})
    if hits:  # all the phrases, not just those found: the same question each build, so `said` can remember it
        found.search_public(split(full, today).public, set(found.candidates), said)
    return leaks(hits, found.candidates, found.said())


SCAN_BATCH = 64  # files per task when the scan is spread over processes


def find(phrases: Collection[str], files: Mapping[str, bytes], jobs: int = 1) -> dict[str, str]:
    """Each of `phrases` found in any of `files`, with the first file (by name) it is in."""
    scan = scanner(phrases)
    if scan is None:
        return {}
    names = [name for name in sorted(files) if not name.endswith(BINARY_SUFFIXES)]
    batches = [names[i : i + SCAN_BATCH] for i in range(0, len(names), SCAN_BATCH)]
    found = workers.run(lambda i: [scan(files[name], name) for name in batches[i]], len(batches), jobs)
    hits: dict[str, str] = {}
    for name, phrases_found in zip(names, (hits for batch in found for hits in batch), strict=True):
        note_hits(hits, phrases_found, name)
    return hits


def note_hits(hits: dict[str, str], phrases: Iterable[str], name: str) -> None:
    """Add to `hits` (phrase → the first file, by name, holding it) the phrases found in the file `name`."""
    for phrase in phrases:
        if phrase not in hits or name < hits[phrase]:
            hits[phrase] = name


def merge_hits(hits: dict[str, str], more: Mapping[str, str]) -> None:
    """Add to `hits` those found elsewhere (by the render workers, say), keeping the first file of each."""
    for phrase, name in more.items():
        note_hits(hits, (phrase,), name)


def scanner(phrases: Collection[str]) -> Scanner | None:
    """What `find` does to each file, for workers that scan pages as they render them; None with no phrases."""
    automaton = _automaton(phrases)
    return None if automaton is None else Scanner(automaton)


class Scanner:
    """The withheld phrases in one file, each told only for the first file (by name) this process finds it in.

    The check names one file per phrase, the first; a synthetic archive's pages share hundreds of sentences,
    and every copy of every phrase sent back from the workers would stay in memory. Each worker has its own
    copy of a scanner (made before they fork), so the first file overall is the first of the workers' firsts.
    """

    def __init__(self, automaton: ahocorasick.Automaton) -> None:
        self.automaton = automaton
        self.first: dict[str, str] = {}

    def __call__(self, data: bytes, name: str) -> frozenset[str]:
        if name.endswith(BINARY_SUFFIXES):  # no text in them to read
            return frozenset()
        return frozenset(phrase for phrase in _found(self.automaton, readable(data)) if self._first(phrase, name))

    def _first(self, phrase: str, name: str) -> bool:
        known = self.first.get(phrase)
        if known is not None and known <= name:
            return False
        self.first[phrase] = name
        return True


def leaks(hits: Mapping[str, str], candidates: Mapping[str, str], said: Collection[str]) -> list[Diagnostic]:
    """The phrases found in the output that no public document says, as errors naming source and file."""
    problems = [
        Diagnostic(
            candidates[phrase], 0, f"withheld text '{_short(phrase)}' appears in the output file {name}; {STOPPED}"
        )
        for phrase, name in hits.items()
        if phrase not in said
    ]
    return sorted(problems, key=lambda d: (d.path, d.message))


BINARY_SUFFIXES = (".wasm", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".pagefind")


def _automaton(phrases: Iterable[str]) -> ahocorasick.Automaton | None:
    """Every phrase searched for in one pass over a text (Aho-Corasick), however many phrases there are.

    The last one made is made once: a build searches pages, other files and public documents for the same
    phrases, and an archive's automaton takes tens of megabytes.
    """
    wanted = frozenset(phrases)
    if _LAST_AUTOMATON is not None and _LAST_AUTOMATON[0] == wanted:
        return _LAST_AUTOMATON[1]
    automaton = ahocorasick.Automaton()
    for phrase in sorted(wanted):
        automaton.add_word(phrase, phrase)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    _remember_automaton(wanted, automaton)
    return automaton


_LAST_AUTOMATON: tuple[frozenset[str], ahocorasick.Automaton] | None = None


def _remember_automaton(phrases: frozenset[str], automaton: ahocorasick.Automaton) -> None:
    global _LAST_AUTOMATON
    _LAST_AUTOMATON = (phrases, automaton)


def _found(automaton: ahocorasick.Automaton, text: str) -> set[str]:
    """The phrases in `text`; those shorter than a distinctive sentence only as whole words ("Acme", not "Acmeon")."""
    found = set()
    for end, phrase in automaton.iter(text):
        if len(phrase) >= MIN_SENTENCE or _whole_words(text, end - len(phrase) + 1, end + 1):
            found.add(phrase)
    return found


def _whole_words(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


@dataclasses.dataclass
class Split:
    """The full model divided by the rules alone, independently of the gate's code: withheld texts and public ones."""

    withheld: list[tuple[str, str | Rendered, str]]  # (title | body, the title or the body, source)
    public: list[object]


def split(full: Site, today: dt.date) -> Split:
    """Divide the model by the publication rule alone, independently of the gate's code that carries it out."""
    withheld = publication.decide(full, today)
    result = Split([], [full.committees, full.subjects])
    for key, meeting in full.meetings.items():
        hidden_items = withheld.items | withheld.exempt_items
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
            result.withheld += [("title", paper.title, paper.source), ("body", paper.body, paper.source)]
            access = withheld.exempt.get(paper.id)
            if access is not None:
                result.public.append((gate.public_title(paper, access), access.public_description))
        else:
            result.public.append(paper)
    for key, minutes in full.minutes.items():
        if key in withheld.minutes:
            result.withheld.append(("body", minutes.body, minutes.source))
        else:
            result.public += [minutes, *(full.resolutions[r] for r in minutes.resolutions if r in full.resolutions)]
    return result


class SaidInPublic:
    """Which withheld phrases each public document says, remembered between builds in the cache folder.

    Searching every public text is the costly part of the check; a document's answer depends only on the
    document and the phrases searched for, so it is kept under the digest of both and a one-paper edit
    searches one paper. Without a cache folder (tests, `check`) every document is searched each time.
    """

    def __init__(self, root: Path | None = None, memo: cache.Memo | None = None, jobs: int = 1) -> None:
        self.store = cache.Store(root, "leakcheck") if root is not None else None
        self.memo = {} if memo is None else memo
        self.jobs = jobs

    def find(self, automaton: ahocorasick.Automaton, candidates: list[str], public: list[object]) -> list[bytes]:
        """For each public document, the candidates it says, as their positions in `candidates` (sorted), packed.

        Packed numbers, not the phrases: a synthetic archive's documents say dozens each, and every copy of
        every phrase sent back from the workers would stay in memory (see `Ledger.said`).
        """
        position = {phrase: n for n, phrase in enumerate(candidates)}
        search = lambda document: _pack(position, _said(automaton, [document]))  # noqa: E731
        if self.store is None or any("\x00" in phrase for phrase in candidates):
            return [search(document) for document in public]
        searched_for = cache.digest(candidates)
        keys = [cache.digest((searched_for, document), self.memo) for document in public]
        found: list[bytes | None] = [self.store.get(key) for key in keys]
        missing = [i for i, hit in enumerate(found) if hit is None]
        missing.sort(key=lambda i: cache.shard_of(_source_of(public[i])))  # each shard's bodies read together
        batches = [missing[i : i + SCAN_BATCH] for i in range(0, len(missing), SCAN_BATCH)]
        searched = workers.run(lambda b: [search(public[i]) for i in batches[b]], len(batches), self.jobs)
        for i, hit in zip(missing, (hit for batch in searched for hit in batch), strict=True):
            found[i] = hit
        self.store.replace(dict(zip(keys, found, strict=True)))
        self.store.save()
        return found  # type: ignore[return-value]


def _pack(position: Mapping[str, int], phrases: Collection[str]) -> bytes:
    return array.array("I", sorted(position[phrase] for phrase in phrases)).tobytes()


def _union(packed: bytes, more: bytes) -> bytes:
    numbers = array.array("I")
    numbers.frombytes(packed)
    numbers.frombytes(more)
    return array.array("I", sorted(set(numbers))).tobytes()


def _said(automaton: ahocorasick.Automaton, public: list[object]) -> set[str]:
    return _found(automaton, normalise(html.unescape("\x00".join(texts(public)))))


@dataclasses.dataclass
class Ledger:
    """The withheld phrases, and which public sources say those ever found in the output.

    What a body-only edit needs to redo the check from the pages it changes:
    a phrase found in them is no leak when a public document says it, and
    only the edited documents can have changed what they say.
    """

    candidates: dict[str, str] = dataclasses.field(default_factory=dict)  # withheld phrase → its source
    withheld: frozenset[str] = frozenset()  # sources holding withheld text: editing one needs a full check
    searched: frozenset[str] = frozenset()  # phrases looked for in every public document
    order: tuple[str, ...] = ()  # `searched`, sorted: what the numbers in `said_by` count
    said_by: dict[str, bytes] = dataclasses.field(default_factory=dict)  # public source → of `searched`, packed
    said_beyond: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # the edited say, not searched
    printed: frozenset[str] = frozenset()  # withheld phrases the site's templates and settings say themselves

    def fill(self, full: Site, today: dt.date, boilerplate: str = "") -> None:
        """The phrases to look for: every withheld title, however short, and the sentences of withheld bodies.

        `boilerplate` is what the site prints of its own (its templates and settings): a withheld phrase found
        there is no leak, so a short title such as "Decisions" cannot stop a build by matching a heading.
        """
        parts = split(full, today)
        self.candidates = {}
        read = {}  # the bodies' text, read a cache shard at a time (minutebook.bodies)
        for n in sorted(range(len(parts.withheld)), key=lambda n: cache.shard_of(parts.withheld[n][2])):
            value = parts.withheld[n][1]
            read[n] = value if isinstance(value, str) else bodies.text(value)
        for n, (kind, _, source) in enumerate(parts.withheld):
            for phrase in [read[n]] if kind == "title" else body_phrases(read[n]):
                phrase = normalise(phrase).strip()
                if phrase and any(c.isalnum() for c in phrase):
                    self.candidates.setdefault(phrase, source)
        self.withheld = frozenset(source for _, _, source in parts.withheld)
        self.searched, self.order, self.said_by = frozenset(), (), {}
        automaton = _automaton(self.candidates)
        boiler = _found(automaton, normalise(boilerplate)) if automaton is not None and boilerplate else set()
        self.said_beyond, self.printed = {}, frozenset(boiler)

    def search_public(self, public: list[object], phrases: set[str], said: SaidInPublic | None = None) -> None:
        """Which public documents say any of `phrases`: a phrase found in the output that one says is no leak."""
        automaton = _automaton(phrases)
        if automaton is None:
            return
        self.searched, self.order = frozenset(phrases), tuple(sorted(phrases))
        found = (said or SaidInPublic()).find(automaton, list(self.order), public)
        for document, packed in zip(public, found, strict=True):
            if packed:
                source = _source_of(document)
                self.said_by[source] = _union(self.said_by[source], packed) if source in self.said_by else packed

    def said(self) -> frozenset[str]:
        numbers = array.array("I")
        for packed in self.said_by.values():
            numbers.frombytes(packed)
        return frozenset(self.order[n] for n in set(numbers)).union(self.printed, *self.said_beyond.values())

    def settle(self, hits: Mapping[str, str], full: Site, today: dt.date, edited: Collection[str]) -> bool:
        """After a body-only edit: search what the edited sources say again, then judge the phrases found in the
        changed files. False when one was never looked for in the other public documents (a full check must)."""
        phrases = self.searched | set(hits)
        automaton = _automaton(phrases)
        documents = [d for d in split(full, today).public if _source_of(d) in edited] if automaton else []
        position = {phrase: n for n, phrase in enumerate(self.order)}
        for source in edited:
            self.said_by.pop(source, None)
            self.said_beyond.pop(source, None)
            said = _said(automaton, [d for d in documents if _source_of(d) == source]) if automaton else set()
            if said & self.searched:
                self.said_by[source] = _pack(position, said & self.searched)
            if said - self.searched:
                self.said_beyond[source] = frozenset(said - self.searched)
        said = self.said()
        return all(phrase in self.searched or phrase in said for phrase in hits)


def _source_of(document: object) -> str:
    """The file a public document was written in; "" for the whole-site ones (committees, subjects, titles)."""
    source = getattr(document, "source", "")
    return source if isinstance(source, str) else ""


def distinctive_phrases(full: Site, today: dt.date, said: SaidInPublic | None = None) -> dict[str, str]:
    """Withheld titles and sentences (phrase → source) long enough to be distinctive and said by no public document."""
    ledger = Ledger()
    ledger.fill(full, today)
    ledger.search_public(split(full, today).public, set(ledger.candidates), said)
    said_in_public = ledger.said()
    return {phrase: source for phrase, source in ledger.candidates.items() if phrase not in said_in_public}


def sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in re.split(r"(?<=[.!?;:])\s+", line)]


def body_phrases(text: str) -> list[str]:
    """The sentences of a withheld body long enough to be distinctive, or, for a body with none, its longest
    sentence: short exempt text ("Pay Acme £2m.") is looked for too, as whole words."""
    found = [s for s in sentences(text) if len(s.strip()) >= MIN_SENTENCE]
    if found:
        return found
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


ENGINE_WORDS = ("Exempt item", "Exempt report", "Exempt appendix")  # what the gate shows instead of a title


WHITESPACE = bytes.maketrans(b"\n\r\t", b"   ")
JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\"/\\bfnrt]))")
JSON_ESCAPES = {'"': '"', "/": "/", "\\": "\\", "b": " ", "f": " ", "n": " ", "r": " ", "t": " "}


def normalise(text: str) -> str:
    """Line breaks and tabs as spaces, as a reader sees them (a soft line break in a paragraph is a space)."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")  # str.translate is far slower


def readable(data: bytes) -> str:
    """A file's text as it reads, whatever the wrapping: gzip (Pagefind), JSON escapes and HTML entities undone."""
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    text = data.removeprefix(b"pagefind_dcd").translate(WHITESPACE).decode("utf-8", errors="replace")
    if "\\" in text:
        text = JSON_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else JSON_ESCAPES[m.group(2)], text)
    return html.unescape(text) if "&" in text else text


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
