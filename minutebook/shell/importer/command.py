"""`build.py import`: a Word report (or a folder of them) into a meeting folder as draft papers.

Everything is checked before anything is written: the committee, the date,
the meeting, the file, and that no file it would write exists. Each paper
and its images are then created exclusively, so nothing is ever overwritten;
if one cannot be created, what was created for that paper is removed again.
What needs the clerk's eye is printed as `path:line: message`, pointing into
the written file.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import scaffold
from ..scaffold import Refused
from .docx import Unreadable, WordReport, read
from .paper import Paper, make_paper

ITEM_STEM_RE = re.compile(r"^0*([1-9][0-9]{0,2})([a-z]?)-")
FILE_ITEM_RE = re.compile(r"^\s*0*([1-9][0-9]{0,2})([a-z]?)(?=[\s._-]|$)", re.IGNORECASE)
FILE_APPENDIX_RE = re.compile(r"\bappendix[\s._-]*([1-9][0-9]?|[a-z])(?=[\s._-]|$)", re.IGNORECASE)
APPENDIX_RE = re.compile(r"^(?:[1-9][0-9]?|[a-z])$")


@dataclass(frozen=True)
class Target:
    """One report read from Word and where it goes: its agenda item and, for an appendix, its label."""

    report: WordReport
    item: str
    appendix: str = ""


@dataclass(frozen=True)
class Plan:
    """One paper ready to be written into the meeting folder."""

    path: Path
    paper: Paper
    target: Target


def run(root: Path, args: argparse.Namespace) -> int:
    """Import, print what was written and what to check; 0 when every report was imported."""
    try:
        meeting = _meeting(root, args)
        source = root / args.source
        if source.is_dir():
            if args.item or args.appendix:
                raise Refused("--item and --appendix are for one report; the files of a folder are mapped by name")
            plans, failures = _folder(meeting, source)
        else:
            plans, failures = [_plan(meeting, _target(source, args), [])], []
    except (Refused, Unreadable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for plan in plans:
        try:
            _deliver(root, meeting, plan, args.dry_run, several=len(plans) > 1)
        except Refused as exc:
            failures.append(f"{plan.target.report.source.name}: {exc}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _meeting(root: Path, args: argparse.Namespace) -> scaffold.Meeting:
    day = scaffold._date(args.date)
    folder = scaffold._committee_folder(root, args.committee) / day.isoformat()
    return scaffold._existing_meeting(root, args.committee, day, folder)


def _target(source: Path, args: argparse.Namespace) -> Target:
    report = read(source)
    item = scaffold._item(args.item) if args.item else _item_from_name(source) or report.cover.item
    if not item:
        raise Refused(f"{source.name}: give --item N: neither its file name nor its cover says which agenda item it is")
    appendix = (args.appendix or "").strip().lower()
    if args.appendix is not None and not APPENDIX_RE.match(appendix):
        raise Refused(f"--appendix expects a number or a letter (1, 2 … or a, b …), found {args.appendix!r}")
    return Target(report, item, appendix)


def _item_from_name(source: Path) -> str:
    """ "04 Budget.docx" → "4", "7a - Fees.docx" → "7a"."""
    match = FILE_ITEM_RE.match(source.stem)
    return match.group(1) + match.group(2).lower() if match else ""


def _plan(meeting: scaffold.Meeting, target: Target, planned: list[str]) -> Plan:
    """The paper's file name and text: `<nn>-<slug>.md`, or `<report>-appendix-<k>.md` for an appendix."""
    if target.appendix:
        stem = f"{_parent(meeting.folder, target.item, planned)}-appendix-{target.appendix}"
        paper = make_paper(target.report, lambda _title: stem)
    else:
        paper = make_paper(target.report, lambda title: scaffold.paper_stem(target.item, title))
    return Plan(meeting.folder / f"{paper.stem}.md", paper, target)


def _parent(folder: Path, item: str, planned: list[str]) -> str:
    """The item's one report, which an appendix is named after."""
    stems = sorted({path.stem for path in folder.glob("*.md")} | set(planned))
    reports = [stem for stem in stems if "-appendix-" not in stem and _item_of(stem) == item]
    if len(reports) == 1:
        return reports[0]
    shown = scaffold._shown(folder)
    if not reports:
        raise Refused(f"item {item} has no report in {shown} to be an appendix to: import or write the report first")
    listed = ", ".join(f"{stem}.md" for stem in reports)
    raise Refused(f"item {item} has {len(reports)} reports in {shown} ({listed}): cannot tell which the appendix is to")


def _item_of(stem: str) -> str:
    match = ITEM_STEM_RE.match(stem)
    return match.group(1) + match.group(2) if match else ""


# --- a folder of reports -------------------------------------------------------------------


def _folder(meeting: scaffold.Meeting, folder: Path) -> tuple[list[Plan], list[str]]:
    """Reports first (an appendix is named after its report), each mapped to its item by file name or cover."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".docx" and not p.name.startswith("~$"))
    if not files:
        raise Refused(f"{folder}: no .docx files to import")
    targets, failures = _map_files(files)
    plans: list[Plan] = []
    for target in sorted(targets, key=lambda t: (bool(t.appendix), t.report.source.name)):
        try:
            plans.append(_plan(meeting, target, [plan.paper.stem for plan in plans]))
        except Refused as exc:
            failures.append(f"{target.report.source.name}: {exc}")
    return plans, failures


def _map_files(files: list[Path]) -> tuple[list[Target], list[str]]:
    targets: list[Target] = []
    failures: list[str] = []
    for path in files:
        try:
            report = read(path)
        except Unreadable as exc:
            failures.append(str(exc))
            continue
        appendix = FILE_APPENDIX_RE.search(path.stem)
        item = _item_from_name(path) or report.cover.item
        if not item:
            failures.append(
                f"{path.name}: cannot tell which agenda item it is; start its name with the item number "
                f"('04 Budget.docx') or import it on its own with --item"
            )
            continue
        targets.append(Target(report, item, appendix.group(1).lower() if appendix else ""))
    reports: dict[str, list[Target]] = {}
    for target in targets:
        if not target.appendix:
            reports.setdefault(target.item, []).append(target)
    for item, same in reports.items():
        if len(same) > 1:
            names = ", ".join(t.report.source.name for t in same)
            failures.append(f"{names}: all say item {item}; import each on its own with --item")
            targets = [t for t in targets if t not in same]
    return targets, failures


# --- writing ----------------------------------------------------------------------------


def _deliver(root: Path, meeting: scaffold.Meeting, plan: Plan, dry_run: bool, several: bool) -> None:
    shown = plan.path.relative_to(root).as_posix()
    files = [(plan.path, plan.paper.text.encode("utf-8"))]
    files += [(plan.path.parent / name, data) for name, data in plan.paper.images]
    if dry_run:
        if several:
            print(f"==> {shown} <==")
        print(plan.paper.text, end="")
        for path, _ in files[1:]:
            print(f"(dry run) would also write {path.relative_to(root).as_posix()}", file=sys.stderr)
    else:
        for path in _create(files):
            print(f"created {path.relative_to(root).as_posix()}")
    for notice in plan.paper.notices:
        print(f"{shown}:{notice.line}: {notice.message}", file=sys.stderr)
    if not plan.target.appendix:
        for note in scaffold._agenda_notes(meeting, plan.target.item, plan.paper.title):
            print(note, file=sys.stderr)


def _create(files: list[tuple[Path, bytes]]) -> list[Path]:
    """Create every file or none: a file that exists is never overwritten."""
    for path, _ in files:
        if path.exists():
            raise Refused(f"{scaffold._shown(path)} already exists; nothing was written")
    created: list[Path] = []
    try:
        for path, data in files:
            with open(path, "xb") as handle:
                created.append(path)
                handle.write(data)
    except OSError as exc:
        for path in created:
            path.unlink(missing_ok=True)
        reason = "already exists" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))
        raise Refused(f"{scaffold._shown(Path(exc.filename or ''))}: {reason}; nothing was written") from None
    return created
