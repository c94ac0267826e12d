"""The publication rule: what residents may see, decided once, from every level that can say so.

Withholding flows downward. A draft or scheduled meeting hides everything
filed under it; a draft agenda item hides its papers; an exempt agenda item
makes every paper and appendix filed under it exempt; a hidden paper hides
its appendices and an exempt one makes them exempt. A child can never be
more public than its parent: saying `access: public` under an exempt item or
paper is an error, not an override (a public cover report with an exempt
appendix is written the other way round: the appendix says it is exempt).
A decision recorded on its own (an earlier record) stands under nothing: it
is withheld only when it is a draft or scheduled itself.

The gate, the leak check's list of withheld text and the public addresses
of exempt papers all come from `decide`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from .model import Access, AgendaItem, Meeting, Paper, Site


@dataclass(frozen=True)
class Withheld:
    """Every withheld thing of one site on one day, by key; what is in none of these sets is public."""

    meetings: frozenset[str] = frozenset()  # committee/date of draft and scheduled meetings
    items: frozenset[str] = frozenset()  # item keys not on the public agenda at all (draft, or in a hidden meeting)
    exempt_items: frozenset[str] = frozenset()  # item keys shown only by their public title
    papers: frozenset[str] = frozenset()  # paper ids not published at all
    exempt: dict[str, Access] = field(default_factory=dict)  # paper id → its effective exemption (shown by title)
    minutes: frozenset[str] = frozenset()  # committee/date of minutes not published
    public_ids: dict[str, str] = field(default_factory=dict)  # exempt paper id → the id it is published under
    records: frozenset[str] = frozenset()  # resolution keys of earlier records not published (draft, scheduled)

    def hides_paper(self, paper_id: str) -> bool:
        return paper_id in self.papers or paper_id in self.exempt


def is_embargoed(publish_on: dt.date | None, today: dt.date) -> bool:
    return publish_on is not None and publish_on > today


def decide(site: Site, today: dt.date) -> Withheld:
    """Apply the rule to the whole site as written."""
    meetings = frozenset(key for key, m in site.meetings.items() if m.draft or is_embargoed(m.publish_on, today))
    items, exempt_items = _items(site, meetings)
    exempt = exemptions(site)
    hidden: set[str] = set()
    for paper in _parents_first(site):
        item_key = f"{paper.committee}/{paper.meeting.isoformat()}/{paper.item}"
        meeting_key = f"{paper.committee}/{paper.meeting.isoformat()}"
        late = paper.draft or is_embargoed(paper.publish_on, today)
        if late or meeting_key in meetings or item_key in items or paper.parent in hidden:
            hidden.add(paper.id)
    exempt = {paper_id: access for paper_id, access in exempt.items() if paper_id not in hidden}
    minutes = frozenset(
        key for key, m in site.minutes.items() if key in meetings or m.draft or is_embargoed(m.publish_on, today)
    )
    public_ids = _public_ids(site, exempt)
    records = frozenset(
        key
        for key, r in site.resolutions.items()
        if r.earlier is not None and (r.earlier.draft or is_embargoed(r.earlier.publish_on, today))
    )
    return Withheld(meetings, items, exempt_items, frozenset(hidden), exempt, minutes, public_ids, records)


def _items(site: Site, hidden_meetings: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    items, exempt = set(), set()
    for key, meeting in site.meetings.items():
        for item in meeting.agenda:
            if key in hidden_meetings or item.draft:
                items.add(item.key)
            elif item.access.exempt:
                exempt.add(item.key)
    return frozenset(items), frozenset(exempt)


def exemptions(site: Site) -> dict[str, Access]:
    """Every exempt paper with its effective exemption, its own or inherited, whatever its dates."""
    decided: dict[str, Access] = {}
    for paper in _parents_first(site):
        access = effective_access(paper, site, decided)
        if access.exempt:
            decided[paper.id] = access
    return decided


def _parents_first(site: Site) -> list[Paper]:
    """Reports before appendices, so an appendix finds what was decided about its report."""
    return sorted(site.papers.values(), key=lambda p: (bool(p.parent), p.id))


def effective_access(paper: Paper, site: Site, decided: dict[str, Access]) -> Access:
    """The paper's own exemption, or the one it inherits from its agenda item or, for an appendix, its report
    (`decided`: the effective exemption of the reports, decided first)."""
    if paper.access.exempt:
        return paper.access
    if paper.parent:
        above = decided.get(paper.parent)
        if above is None:
            return paper.access
        return Access(
            True, above.paragraph, inherited=above.inherited or f"its report {paper.parent.rsplit('/', 1)[1]}"
        )
    item = agenda_item(site, paper)
    if item is not None and item.access.exempt:
        return Access(True, item.access.paragraph, inherited=f"agenda item {item.number}")
    return paper.access


def agenda_item(site: Site, paper: Paper) -> AgendaItem | None:
    meeting = site.meetings.get(f"{paper.committee}/{paper.meeting.isoformat()}")
    return None if meeting is None else next((i for i in meeting.agenda if i.number == paper.item), None)


def _public_ids(site: Site, exempt: dict[str, Access]) -> dict[str, str]:
    """Exempt papers lose their file names in public addresses: a file name can say what the paper is about."""
    taken = set(site.papers) | {
        f"{p.committee}/{p.meeting.isoformat()}/{old}" for p in site.papers.values() for old in p.formerly
    }
    ids: dict[str, str] = {}
    for paper_id in sorted(exempt):
        paper = site.papers[paper_id]
        base = f"{paper.committee}/{paper.meeting.isoformat()}/{paper.item}-exempt"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[paper_id] = candidate
    return ids


def conflicts(site: Site) -> list[Diagnostic]:
    """A child that says `access: public` under an exempt parent: it was meant one way or the other, never both."""
    problems = []
    for paper_id, access in sorted(exemptions(site).items()):
        paper = site.papers[paper_id]
        if access.inherited and paper.access.stated:
            problems.append(
                Diagnostic(
                    paper.source,
                    paper.access.line,
                    f"says 'access: public', but {access.inherited} is exempt, and everything filed under an "
                    "exempt item or paper is withheld with it; remove 'access: public' (or make "
                    f"{access.inherited} public and mark only what is exempt)",
                )
            )
    return problems


def minutes_on_draft_items(site: Site) -> list[Diagnostic]:
    """Minutes are published whole: a minute of an item that is still a draft would publish it."""
    problems = []
    for key, minutes in site.minutes.items():
        meeting: Meeting | None = site.meetings.get(key)
        drafts = {item.number for item in meeting.agenda if item.draft} if meeting else set()
        for section in minutes.body.sections:
            if section.item in drafts:
                problems.append(
                    Diagnostic(
                        minutes.source,
                        section.line,
                        f"minute '{section.item}. {section.title}' is for agenda item {section.item}, which is a "
                        "draft (draft: true in meeting.md); publish the item or move the minute out",
                    )
                )
    return problems
