"""Assembly: parsed sources into the `Site` model, with identity taken from the folder layout and checked."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..diagnostics import Diagnostics
from . import consistency, earlier, minutes, publication
from .body import LinkRef
from .config import Config
from .model import (
    PUBLIC,
    Access,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    Paper,
    Person,
    Resolution,
    Site,
    Subject,
)
from .parse import APPENDIX_RE, DATE_DIR_RE, PAPER_RE, SCHEMAS, Parsed
from .schema import Record

ItemPapers = dict[tuple[str, dt.date, str], list[str]]  # (committee, date, item number) → its reports, by id


def assemble(
    parsed: list[Parsed], config: Config, diagnostics: Diagnostics, unreadable: frozenset[str] = frozenset()
) -> Site:
    """Build the model from every parsed source, reporting every inconsistency between them.

    `unreadable` names the sources that could not be parsed (their own errors are reported): a document
    pointing at one is not told that it does not exist.
    """
    by_kind: dict[str, list[Parsed]] = {k: [] for k in SCHEMAS}
    for doc in parsed:
        by_kind[doc.kind].append(doc)
    site = Site()
    for doc in by_kind["subject"]:
        site.subjects[doc.parts[0]] = Subject(
            doc.parts[0], doc.record.get("title", doc.parts[0]), doc.body, doc.source.path
        )
    for doc in by_kind["committee"]:
        site.committees[doc.parts[0]] = _committee(doc)
        consistency.check_committee_slug(doc, diagnostics)
    papers = [p for doc in by_kind["paper"] if (p := _paper(doc, site, config, diagnostics)) is not None]
    _attach_appendices(papers, site, unreadable, diagnostics)
    reports = _reports_by_item(site)
    unreadable_agendas = set()
    for doc in by_kind["meeting"]:
        meeting = _meeting(doc, site, config, reports, diagnostics)
        if meeting is not None:
            site.meetings[meeting.key] = meeting
            if doc.agenda_unreadable:
                unreadable_agendas.add(meeting.key)
    consistency.check_papers_have_items(site, unreadable_agendas, diagnostics)
    pages: dict[str, Resolution] = {}  # committee/slug → resolution: numbers that share a page are one number
    for doc in by_kind["minutes"]:
        minutes.assemble(doc, site, pages, diagnostics)
    for doc in by_kind["decision"]:
        earlier.assemble(doc, site, pages, diagnostics)
    consistency.check_subjects(site, parsed, diagnostics)
    consistency.check_former_names(site, {doc.source.path: doc.record for doc in by_kind["paper"]}, diagnostics)
    diagnostics.extend(publication.conflicts(site))
    diagnostics.extend(publication.minutes_on_draft_items(site))
    return site


def _reports_by_item(site: Site) -> ItemPapers:
    """Reports by agenda item, once: looking them up per item costs the square of the archive's size."""
    found: ItemPapers = {}
    for p in site.papers.values():
        if not p.parent:
            found.setdefault((p.committee, p.meeting, p.item), []).append(p.id)
    return found


def _committee(doc: Parsed) -> Committee:
    r = doc.record
    return Committee(
        slug=doc.parts[0],
        name=r.get("name", doc.parts[0]),
        kind=r.get("kind", "committee"),
        description=doc.body,
        clerk=_person(r.get("clerk")),
        members=_people(r.get("members", ())),
        source=doc.source.path,
        short_name=r.get("short_name", ""),
    )


def _person(record: Record | None) -> Person | None:
    if record is None:
        return None
    return Person(
        name=record.get("name", ""),
        role=record.get("role", ""),
        party=record.get("party", ""),
        phone=record.get("phone", ""),
        email=record.get("email", ""),
        substitute_for=record.get("for", ""),
    )


def _access(record: Record, path: str, config: Config, diagnostics: Diagnostics, what: str = "item") -> Access:
    """Exempt things must name an allowed Schedule 12A paragraph; a public thing must not carry exemption keys."""
    stated, line = "access" in record.lines, record.line_of("access")
    if record.get("access", "public") != "exempt":
        _check_no_exemption_keys(record, path, diagnostics)
        return Access(stated=True, line=line) if stated else PUBLIC
    paragraph = record.get("exempt_paragraph")
    allowed = sorted(config.exempt_paragraphs)
    if paragraph is None:
        diagnostics.error(
            path,
            record.line_of("access"),
            f"an exempt {what} must give 'exempt_paragraph': the "
            f"Schedule 12A paragraph relied on (one of {_list(allowed)})",
        )
    elif paragraph not in config.exempt_paragraphs:
        diagnostics.error(
            path,
            record.line_of("exempt_paragraph"),
            f"'exempt_paragraph': expected a Schedule 12A "
            f"paragraph this council may rely on "
            f"({_list(allowed)}), found {paragraph}",
        )
    return Access(
        True, paragraph, record.get("public_title", ""), record.get("public_description", ""), stated=True, line=line
    )


def _check_no_exemption_keys(record: Record, path: str, diagnostics: Diagnostics) -> None:
    """A public thing carrying an exemption paragraph was almost certainly meant to be exempt: never publish it."""
    for key in ("exempt_paragraph", "public_title", "public_description"):
        if record.get(key) is not None:
            message = f"'{key}' is only for exempt items; add 'access: exempt' or remove it"
            diagnostics.error(path, record.line_of(key), message)


def _list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _folder_date(day: str) -> dt.date | None:
    """The meeting date a folder name gives; None when it is no real date (_check_names reports that)."""
    try:
        return dt.date.fromisoformat(day) if DATE_DIR_RE.match(day) else None
    except ValueError:
        return None


def _paper(doc: Parsed, site: Site, config: Config, diagnostics: Diagnostics) -> Paper | None:
    committee, day, stem = doc.parts
    match = PAPER_RE.match(stem)
    if not match or committee not in site.committees:
        if match:
            diagnostics.error(
                doc.source.path, 0, f"no committee '{committee}': expected content/committees/{committee}/committee.md"
            )
        return None
    r = doc.record
    item = match.group("item")
    if r.get("item") is not None and r.get("item") != item:
        diagnostics.error(
            doc.source.path,
            r.line_of("item"),
            f"'item: {r.get('item')}' disagrees with the file name, which says item {item}",
        )
    access = _access(r, doc.source.path, config, diagnostics, "paper")
    appendix = APPENDIX_RE.match(stem)
    meeting_date = _folder_date(day) or dt.date.min
    return Paper(
        id=f"{committee}/{day}/{stem}",
        committee=committee,
        meeting=meeting_date,
        item=item,
        stem=stem,
        title=r.get("title", stem),
        parent=f"{committee}/{day}/{appendix.group('parent')}" if appendix else "",
        appendix_label=appendix.group("label") if appendix else "",
        report_of=r.get("report_of", ""),
        author=r.get("author", ""),
        contact=_person(r.get("contact")),
        key_decision=r.get("key_decision"),  # None: not said
        wards=tuple(r.get("wards", ())),
        subjects=tuple(r.get("subjects", ())),
        access=access,
        draft=r.get("draft", False),
        publish_on=r.get("publish_on"),
        published=r.get("published") or r.get("publish_on") or meeting_date,
        body=doc.body,
        source=doc.source.path,
        formerly=tuple(r.get("formerly", ())),
    )


def _attach_appendices(papers: list[Paper], site: Site, unreadable: frozenset[str], diagnostics: Diagnostics) -> None:
    ids = {p.id for p in papers}
    children: dict[str, list[str]] = {}
    for paper in papers:
        if paper.parent and paper.parent not in ids and f"content/committees/{paper.parent}.md" in unreadable:
            continue  # the report exists but has errors of its own, reported at its lines
        if paper.parent and paper.parent not in ids:
            diagnostics.error(
                paper.source,
                0,
                f"is an appendix to '{paper.parent.rsplit('/', 1)[1]}.md', which does not exist in this meeting",
            )
            continue
        if paper.parent:
            children.setdefault(paper.parent, []).append(paper.id)
    for paper in papers:
        kids = sorted(children.get(paper.id, ()), key=_appendix_order)
        site.papers[paper.id] = dataclasses.replace(paper, appendices=tuple(kids))


def _appendix_order(paper_id: str) -> tuple[int, str]:
    label = paper_id.rsplit("-appendix-", 1)[1]
    return (int(label), "") if label.isdigit() else (10**6, label)


def _meeting(doc: Parsed, site: Site, config: Config, reports: ItemPapers, diagnostics: Diagnostics) -> Meeting | None:
    committee, day = doc.parts
    path = doc.source.path
    if committee not in site.committees:
        diagnostics.error(path, 0, f"no committee '{committee}': expected content/committees/{committee}/committee.md")
        return None
    date = _folder_date(day)
    if date is None:
        return None
    r = doc.record
    consistency.check_meeting_fields(r, path, diagnostics)
    agenda = tuple(
        _agenda_item(item, committee, date, reports, path, config, diagnostics) for item in r.get("agenda", ())
    )
    consistency.check_agenda_numbers(agenda, path, diagnostics)
    return Meeting(
        committee=committee,
        date=date,
        title=r.get("title") or site.committees[committee].name,
        time=r.get("time") or "",
        end_time=r.get("end_time") or "",
        venue=r.get("venue") or "",
        virtual=r.get("virtual", False),
        webcast=r.get("webcast") or "",
        status=r.get("status", "scheduled"),
        moved_to=r.get("moved_to"),
        status_note=r.get("status_note") or "",
        agenda=agenda,
        attendance=_attendance(r.get("attendance")),
        notes=doc.body,
        revision=r.get("revision", 0),
        updated=r.get("updated"),
        draft=r.get("draft", False),
        publish_on=r.get("publish_on"),
        source=path,
    )


def _agenda_item(
    r: Record, committee: str, date: dt.date, reports: ItemPapers, path: str, config: Config, diagnostics: Diagnostics
) -> AgendaItem:
    number = r.get("number", "?")
    access = _access(r, path, config, diagnostics)
    ref = r.get("ref")
    papers = tuple(sorted(reports.get((committee, date, number), ())))
    return AgendaItem(
        committee=committee,
        meeting=date,
        number=number,
        title=r.get("title", ""),
        kind=r.get("kind", "report"),
        key_decision=r.get("key_decision"),  # None: not said
        wards=tuple(r.get("wards", ())),
        access=access,
        ref=LinkRef(ref, r.line_of("ref"), "", section=f"item {number}") if ref else None,
        papers=papers,
        line=r.line,
        draft=r.get("draft", False),
    )


def _attendance(record: Record | None) -> Attendance:
    if record is None:
        return Attendance()
    people = {
        key: _people(record.get(key, ()))
        for key in ("present", "apologies", "absent", "substitutes", "officers", "others")
    }
    return Attendance(**people)


def _people(records: tuple[Record, ...]) -> tuple[Person, ...]:
    return tuple(person for record in records if (person := _person(record)) is not None)
