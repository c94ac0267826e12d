"""Assembly: parsed sources into the `Site` model, with identity taken from the folder layout and checked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import frontmatter, markdown, publication
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, did_you_mean
from .documents import COMMITTEE, MEETING, MINUTES, PAPER, RESOLUTION, SUBJECT
from .frontmatter import Value
from .markdown import LinkRef, Rendered
from .model import (
    PUBLIC,
    Access,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    Minutes,
    Paper,
    Person,
    Relation,
    Resolution,
    Site,
    Subject,
)
from .schema import SLUG_RE, Record, Schema, check
from .sources import Source

COMMITTEES = "content/committees/"
SUBJECTS = "content/subjects/"
DATE_DIR_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAPER_RE = re.compile(r"^0*(?P<item>[1-9][0-9]{0,2}[a-z]?)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
APPENDIX_RE = re.compile(r"^(?P<parent>.+)-appendix-(?P<label>[a-z0-9]+)$")
RELATION_KINDS = ("amends", "supersedes", "rescinds", "refers_to")


@dataclass(frozen=True)
class Parsed:
    """One source after the pure, memoisable parse stage."""

    source: Source
    kind: str  # committee | meeting | minutes | paper | subject
    parts: tuple[str, ...]  # identity from the path: (committee, date, stem) as applicable
    record: Record
    front: Value | None
    body: Rendered
    diagnostics: tuple[Diagnostic, ...]
    shape: bytes = b""  # digest of everything but the body's HTML and text (see minutebook.bodyedits)


SCHEMAS: dict[str, Schema] = {
    "committee": COMMITTEE,
    "meeting": MEETING,
    "minutes": MINUTES,
    "paper": PAPER,
    "subject": SUBJECT,
}


def classify(path: str) -> tuple[str, tuple[str, ...]] | str:
    """Say what a file is from where it sits, or explain where it should be."""
    if path.startswith(SUBJECTS):
        name = path[len(SUBJECTS) :]
        return ("subject", (name[:-3],)) if "/" not in name else "subjects are files directly in content/subjects/"
    if not path.startswith(COMMITTEES):
        return "expected papers under content/committees/<committee>/ or subjects under content/subjects/"
    parts = path[len(COMMITTEES) :].split("/")
    if len(parts) == 2 and parts[1] == "committee.md":
        return ("committee", (parts[0],))
    if len(parts) == 3 and DATE_DIR_RE.match(parts[1]):
        name = parts[2][:-3]
        if name in ("meeting", "minutes"):
            return (name, (parts[0], parts[1]))
        return ("paper", (parts[0], parts[1], name))
    return (
        "expected content/committees/<committee>/committee.md or "
        "content/committees/<committee>/<yyyy-mm-dd>/<meeting.md | minutes.md | nn-paper.md>"
    )


def parse(source: Source) -> Parsed | Diagnostic:
    """Front matter and body of one source; depends only on its path and text, so it can be memoised."""
    kind = classify(source.path)
    if isinstance(kind, str):
        return Diagnostic(source.path, 0, f"is not where a document can be: {kind}")
    name, parts = kind
    diagnostics = Diagnostics()
    _check_names(source.path, name, parts, diagnostics)
    split = frontmatter.split(source.text)
    front = frontmatter.load(split, source.path, diagnostics)
    record = check(front, SCHEMAS[name], source.path, diagnostics) if front is not None else Record()
    body = markdown.render(
        split.body, source.path, split.body_line, numbered=(name == "paper"), minutes=(name == "minutes")
    )
    return Parsed(source, name, parts, record, front, body, tuple(diagnostics.items) + body.diagnostics)


def _check_names(path: str, kind: str, parts: tuple[str, ...], diagnostics: Diagnostics) -> None:
    if not SLUG_RE.match(parts[0]):
        suggestion = re.sub(r"[^a-z0-9]+", "-", parts[0].lower()).strip("-") or "committee-name"
        diagnostics.error(
            path, 0, f"folder name '{parts[0]}' must be lower-case letters, digits and hyphens, e.g. '{suggestion}'"
        )
    if len(parts) > 1:
        try:
            dt.date.fromisoformat(parts[1])
        except ValueError:
            diagnostics.error(
                path, 0, f"meeting folder '{parts[1]}' is not a real date: expected YYYY-MM-DD, e.g. 2021-02-08"
            )
    if kind == "paper" and not PAPER_RE.match(parts[2]):
        diagnostics.error(path, 0, _paper_name_problem(parts[2]))


def _paper_name_problem(stem: str) -> str:
    """Say which part of a paper's file name is wrong, with the name it should probably have."""
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if re.match(r"^0*[1-9][0-9]{0,2}[a-z]?-", suggestion):
        return (
            f"paper file name '{stem}.md' must be lower-case letters, digits and hyphens after the item number, "
            f"e.g. {suggestion}.md"
        )
    return f"paper file name '{stem}.md' must start with its agenda item number, e.g. 04-{suggestion or 'report'}.md"


# --- the whole site -----------------------------------------------------------------


def assemble(parsed: list[Parsed], config: Config, diagnostics: Diagnostics) -> Site:
    """Build the model from every parsed source, reporting every inconsistency between them."""
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
        _check_committee_slug(doc, diagnostics)
    papers = [p for doc in by_kind["paper"] if (p := _paper(doc, site, config, diagnostics)) is not None]
    _attach_appendices(papers, site, diagnostics)
    _index_items(site)
    unreadable_agendas = set()
    for doc in by_kind["meeting"]:
        meeting = _meeting(doc, site, config, diagnostics)
        if meeting is not None:
            site.meetings[meeting.key] = meeting
            written = doc.front is None or "agenda" in doc.front.data
            if written and "agenda" not in doc.record.values:
                unreadable_agendas.add(meeting.key)
    _check_papers_have_items(site, unreadable_agendas, diagnostics)
    pages: dict[str, Resolution] = {}  # committee/slug → resolution: numbers that share a page are one number
    for doc in by_kind["minutes"]:
        _minutes(doc, site, pages, diagnostics)
    _check_subjects(site, parsed, diagnostics)
    _check_former_names(site, {doc.source.path: doc.record for doc in by_kind["paper"]}, diagnostics)
    diagnostics.extend(publication.conflicts(site))
    diagnostics.extend(publication.minutes_on_draft_items(site))
    return site


RESERVED_COMMITTEE_SLUGS = {"all": "feeds/all.atom, the feed of every committee"}


def _check_committee_slug(doc: Parsed, diagnostics: Diagnostics) -> None:
    """A committee's own files must not stand where the site's are: its feed is feeds/<slug>.atom."""
    slug = doc.parts[0]
    if slug in RESERVED_COMMITTEE_SLUGS:
        diagnostics.error(
            doc.source.path,
            0,
            f"the committee folder name '{slug}' is reserved: its feed would replace "
            f"{RESERVED_COMMITTEE_SLUGS[slug]}; rename the folder (e.g. '{slug}-committee')",
        )


def _check_former_names(site: Site, records: dict[str, Record], diagnostics: Diagnostics) -> None:
    """Each old address leads to one paper: a former name must be a paper's file name that no paper has now,
    and no other paper claims."""
    claimed: dict[str, Paper] = {}
    for paper in sorted(site.papers.values(), key=lambda p: p.id):
        line = records[paper.source].line_of("formerly") if paper.source in records else 0
        for old in paper.formerly:
            old_id = f"{paper.committee}/{paper.meeting.isoformat()}/{old}"
            if not PAPER_RE.match(old):
                diagnostics.error(
                    paper.source,
                    line,
                    f"'formerly': '{old}' is not a paper's file name (expected the old name without .md, starting "
                    "with its item number, e.g. 04-digital-plan); the meeting's own pages (pack, minutes) cannot "
                    "be taken over",
                )
            elif old_id in site.papers:
                diagnostics.error(
                    paper.source,
                    line,
                    f"'formerly': '{old}' is the name of a paper that exists ({old}.md); a former name must be free",
                )
            elif old_id in claimed:
                diagnostics.error(
                    paper.source,
                    line,
                    f"'formerly': '{old}' is also a former name of {claimed[old_id].source}; an old address can "
                    "lead to one paper only",
                )
            else:
                claimed[old_id] = paper


def _committee(doc: Parsed) -> Committee:
    r = doc.record
    return Committee(
        slug=doc.parts[0],
        name=r.get("name", doc.parts[0]),
        kind=r.get("kind", "committee"),
        description=doc.body,
        clerk=_person(r.get("clerk")),
        members=tuple(_person(m) for m in r.get("members", ())),
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
        key_decision=r.get("key_decision", False),
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


_ITEM_PAPERS: dict[tuple[str, dt.date, str], list[str]] = {}  # rebuilt by every assemble()


def _index_items(site: Site) -> None:
    """Reports by agenda item, once: looking them up per item costs the square of the archive's size."""
    _ITEM_PAPERS.clear()
    for p in site.papers.values():
        if not p.parent:
            _ITEM_PAPERS.setdefault((p.committee, p.meeting, p.item), []).append(p.id)


def _attach_appendices(papers: list[Paper], site: Site, diagnostics: Diagnostics) -> None:
    ids = {p.id for p in papers}
    children: dict[str, list[str]] = {}
    for paper in papers:
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
        site.papers[paper.id] = _replace(paper, appendices=tuple(kids))


def _appendix_order(paper_id: str) -> tuple[int, str]:
    label = paper_id.rsplit("-appendix-", 1)[1]
    return (int(label), "") if label.isdigit() else (10**6, label)


def _replace(obj, **changes):
    from dataclasses import replace

    return replace(obj, **changes)


def _meeting(doc: Parsed, site: Site, config: Config, diagnostics: Diagnostics) -> Meeting | None:
    committee, day = doc.parts
    path = doc.source.path
    if committee not in site.committees:
        diagnostics.error(path, 0, f"no committee '{committee}': expected content/committees/{committee}/committee.md")
        return None
    date = _folder_date(day)
    if date is None:
        return None
    r = doc.record
    _check_meeting_fields(r, path, diagnostics)
    agenda = tuple(_agenda_item(item, committee, date, site, path, config, diagnostics) for item in r.get("agenda", ()))
    _check_agenda_numbers(agenda, path, diagnostics)
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


def _check_meeting_fields(r: Record, path: str, diagnostics: Diagnostics) -> None:
    status = r.get("status", "scheduled")
    if status in ("moved", "postponed") and r.get("moved_to") is None and status == "moved":
        diagnostics.error(path, r.line_of("status"), "a moved meeting must give 'moved_to' with the new date")
    if r.get("moved_to") is not None and status not in ("moved", "postponed"):
        diagnostics.error(
            path, r.line_of("moved_to"), f"'moved_to' is only for a moved or postponed meeting, but status is {status}"
        )
    if not r.get("venue") and not r.get("virtual") and r.get("webcast"):
        pass  # a webcast of a meeting whose venue is not yet known is fine


def _agenda_item(
    r: Record, committee: str, date: dt.date, site: Site, path: str, config: Config, diagnostics: Diagnostics
) -> AgendaItem:
    number = r.get("number", "?")
    access = _access(r, path, config, diagnostics)
    ref = r.get("ref")
    papers = tuple(sorted(_ITEM_PAPERS.get((committee, date, number), ())))
    return AgendaItem(
        committee=committee,
        meeting=date,
        number=number,
        title=r.get("title", ""),
        kind=r.get("kind", "report"),
        key_decision=r.get("key_decision", False),
        wards=tuple(r.get("wards", ())),
        access=access,
        ref=LinkRef(ref, r.line_of("ref"), "") if ref else None,
        papers=papers,
        line=r.line,
        draft=r.get("draft", False),
    )


def _check_agenda_numbers(agenda: tuple[AgendaItem, ...], path: str, diagnostics: Diagnostics) -> None:
    seen: dict[str, int] = {}
    for item in agenda:
        if item.number in seen:
            diagnostics.error(
                path, item.line, f"agenda item {item.number} appears twice (first on line {seen[item.number]})"
            )
        seen.setdefault(item.number, item.line)


def _check_papers_have_items(site: Site, unreadable_agendas: set[str], diagnostics: Diagnostics) -> None:
    """Each paper's item must be on its meeting's agenda (unless that agenda itself could not be read)."""
    for paper in site.papers.values():
        key = f"{paper.committee}/{paper.meeting.isoformat()}"
        meeting = site.meetings.get(key)
        if meeting is None:
            diagnostics.error(paper.source, 0, "has no meeting.md beside it: every meeting folder needs one")
            continue
        if key in unreadable_agendas:
            continue
        numbers = [item.number for item in meeting.agenda]
        if paper.item not in numbers:
            hint = f" (the agenda has items {', '.join(numbers)})" if numbers else " (the agenda is empty)"
            diagnostics.error(
                paper.source,
                0,
                f"is for agenda item {paper.item}, which is not on the agenda in {meeting.source}{hint}",
            )


def _attendance(record: Record | None) -> Attendance:
    if record is None:
        return Attendance()
    people = {
        key: tuple(_person(p) for p in record.get(key, ()))
        for key in ("present", "apologies", "absent", "substitutes", "officers", "others")
    }
    return Attendance(**people)


# --- minutes and resolutions --------------------------------------------------------


def _minutes(doc: Parsed, site: Site, pages: dict[str, Resolution], diagnostics: Diagnostics) -> None:
    committee, day = doc.parts
    path = doc.source.path
    key = f"{committee}/{day}"
    meeting = site.meetings.get(key)
    if meeting is None:
        diagnostics.error(path, 0, "has no meeting.md beside it: every meeting folder needs one")
        return
    r = doc.record
    numbers = [item.number for item in meeting.agenda]
    for section in doc.body.sections:
        if section.item not in numbers:
            diagnostics.error(
                path,
                section.line,
                f"minute '{section.item}. {section.title}' is for agenda item {section.item}, "
                "which is not on the agenda",
            )
    settings = _resolution_settings(doc, diagnostics)
    keys = []
    for block in doc.body.resolutions:
        resolution = _resolution(block, doc, meeting, settings.get(block.number), site, diagnostics)
        page = f"{resolution.committee}/{resolution.slug}"
        first = site.resolutions.get(resolution.key) or pages.get(page)
        if first is not None:
            same = "" if first.number == block.number else f" ({first.number}: numbers differ only in punctuation)"
            diagnostics.error(
                path,
                block.line,
                f"resolution {block.number} is already used by this committee at {first.source}:{first.line}{same}; "
                "numbers must be unique within a committee",
            )
            continue
        site.resolutions[resolution.key] = resolution
        pages[page] = resolution
        keys.append(resolution.key)
    site.minutes[key] = Minutes(
        committee=committee,
        meeting=meeting.date,
        confirmed=r.get("status", "draft") == "confirmed",
        confirmed_on=r.get("confirmed_on"),
        body=doc.body,
        resolutions=tuple(keys),
        draft=r.get("draft", False),
        publish_on=r.get("publish_on"),
        published=r.get("published") or r.get("publish_on") or meeting.date,
        source=path,
    )


def _resolution_settings(doc: Parsed, diagnostics: Diagnostics) -> dict[str, Record]:
    front = doc.front.data.get("resolutions") if doc.front is not None and isinstance(doc.front.data, dict) else None
    if front is None:
        return {}
    path = doc.source.path
    if not isinstance(front.data, dict):
        diagnostics.error(path, front.line, "'resolutions': expected resolution numbers, each with its settings")
        return {}
    numbers = [block.number for block in doc.body.resolutions]
    settings = {}
    for number, value in front.data.items():
        if number not in numbers:
            diagnostics.error(
                path,
                value.key_line,
                f"'resolutions' names {number}, but no '::: resolved {number}' block is in these minutes"
                + did_you_mean(number, numbers),
            )
            continue
        settings[number] = check(value, RESOLUTION, path, diagnostics)
    return settings


def _resolution(
    block, doc: Parsed, meeting: Meeting, settings: Record | None, site: Site, diagnostics: Diagnostics
) -> Resolution:
    settings = settings or Record()
    item = next((i for i in meeting.agenda if i.number == block.item), None)
    section = next((s for s in doc.body.sections if s.item == block.item), None)
    relations = tuple(
        Relation(kind, str(target), settings.line_of(kind))
        for kind in RELATION_KINDS
        for target in settings.get(kind, ())
    )
    paper = settings.get("paper") or (item.papers[0] if item and item.papers else "")
    return Resolution(
        committee=meeting.committee,
        number=block.number,
        meeting=meeting.date,
        item=block.item,
        title=settings.get("title") or (section.title if section else f"Resolution {block.number}"),
        html=block.html,
        text=block.text,
        subjects=tuple(settings.get("subjects", ())),
        relations=relations,
        paper=paper,
        source=doc.source.path,
        line=block.line,
    )


def _check_subjects(site: Site, parsed: list[Parsed], diagnostics: Diagnostics) -> None:
    known = list(site.subjects)
    lines = {doc.source.path: doc.record for doc in parsed}
    for paper in site.papers.values():
        for subject in paper.subjects:
            if subject not in site.subjects:
                line = lines[paper.source].line_of("subjects") if paper.source in lines else 0
                diagnostics.error(
                    paper.source,
                    line,
                    f"unknown subject '{subject}'{did_you_mean(subject, known)}: add content/subjects/{subject}.md",
                )
    for resolution in site.resolutions.values():
        for subject in resolution.subjects:
            if subject not in site.subjects:
                diagnostics.error(
                    resolution.source,
                    resolution.line,
                    f"resolution {resolution.number}: unknown subject "
                    f"'{subject}'{did_you_mean(subject, known)}: add content/subjects/{subject}.md",
                )
