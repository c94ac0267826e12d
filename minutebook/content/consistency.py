"""Consistency between documents: what assembly checks once every document is known.

Each check reports at the line of the document that must change; none
changes the model.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics, did_you_mean
from .model import AgendaItem, Paper, Site
from .parse import PAPER_RE, Parsed
from .schema import Record

RESERVED_COMMITTEE_SLUGS = {"all": "feeds/all.atom, the feed of every committee"}


def check_committee_slug(doc: Parsed, diagnostics: Diagnostics) -> None:
    """A committee's own files must not stand where the site's are: its feed is feeds/<slug>.atom."""
    slug = doc.parts[0]
    if slug in RESERVED_COMMITTEE_SLUGS:
        diagnostics.error(
            doc.source.path,
            0,
            f"the committee folder name '{slug}' is reserved: its feed would replace "
            f"{RESERVED_COMMITTEE_SLUGS[slug]}; rename the folder (e.g. '{slug}-committee')",
        )


def check_former_names(site: Site, records: dict[str, Record], diagnostics: Diagnostics) -> None:
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


def check_subjects(site: Site, parsed: list[Parsed], diagnostics: Diagnostics) -> None:
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
        own = resolution.earlier is not None and resolution.source in lines  # a record's own front matter
        line = lines[resolution.source].line_of("subjects") if own else resolution.line
        for subject in resolution.subjects:
            if subject not in site.subjects:
                diagnostics.error(
                    resolution.source,
                    line,
                    f"resolution {resolution.number}: unknown subject "
                    f"'{subject}'{did_you_mean(subject, known)}: add content/subjects/{subject}.md",
                )


def check_meeting_fields(r: Record, path: str, diagnostics: Diagnostics) -> None:
    status = r.get("status", "scheduled")
    if status in ("moved", "postponed") and r.get("moved_to") is None and status == "moved":
        diagnostics.error(path, r.line_of("status"), "a moved meeting must give 'moved_to' with the new date")
    if r.get("moved_to") is not None and status not in ("moved", "postponed"):
        diagnostics.error(
            path, r.line_of("moved_to"), f"'moved_to' is only for a moved or postponed meeting, but status is {status}"
        )
    if not r.get("venue") and not r.get("virtual") and r.get("webcast"):
        pass  # a webcast of a meeting whose venue is not yet known is fine


def check_agenda_numbers(agenda: tuple[AgendaItem, ...], path: str, diagnostics: Diagnostics) -> None:
    seen: dict[str, int] = {}
    for item in agenda:
        if item.number in seen:
            diagnostics.error(
                path, item.line, f"agenda item {item.number} appears twice (first on line {seen[item.number]})"
            )
        seen.setdefault(item.number, item.line)


def check_papers_have_items(site: Site, unreadable_agendas: set[str], diagnostics: Diagnostics) -> None:
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
