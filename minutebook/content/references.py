"""References: every link a clerk wrote (or a mention found in text) mapped to a target, plus the backlinks.

Pure: takes the assembled `Site`, returns a `Links` value or diagnostics.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..diagnostics import Diagnostics, did_you_mean
from . import numbering
from .body import LinkRef
from .model import Minutes, Site
from .suggestions import Suggestions

RESOLUTION_NUMBER = r"[A-Za-z0-9][A-Za-z0-9/.\-]*"


class Target(NamedTuple):
    """Something a reference can point at (a named tuple, as links are: see body.LinkRef)."""

    kind: str  # resolution | meeting | minutes | item | paper | subject
    key: str
    fragment: str = ""


class Backlink(NamedTuple):
    """Where a mention of a target stands: which document, which paragraph or resolution (a named tuple)."""

    source_kind: str  # paper | minutes | meeting | committee | subject | resolution (an earlier record's wording)
    source_key: str
    relation: str  # refers | amends | supersedes | rescinds | refers_to
    paragraph: str = ""
    resolution: str = ""
    section: str = ""


@dataclass(frozen=True)
class Links:
    """Resolved targets per document (aligned with its refs) and the inverse: who points at what."""

    resolved: dict[str, list[Target | None]] = field(default_factory=dict)  # source path -> per ref
    agenda_refs: dict[str, Target | None] = field(default_factory=dict)  # item key -> target
    backlinks: dict[tuple[str, str], list[Backlink]] = field(default_factory=dict)  # (kind, key) -> list
    status: dict[str, str] = field(default_factory=dict)  # resolution key -> in force | amended | ...


@dataclass(frozen=True)
class Context:
    """Where a reference is written, so short forms ("resolution:2021/003") can be completed."""

    path: str
    committee: str
    date: str
    paper: str = ""  # id of the paper it is written in
    kind: str = ""
    key: str = ""


def resolve_all(site: Site, diagnostics: Diagnostics) -> Links:
    links = Links()
    index = _Index(site)
    for context, refs, resolution_papers in _documents(site):
        links.resolved[context.path] = [
            _resolve_one(ref, context, index, resolution_papers, links, diagnostics) for ref in refs
        ]
    for meeting in site.meetings.values():
        for item in meeting.agenda:
            if item.ref is not None:
                context = Context(
                    meeting.source, meeting.committee, meeting.date.isoformat(), kind="meeting", key=meeting.key
                )
                links.agenda_refs[item.key] = _resolve_one(item.ref, context, index, {}, links, diagnostics)
    _relations(site, index, links, diagnostics)
    return links


def _documents(site: Site) -> Iterator[tuple[Context, tuple[LinkRef, ...], dict[str, str]]]:
    """Every document with references: its context, its references and (in minutes) the reports decided on."""
    for paper in site.papers.values():
        context = Context(paper.source, paper.committee, paper.meeting.isoformat(), paper.id, "paper", paper.id)
        yield context, paper.body.refs, {}
    for minutes in site.minutes.values():
        key = f"{minutes.committee}/{minutes.meeting.isoformat()}"
        context = Context(minutes.source, minutes.committee, minutes.meeting.isoformat(), kind="minutes", key=key)
        yield context, minutes.body.refs, _reports_of(site, minutes)
    for meeting in site.meetings.values():
        yield (
            Context(meeting.source, meeting.committee, meeting.date.isoformat(), kind="meeting", key=meeting.key),
            meeting.notes.refs,
            {},
        )
    for committee in site.committees.values():
        yield (
            Context(committee.source, committee.slug, "", kind="committee", key=committee.slug),
            committee.description.refs,
            {},
        )
    for subject in site.subjects.values():
        yield Context(subject.source, "", "", kind="subject", key=subject.slug), subject.description.refs, {}
    for resolution in site.resolutions.values():
        if resolution.earlier is not None:  # a decision recorded on its own: its wording is its document
            day = resolution.meeting.isoformat()
            context = Context(resolution.source, resolution.committee, day, kind="resolution", key=resolution.key)
            yield context, resolution.earlier.refs, {}


def _reports_of(site: Site, minutes: Minutes) -> dict[str, str]:
    """The report each decision was made on (by number), and each minute's report (by "item N")."""
    papers = {site.resolutions[r].number: site.resolutions[r].paper for r in minutes.resolutions}
    meeting = site.meetings.get(f"{minutes.committee}/{minutes.meeting.isoformat()}")
    for item in meeting.agenda if meeting else ():
        papers[f"item {item.number}"] = item.papers[0] if item.papers else ""
    return papers


class _Index:
    """Every linkable target, by kind and key, plus source paths for relative .md links."""

    def __init__(self, site: Site):
        self.site = site
        self.by_path: dict[str, Target] = {}
        for paper in site.papers.values():
            self.by_path[paper.source] = Target("paper", paper.id)
        for meeting in site.meetings.values():
            self.by_path[meeting.source] = Target("meeting", meeting.key)
        for minutes in site.minutes.values():
            self.by_path[minutes.source] = Target("minutes", f"{minutes.committee}/{minutes.meeting.isoformat()}")
        for committee in site.committees.values():
            self.by_path[committee.source] = Target("committee", committee.slug)
        for subject in site.subjects.values():
            self.by_path[subject.source] = Target("subject", subject.slug)
        for resolution in site.resolutions.values():
            if resolution.earlier is not None:
                self.by_path[resolution.source] = Target("resolution", resolution.key)
        self.items = {item.key for m in site.meetings.values() for item in m.agenda}
        self._suggestions: dict[str, Suggestions] = {}

    def hint(self, kind: str, key: str) -> str:
        """A suggestion for a key of `kind` that matches nothing (see content.suggestions)."""
        if kind not in self._suggestions:
            self._suggestions[kind] = Suggestions(self.keys(kind))
        return self._suggestions[kind].hint(key)

    def keys(self, kind: str) -> list[str]:
        return {
            "resolution": list(self.site.resolutions),
            "meeting": list(self.site.meetings),
            "minutes": list(self.site.minutes),
            "item": sorted(self.items),
            "paper": list(self.site.papers),
            "subject": list(self.site.subjects),
        }[kind]

    def exists(self, kind: str, key: str) -> bool:
        """Direct membership: building every key list per reference costs minutes on a large archive."""
        if kind == "item":
            return key in self.items
        tables: dict[str, Container[str]] = {
            "resolution": self.site.resolutions,
            "meeting": self.site.meetings,
            "minutes": self.site.minutes,
            "paper": self.site.papers,
            "subject": self.site.subjects,
        }
        return key in tables[kind]


def _resolve_one(
    ref: LinkRef,
    context: Context,
    index: _Index,
    resolution_papers: dict[str, str],
    links: Links,
    diagnostics: Diagnostics,
) -> Target | None:
    target, problem = _parse_target(ref, context, index, resolution_papers)
    if target is None:
        report = diagnostics.warning if ref.auto else diagnostics.error
        if problem:
            report(context.path, ref.line, problem)
        return None
    if target.kind == "paper" and target.fragment.startswith("para-"):
        paragraphs = index.site.papers[target.key].body.paragraphs
        if target.fragment[5:] not in paragraphs:
            report = diagnostics.warning if ref.auto else diagnostics.error
            report(
                context.path,
                ref.line,
                f"'{ref.text or ref.target}': {target.key} has no paragraph or heading numbered {target.fragment[5:]}",
            )
            return None
    if (target.kind, target.key) != (context.kind, context.key) and not _own_heading(ref, target, context):
        links.backlinks.setdefault((target.kind, target.key), []).append(
            Backlink(context.kind, context.key, "refers", ref.paragraph, ref.resolution, ref.section)
        )
    return target


def _own_heading(ref: LinkRef, target: Target, context: Context) -> bool:
    """A decision's heading (or its own number) inside its block in the minutes is no mention of it."""
    own = resolution_key(ref.resolution, context.committee, context.date) if ref.resolution else None
    return context.kind == "minutes" and target.kind == "resolution" and target.key == own


def _parse_target(
    ref: LinkRef, context: Context, index: _Index, resolution_papers: dict[str, str]
) -> tuple[Target | None, str]:
    """The target `ref` names, or None and the problem ("" when it was reported while parsing)."""
    raw = ref.target
    if raw.startswith("#"):
        known = context.kind == "paper" and raw[6:] in index.site.papers[context.key].body.paragraphs
        return (Target(context.kind, context.key, raw[1:]), "") if known else (None, "")  # parse already warned
    if raw.startswith("report#"):
        return _report_paragraph(ref, raw, resolution_papers)
    if ":" not in raw.split("#")[0] and ".md" in raw:
        return _relative(raw, context, index)
    scheme, rest = raw.split(":", 1)
    rest, _, fragment = rest.partition("#")
    key = _complete(scheme, rest.strip().strip("/"), context)
    if key is None:
        return None, f"cannot read the reference '{raw}': {FORMS[scheme]}"
    if not index.exists(scheme, key):
        found = "no such " + ("agenda item" if scheme == "item" else scheme)
        return None, f"'{raw}' points at {found} ({key}){index.hint(scheme, key)}"
    if fragment and scheme != "paper":
        return None, f"'{raw}': only papers have numbered paragraphs to point at"
    return Target(scheme, key, fragment), ""


def _report_paragraph(ref: LinkRef, raw: str, reports: dict[str, str]) -> tuple[Target | None, str]:
    """ "paragraph 5 of the report" in minutes: of the report a decision was made on, or of the minute's item."""
    paper = reports.get(ref.resolution, "") if ref.resolution else reports.get(f"item {ref.item}", "")
    if paper:
        return Target("paper", paper, raw.split("#", 1)[1]), ""
    whose = f"the agenda item of resolution {ref.resolution}" if ref.resolution else f"agenda item {ref.item}"
    return None, f"'{ref.text}' mentions a paragraph of the report, but no report is on {whose}"


FORMS = {
    "resolution": "expected resolution:2021/003 or resolution:<committee>/2021/003",
    "meeting": "expected meeting:2021-01-11 or meeting:<committee>/2021-01-11",
    "minutes": "expected minutes:2021-01-11 or minutes:<committee>/2021-01-11",
    "item": "expected item:<committee>/2021-01-11/6 or item:2021-01-11/6",
    "paper": "expected paper:2021-02-08/04-digital-strategy or paper:<committee>/2021-02-08/04-digital-strategy",
    "subject": "expected subject:<subject-slug>",
    "report": "expected report:<committee>/2021-02-08/04-digital-strategy",
}


def _complete(scheme: str, rest: str, context: Context) -> str | None:
    """Fill in the committee (and meeting) a short reference leaves out."""
    parts = rest.split("/") if rest else []
    date = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    if scheme == "resolution":
        return resolution_key(rest, context.committee, context.date)
    if scheme in ("meeting", "minutes"):
        if len(parts) == 1 and date.match(parts[0]):
            return f"{context.committee}/{parts[0]}" if context.committee else None
        return rest if len(parts) == 2 and date.match(parts[1]) else None
    if scheme == "item":
        if len(parts) == 2 and date.match(parts[0]):
            return f"{context.committee}/{rest}" if context.committee else None
        return rest if len(parts) == 3 else None
    if scheme in ("paper", "report"):
        if len(parts) == 1 and context.date:
            return f"{context.committee}/{context.date}/{parts[0]}"
        if len(parts) == 2 and date.match(parts[0]):
            return f"{context.committee}/{rest}" if context.committee else None
        return rest if len(parts) == 3 else None
    if scheme == "subject":
        return rest if len(parts) == 1 and rest else None
    return None


def resolution_key(written: str, committee: str, date: str) -> str | None:
    """The key of a decision as written where `committee` meets on `date`: "2021/003" and "17/23" are the
    committee's, "9" is minute 9 of that meeting, "2021-01-11/9" of another; a committee may lead any of them."""
    parts = written.split("/") if written else []
    own = f"{committee}/{written}" if committee else None
    if numbering.per_meeting(written):
        return f"{committee}/{date}/{written}" if committee and date else None
    if len(parts) == 2 and DATE_RE.match(parts[0]):
        return own if numbering.per_meeting(parts[1]) else None
    if len(parts) == 1 or re.fullmatch(r"\d{1,4}/\d{1,4}", written):
        return own if parts and parts[0] else None
    return written if len(parts) >= 2 else None


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _relative(raw: str, context: Context, index: _Index) -> tuple[Target | None, str]:
    path, _, fragment = raw.partition("#")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(context.path), path))
    target = index.by_path.get(joined)
    if target is None:
        return None, f"link to '{path}': no such document ({joined}){did_you_mean(joined, list(index.by_path))}"
    if fragment and target.kind != "paper":
        return None, f"link to '{raw}': only papers have numbered paragraphs to point at"
    return Target(target.kind, target.key, fragment), ""


# --- relations between decisions ----------------------------------------------------

STATUS_BY_RELATION = {"rescinds": "rescinded", "supersedes": "superseded", "amends": "amended"}
STATUS_ORDER = ("rescinded", "superseded", "amended", "in force")


def _relations(site: Site, index: _Index, links: Links, diagnostics: Diagnostics) -> None:
    edges: dict[str, list[str]] = {}
    for resolution in site.resolutions.values():
        for relation in resolution.relations:
            key = resolution_key(relation.target, resolution.committee, resolution.meeting.isoformat())
            if key is None or key not in site.resolutions:
                shown = key or relation.target
                diagnostics.error(
                    resolution.source,
                    relation.line,
                    f"resolution {resolution.number} {relation.kind.replace('_', ' ')} '{relation.target}', "
                    f"which is not a resolution ({shown}){index.hint('resolution', shown)}",
                )
                continue
            edges.setdefault(resolution.key, []).append(key)
            links.backlinks.setdefault(("resolution", key), []).append(
                Backlink("resolution", resolution.key, relation.kind)
            )
    _report_cycles(site, edges, diagnostics)


def compute_status(site: Site, links: Links) -> dict[str, str]:
    """A resolution's status follows from what later resolutions of `site` say about it.

    Called again on the public site, so an unpublished decision never changes a public one's status.
    """
    status = {}
    for key in site.resolutions:
        kinds = {
            b.relation
            for b in links.backlinks.get(("resolution", key), ())
            if b.source_kind == "resolution" and b.source_key in site.resolutions
        }
        found = [STATUS_BY_RELATION[k] for k in ("rescinds", "supersedes", "amends") if k in kinds]
        status[key] = found[0] if found else "in force"
    return status


def _report_cycles(site: Site, edges: dict[str, list[str]], diagnostics: Diagnostics) -> None:
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        cycle = _find_cycle(start, edges)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            first = site.resolutions[cycle[0]]
            chain = " → ".join(site.resolutions[k].number for k in [*cycle, cycle[0]])
            diagnostics.error(first.source, first.line, f"resolutions refer to each other in a cycle: {chain}")


def _find_cycle(start: str, edges: dict[str, list[str]]) -> list[str]:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start:
                return path
            if nxt not in path and len(path) < 1000:
                stack.append((nxt, [*path, nxt]))
    return []
