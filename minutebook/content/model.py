"""The model: immutable values for everything a council publishes, linked by identity, never by position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import numbering
from .body import LinkRef, Rendered


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""
    party: str = ""
    phone: str = ""
    email: str = ""
    substitute_for: str = ""


@dataclass(frozen=True)
class Access:
    """Whether something may be published and, if exempt, on what ground."""

    exempt: bool = False
    paragraph: int | None = None
    public_title: str = ""
    public_description: str = ""
    inherited: str = ""  # what the exemption comes from when it is not the document's own ("agenda item 10")
    stated: bool = False  # `access:` is written in the front matter (not just the default)
    line: int = 0  # where `access:` is written


PUBLIC = Access()


@dataclass(frozen=True)
class Committee:
    slug: str
    name: str
    kind: str
    description: Rendered
    clerk: Person | None
    members: tuple[Person, ...]
    source: str
    short_name: str = ""


@dataclass(frozen=True)
class AgendaItem:
    committee: str
    meeting: dt.date
    number: str
    title: str
    kind: str
    key_decision: bool | None  # None when the clerk did not say
    wards: tuple[str, ...]
    access: Access
    ref: LinkRef | None
    papers: tuple[str, ...]  # paper ids, in order
    line: int
    draft: bool = False  # not yet on the published agenda; its papers are withheld with it

    @property
    def key(self) -> str:
        return f"{self.committee}/{self.meeting.isoformat()}/{self.number}"


@dataclass(frozen=True)
class Attendance:
    present: tuple[Person, ...] = ()
    apologies: tuple[Person, ...] = ()
    absent: tuple[Person, ...] = ()
    substitutes: tuple[Person, ...] = ()
    officers: tuple[Person, ...] = ()
    others: tuple[Person, ...] = ()

    @property
    def recorded(self) -> bool:
        return any((self.present, self.apologies, self.absent, self.substitutes, self.officers, self.others))


@dataclass(frozen=True)
class Meeting:
    committee: str
    date: dt.date
    title: str
    time: str
    end_time: str
    venue: str
    virtual: bool
    webcast: str
    status: str
    moved_to: dt.date | None
    status_note: str
    agenda: tuple[AgendaItem, ...]
    attendance: Attendance
    notes: Rendered
    revision: int
    updated: dt.date | None
    draft: bool
    publish_on: dt.date | None
    source: str

    @property
    def key(self) -> str:
        return f"{self.committee}/{self.date.isoformat()}"


@dataclass(frozen=True)
class Paper:
    """A report or an appendix to one; identity is committee/date/file stem."""

    id: str
    committee: str
    meeting: dt.date
    item: str
    stem: str
    title: str
    parent: str  # for appendices: the paper id they belong to
    appendix_label: str
    report_of: str
    author: str
    contact: Person | None
    key_decision: bool | None  # None when the clerk did not say
    wards: tuple[str, ...]
    subjects: tuple[str, ...]
    access: Access
    draft: bool
    publish_on: dt.date | None
    published: dt.date
    body: Rendered
    source: str
    appendices: tuple[str, ...] = ()
    formerly: tuple[str, ...] = ()  # earlier file stems, kept as redirects so old links keep working


@dataclass(frozen=True)
class Relation:
    kind: str  # amends | supersedes | rescinds | refers_to
    target: str  # resolution key committee/number
    line: int


@dataclass(frozen=True)
class EarlierRecord:
    """What a decision whose minutes are not on the site has instead: a file of its own, which may be a draft.

    Its wording is the resolution's `html` and `text`, like a decision's in its minutes.
    """

    old_record: str  # where the council's own record of it can be read (a web address), "" when not given
    refs: tuple[LinkRef, ...]  # the links in its wording, numbered as the wording's placeholders are
    draft: bool = False
    publish_on: dt.date | None = None


@dataclass(frozen=True)
class Resolution:
    """A decision of a committee: made in minutes on the site, or recorded on its own (`earlier`).

    An earlier record is a resolution for every purpose of reference; its `meeting` is the day it was made,
    which may be a day the site has no meeting for, and it has no agenda item or report ("").
    """

    committee: str
    number: str
    meeting: dt.date
    item: str
    title: str
    html: str
    text: str
    subjects: tuple[str, ...]
    relations: tuple[Relation, ...]
    paper: str  # id of the report considered, "" if none
    source: str
    line: int
    earlier: EarlierRecord | None = None  # set for a decision recorded in content/committees/<c>/decisions/

    @property
    def key(self) -> str:
        """committee/number, or committee/date/number for a minute number that counts from 1 at each meeting."""
        if numbering.per_meeting(self.number):
            return f"{self.committee}/{self.meeting.isoformat()}/{self.number}"
        return f"{self.committee}/{self.number}"

    @property
    def slug(self) -> str:
        if numbering.per_meeting(self.number):
            return f"{self.meeting.isoformat()}-minute-{self.number}"
        return self.number.replace("/", "-").replace(".", "-")

    @property
    def label(self) -> str:
        """ "Resolution 2021/003", "Minute 9": as the council writes it."""
        return numbering.label(self.number)

    @property
    def heading(self) -> str:
        return numbering.heading(self.number)


@dataclass(frozen=True)
class Minutes:
    committee: str
    meeting: dt.date
    confirmed: bool
    confirmed_on: dt.date | None
    body: Rendered
    resolutions: tuple[str, ...]  # resolution keys
    draft: bool
    publish_on: dt.date | None
    published: dt.date
    source: str


@dataclass(frozen=True)
class Subject:
    slug: str
    title: str
    description: Rendered
    source: str


@dataclass(frozen=True)
class Site:
    """The whole site, as loaded: every committee, meeting, paper, minutes and resolution."""

    committees: dict[str, Committee] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)  # key committee/date
    papers: dict[str, Paper] = field(default_factory=dict)
    minutes: dict[str, Minutes] = field(default_factory=dict)  # key committee/date
    resolutions: dict[str, Resolution] = field(default_factory=dict)  # key committee/number; earlier records too
    subjects: dict[str, Subject] = field(default_factory=dict)
