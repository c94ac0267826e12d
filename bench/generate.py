#!/usr/bin/env python3
"""Benchmark input: a deterministic synthetic archive of committee papers in Minutebook's content format.

The archive looks like fifteen years of a county council's committees:
meetings with agendas, reports with numbered paragraphs, tables, footnotes
and appendices, minutes with numbered resolutions that amend and supersede
earlier ones, cross-references between papers, subjects, a few exempt items
and drafts. The same seed always gives the same bytes, so timings compare.

    python bench/generate.py --papers 1000 --out bench/archive-1000
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST_YEAR, YEARS = 2011, 15

COMMITTEES = [
    ("adult-social-care", "Adult Social Care and Public Health Committee", "committee"),
    ("children-and-young-people", "Children and Young People's Committee", "committee"),
    ("communities-and-place", "Communities and Place Committee", "committee"),
    ("finance-and-major-contracts", "Finance and Major Contracts Management Committee", "committee"),
    ("health-and-wellbeing", "Health and Wellbeing Board", "board"),
    ("planning-and-licensing", "Planning and Licensing Committee", "committee"),
    ("policy", "Policy Committee", "committee"),
    ("transport-and-highways", "Transport and Highways Committee", "committee"),
]
SUBJECTS = [
    "adult-social-care-charging",
    "air-quality",
    "bus-services",
    "capital-programme",
    "carers",
    "climate-emergency",
    "community-libraries",
    "council-tax",
    "dementia",
    "digital-strategy",
    "domestic-abuse",
    "early-help",
    "flood-risk",
    "fostering",
    "gypsy-and-traveller-sites",
    "highway-maintenance",
    "home-to-school-transport",
    "housing-with-care",
    "integrated-care",
    "local-area-coordination",
    "minerals-local-plan",
    "public-health-grant",
    "reablement",
    "school-places",
    "special-educational-needs",
    "street-lighting",
    "tobacco-control",
    "waste-strategy",
    "workforce",
    "youth-services",
]
TOPICS = [
    "Digital Strategy",
    "Reablement Service",
    "Carers' Support",
    "Highway Maintenance Programme",
    "School Places Plan",
    "Library Service Review",
    "Waste Management Contract",
    "Public Health Grant",
    "Local Area Coordination",
    "Street Lighting Upgrade",
    "Flood Risk Management",
    "Fostering Recruitment",
    "Home to School Transport",
    "Capital Programme Monitoring",
    "Youth Service Offer",
    "Domestic Abuse Services",
    "Dementia Support",
    "Minerals Local Plan",
    "Bus Services Improvement Plan",
    "Climate Emergency Action Plan",
    "Workforce Strategy",
    "Housing with Care",
    "Early Help Offer",
    "Tobacco Control",
    "Air Quality Monitoring",
]
KINDS = [
    "Update",
    "Review",
    "Proposals",
    "Performance Report",
    "Annual Report",
    "Consultation Response",
    "Contract Award",
    "Funding Plan",
    "Progress Report",
    "Options Appraisal",
]
PEOPLE = [
    "Jo Toomey",
    "Melanie Brooks",
    "Jonathan Gribbin",
    "Grace Natoli",
    "Jennifer Allen",
    "Paul Davies",
    "Sarah Ashton",
    "Nathalie Birkett",
    "Colin Pettigrew",
    "Adrian Smith",
    "Derek Higton",
    "Marjorie Toward",
    "Keith Palframan",
    "Nigel Stevenson",
    "Ian Bond",
    "Laura Wilson",
    "Amanda Collinson",
    "Dave Gilbert",
]
PARTIES = ["Conservative", "Labour", "Liberal Democrat", "Independent", "Ashfield Independents"]
ROLES = ["Service Director", "Group Manager", "Team Manager", "Strategic Development Manager", "Programme Manager"]
DIRECTORS = [
    "Corporate Director, Adult Social Care and Public Health",
    "Director of Public Health",
    "Corporate Director, Children and Families",
    "Corporate Director, Place",
    "Service Director, Finance",
    "Director for Transformation and Service Improvement",
    "Service Director, Customers and HR",
]
WORDS = [
    "the",
    "council",
    "committee",
    "service",
    "report",
    "proposal",
    "budget",
    "funding",
    "members",
    "officers",
    "residents",
    "county",
    "district",
    "provision",
    "contract",
    "support",
    "delivery",
    "performance",
    "quarter",
    "review",
    "approach",
    "programme",
    "strategy",
    "outcomes",
    "partners",
    "health",
    "care",
    "community",
    "local",
    "plan",
    "consultation",
    "assessment",
    "arrangements",
    "statutory",
    "duty",
    "financial",
    "implications",
    "savings",
    "investment",
    "capacity",
    "demand",
    "pressure",
    "quality",
    "improvement",
    "monitoring",
    "framework",
    "evidence",
    "engagement",
    "recommendation",
    "decision",
    "priority",
    "commissioning",
    "workforce",
    "vacancy",
    "recruitment",
    "pathway",
    "access",
    "eligibility",
    "criteria",
    "review",
    "period",
    "target",
    "indicator",
    "progress",
    "update",
    "annual",
    "cost",
    "value",
    "risk",
    "mitigation",
    "option",
    "appraisal",
    "procurement",
    "tender",
    "award",
    "extension",
    "variation",
    "market",
    "provider",
]


@dataclass
class PaperSpec:
    """One paper file to write: a report or an appendix, with what it may cite."""

    item: str
    stem: str
    title: str
    appendix_of: str = ""
    exempt: bool = False
    draft: bool = False
    big: bool = False


@dataclass
class MeetingSpec:
    committee: str
    date: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # number, title, kind
    exempt_items: set[str] = field(default_factory=set)
    papers: list[PaperSpec] = field(default_factory=list)


class Archive:
    """Writes one archive; all randomness comes from one seeded generator, consumed in a fixed order."""

    def __init__(self, papers: int, seed: int, out: Path, unresolved: int = 0) -> None:
        self.total, self.out, self.unresolved = papers, out, unresolved
        self.rng = random.Random(seed)
        self.sentences = [self._sentence() for _ in range(3000)]
        self.public_papers: dict[str, list[tuple[str, str]]] = {c[0]: [] for c in COMMITTEES}  # id, title
        self.resolutions: dict[str, list[str]] = {c[0]: [] for c in COMMITTEES}
        self.superseded: set[str] = set()
        self.bytes_written = 0
        self.files = 0

    # --- text ------------------------------------------------------------------------

    def _sentence(self) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(9, 24))]
        if self.rng.random() < 0.15:
            words.insert(self.rng.randint(1, len(words) - 1), f"£{self.rng.randint(2, 950) * 1000:,}")
        return " ".join(words).capitalize() + "."

    def prose(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(self.sentences) for _ in range(self.rng.randint(low, high)))

    def table(self, rows: int) -> str:
        head = "| Service | 2019/20 £000 | 2020/21 £000 | Change | Notes |\n| --- | ---: | ---: | ---: | --- |\n"
        body = "".join(
            f"| {self.rng.choice(TOPICS)} | {self.rng.randint(10, 9000):,} | {self.rng.randint(10, 9000):,} | "
            f"{self.rng.randint(-40, 40)}% | {self.prose(1, 1)[:60]} |\n"
            for _ in range(rows)
        )
        return head + body

    # --- files -------------------------------------------------------------------------

    def write(self, rel: str, text: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.bytes_written += len(data)
        self.files += 1

    def generate(self) -> None:
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir(parents=True)
        self.site()
        for slug in SUBJECTS:
            title = slug.replace("-", " ").capitalize()
            self.write(f"content/subjects/{slug}.md", f"---\ntitle: {title}\n---\n{self.prose(1, 3)}\n")
        for slug, name, kind in COMMITTEES:
            self.committee(slug, name, kind)
        meetings = self.plan_meetings()
        last = {m.committee: m.date for m in meetings}
        previous: dict[str, str] = {}
        for meeting in meetings:
            self.meeting(meeting, previous.get(meeting.committee))
            self.minutes(meeting, previous.get(meeting.committee), draft=last[meeting.committee] == meeting.date)
            previous[meeting.committee] = meeting.date
        self.mention_history()

    def mention_history(self) -> None:
        """Papers citing resolutions from before the archive starts: each of `unresolved` numbers is on no page.

        Drawn from a generator of its own, so the archive is otherwise the one the same seed always gives.
        """
        if not self.unresolved:
            return
        rng = random.Random(f"history-{self.rng.random()}")
        public = sorted(paper for papers in self.public_papers.values() for paper, _ in papers)
        for n in range(self.unresolved):
            number = f"{FIRST_YEAR - 1 - n // 900}/{n % 900 + 1:03d}"
            path = self.out / "content" / "committees" / f"{rng.choice(public)}.md"
            text = path.read_text()
            path.write_text(text.rstrip("\n") + f"\n\nThis continues the policy of resolution {number}.\n")

    def site(self) -> None:
        self.write("site.toml", SITE_TOML)
        shutil.copytree(REPO / "templates", self.out / "templates")
        self.write("build.py", BUILD_PY.format(repo=str(REPO)))
        (self.out / "build.py").chmod(0o755)

    def committee(self, slug: str, name: str, kind: str) -> None:
        members = "".join(
            f"  - name: {self.rng.choice(PEOPLE)} {chr(65 + i)}.\n    party: {self.rng.choice(PARTIES)}\n"
            + ("    role: Chair\n" if i == 0 else "    role: Vice-Chair\n" if i == 1 else "")
            for i in range(11)
        )
        clerk = self.rng.choice(PEOPLE)
        self.write(
            f"content/committees/{slug}/committee.md",
            f"---\nname: {name}\nkind: {kind}\nclerk:\n  name: {clerk}\n  role: Democratic Services Officer\n"
            f"  phone: 0115 977 {self.rng.randint(1000, 9999)}\n  email: {_email(clerk)}\nmembers:\n{members}---\n"
            f"## Terms of reference\n\n{self.prose(3, 6)}\n\n{self.prose(2, 4)}\n",
        )

    # --- planning the archive -------------------------------------------------------------

    def plan_meetings(self) -> list[MeetingSpec]:
        """Enough meetings for the requested number of papers (about eight per meeting), oldest first."""
        count = max(1, math.ceil(self.total / 8))
        per_year = math.ceil(count / (len(COMMITTEES) * YEARS))
        slots = []
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for c, (slug, _, _) in enumerate(COMMITTEES):
                for i in range(per_year):
                    day_of_year = 8 + c * 2 + i * (340 // per_year)
                    slots.append((year, day_of_year, slug))
        step = len(slots) / count
        chosen = sorted({slots[int(i * step)] for i in range(count)})
        meetings = [MeetingSpec(slug, _date(year, day)) for year, day, slug in chosen]
        quotas = [
            self.total // len(meetings) + (1 if i < self.total % len(meetings) else 0) for i in range(len(meetings))
        ]
        for meeting, quota in zip(meetings, quotas, strict=True):
            self.plan_agenda(meeting, quota)
        return meetings

    def plan_agenda(self, meeting: MeetingSpec, quota: int) -> None:
        meeting.items = [
            ("1", "Minutes of the last meeting", "minutes"),
            ("2", "Apologies for Absence", "apologies"),
            ("3", "Declarations of Interests by Members and Officers", "declarations"),
        ]
        reports = max(1, math.ceil(quota * 0.7)) if quota else 0
        appendices = quota - reports
        number = 4
        stems: list[PaperSpec] = []
        for r in range(reports):
            title = f"{self.rng.choice(TOPICS)} {self.rng.choice(KINDS)}"
            last = r == reports - 1 and reports > 3 and self.rng.random() < 0.08
            kind = "exempt" if last else "work-programme" if r == reports - 1 and reports > 2 else "report"
            spec = PaperSpec(
                f"{number:02d}",
                f"{number:02d}-{_slug(title)}",
                title,
                exempt=kind == "exempt",
                draft=kind == "report" and self.rng.random() < 0.004,
                big=self.rng.random() < 0.006,
            )
            if kind == "work-programme":
                spec.title = "Work Programme"
                spec.stem = f"{number:02d}-work-programme"
            meeting.items.append((str(number), spec.title, kind))
            if spec.exempt:
                meeting.exempt_items.add(str(number))
            meeting.papers.append(spec)
            stems.append(spec)
            number += 1
        counters: dict[str, int] = {}
        for _ in range(appendices):
            parent = self.rng.choice(stems)
            counters[parent.stem] = counters.get(parent.stem, 0) + 1
            k = counters[parent.stem]
            meeting.papers.append(
                PaperSpec(
                    parent.item,
                    f"{parent.stem}-appendix-{k}",
                    f"{parent.title}: appendix {k}",
                    appendix_of=parent.stem,
                    exempt=parent.exempt or self.rng.random() < 0.03,
                    draft=parent.draft,
                )
            )

    # --- meetings ------------------------------------------------------------------------------

    def meeting(self, meeting: MeetingSpec, previous: str | None) -> None:
        agenda = []
        for number, title, kind in meeting.items:
            entry = f"  - number: {number}\n    title: {_yaml(title)}\n    kind: {kind}\n"
            if kind == "minutes" and previous:
                entry = (
                    f"  - number: {number}\n    title: Minutes of the last meeting held on {_long(previous)}\n"
                    f"    kind: minutes\n    ref: minutes:{previous}\n"
                )
            elif kind == "exempt":
                entry = (
                    f"  - number: {number}\n    title: {_yaml(title)}\n    kind: exempt\n    access: exempt\n"
                    f"    exempt_paragraph: 3\n    public_title: Exempt item\n"
                )
            elif kind == "report":
                entry += f"    key_decision: {str(self.rng.random() < 0.2).lower()}\n    wards: [All]\n"
            agenda.append(entry)
        officers = "".join(
            f"    - name: {p}\n      role: {self.rng.choice(ROLES)}\n" for p in self.rng.sample(PEOPLE, 3)
        )
        self.write(
            f"content/committees/{meeting.committee}/{meeting.date}/meeting.md",
            f'---\ntime: "{self.rng.choice(["10:00", "10:30", "14:00"])}"\n'
            f"venue: County Hall, West Bridgford, Nottingham NG2 7QP\nstatus: held\nagenda:\n{''.join(agenda)}"
            f"attendance:\n  present:\n    - name: Councillor {self.rng.choice(PEOPLE)}\n      role: Chair\n"
            f"  apologies:\n    - name: Councillor {self.rng.choice(PEOPLE)}\n  officers:\n{officers}---\n"
            f"## Notes\n\n1. {self.prose(1, 2)}\n2. {self.prose(1, 2)}\n",
        )
        for spec in meeting.papers:
            self.paper(meeting, spec)
        for spec in meeting.papers:
            if not spec.exempt and not spec.draft and not spec.appendix_of:
                self.public_papers[meeting.committee].append(
                    (f"{meeting.committee}/{meeting.date}/{spec.stem}", spec.title)
                )

    def paper(self, meeting: MeetingSpec, spec: PaperSpec) -> None:
        rel = f"content/committees/{meeting.committee}/{meeting.date}/{spec.stem}.md"
        if spec.exempt:
            label = "appendix" if spec.appendix_of else "report"
            self.write(
                rel,
                f"---\ntitle: {_yaml(spec.title)}\naccess: exempt\nexempt_paragraph: 3\n"
                f"public_title: Exempt {label}\n---\nCommercially confidential terms. {self.prose(2, 4)}\n",
            )
            return
        if spec.appendix_of:
            self.write(
                rel,
                f"---\ntitle: {_yaml(spec.title)}\n---\n{self.prose(2, 4)}\n\n"
                f"{self.table(self.rng.randint(4, 30))}\n{self.prose(3, 8)}\n",
            )
            return
        author, contact = self.rng.choice(PEOPLE), self.rng.choice(PEOPLE)
        subjects = self.rng.sample(SUBJECTS, self.rng.randint(0, 2))
        front = (
            f"---\ntitle: {_yaml(spec.title)}\nreport_of: {self.rng.choice(DIRECTORS)}\nauthor: {author}\n"
            f"contact:\n  name: {contact}\n  role: {self.rng.choice(ROLES)}\n"
            f"  phone: 0115 977 {self.rng.randint(1000, 9999)}\n  email: {_email(contact)}\n"
            f"key_decision: {str(self.rng.random() < 0.2).lower()}\nwards: [All]\n"
            + (f"subjects: [{', '.join(subjects)}]\n" if subjects else "")
            + ("draft: true\n" if spec.draft else "")
            + "---\n"
        )
        self.write(rel, front + self.report_body(meeting, spec))

    def report_body(self, meeting: MeetingSpec, spec: PaperSpec) -> str:
        """House style: purpose, numbered information paragraphs with tables, options, reasons, recommendations."""
        paragraphs = self.rng.randint(190, 240) if spec.big else max(8, int(self.rng.lognormvariate(3.3, 0.45)))
        sections = [
            "Purpose of the Report",
            "Information",
            "Other Options Considered",
            "Reason/s for Recommendation/s",
            "Statutory and Policy Implications",
            "Financial Implications",
        ]
        cuts = sorted({1, *self.rng.sample(range(2, paragraphs), min(4, paragraphs - 3)), paragraphs + 1})
        out, footnotes, n = [], [], 1
        for s, (start, stop) in enumerate(itertools.pairwise(cuts)):
            out.append(f"## {sections[min(s, len(sections) - 1)]}\n")
            lines = []
            for n in range(start, stop):
                lines.append(f"{n}. {self.paragraph(n, paragraphs, meeting, footnotes)}")
                if self.rng.random() < (0.05 if spec.big else 0.04):
                    out.append("\n".join(lines) + "\n")
                    out.append(self.table(self.rng.randint(25, 60) if spec.big else self.rng.randint(3, 12)))
                    lines = []
            if lines:
                out.append("\n".join(lines) + "\n")
        out.append(f"::: recommendations\nThat Committee:\n\n1) {self.prose(1, 2)}\n2) {self.prose(1, 2)}\n:::\n")
        out.append("## Background Papers and Published Documents\n\n" + self.background(meeting))
        out.append("## Electoral Division(s) and Member(s) Affected\n\n- All\n")
        out.extend(f"[^{i}]: {self.prose(1, 2)}\n" for i in range(1, len(footnotes) + 1))
        return "\n".join(out)

    def paragraph(self, n: int, total: int, meeting: MeetingSpec, footnotes: list[int]) -> str:
        text = self.prose(2, 5)
        roll = self.rng.random()
        if roll < 0.08 and total > 3:
            other = self.rng.randint(1, total)
            text += f" As set out in paragraph {other}, {self.prose(1, 1).lower()}"
        elif roll < 0.11 and total > 6:
            a = self.rng.randint(1, total - 2)
            text += f" Paragraphs {a}-{a + 2} describe the options."
        elif roll < 0.15:
            footnotes.append(n)
            text += f"[^{len(footnotes)}]"
        elif roll < 0.18 and self.resolutions[meeting.committee]:
            number = self.rng.choice(self.resolutions[meeting.committee][-40:])
            text += f" This follows [resolution {number}](resolution:{number})."
        return text

    def background(self, meeting: MeetingSpec) -> str:
        lines = []
        earlier = self.public_papers[meeting.committee][-60:]
        for paper_id, title in self.rng.sample(earlier, min(len(earlier), self.rng.randint(0, 3))):
            day = paper_id.split("/")[1]
            para = f"#para-{self.rng.randint(1, 3)}" if self.rng.random() < 0.3 else ""
            lines.append(f"- [{title}: report to Committee on {_long(day)}](paper:{paper_id}{para})")
        others = [c for c, _, _ in COMMITTEES if c != meeting.committee and self.resolutions[c]]
        if others and self.rng.random() < 0.3:
            other = self.rng.choice(others)
            number = self.rng.choice(self.resolutions[other][-20:])
            lines.append(f"- Decision of another committee: [resolution {number}](resolution:{other}/{number})")
        return "\n".join(lines) + "\n" if lines else "None.\n"

    # --- minutes ---------------------------------------------------------------------------------

    def minutes(self, meeting: MeetingSpec, previous: str | None, draft: bool) -> None:
        year = meeting.date[:4]
        sections, settings = [], []
        for number, title, kind in meeting.items:
            if kind == "exempt":
                continue
            text = self.minute_text(kind, previous)
            sections.append(f"## {number}. {title}\n\n{text}\n")
            if kind not in ("report", "work-programme"):
                continue
            resolution = self.next_resolution(meeting.committee, year)
            points = "".join(f"{i}) {self.prose(1, 2)}\n" for i in range(1, self.rng.randint(2, 4)))
            sections.append(f"::: resolved {resolution}\nThat the Committee:\n\n{points}:::\n")
            settings.append(self.resolution_settings(meeting.committee, resolution))
            self.resolutions[meeting.committee].append(resolution)
        status = "draft" if draft else "confirmed"
        front = (
            f"---\nstatus: {status}\n"
            + ("resolutions:\n" + "".join(s for s in settings if s) if any(settings) else "")
            + "---\n"
        )
        self.write(f"content/committees/{meeting.committee}/{meeting.date}/minutes.md", front + "\n".join(sections))

    def minute_text(self, kind: str, previous: str | None) -> str:
        if kind == "minutes" and previous:
            return (
                f"The minutes of the [meeting held on {_long(previous)}](meeting:{previous}) "
                "were confirmed and signed by the Chair."
            )
        if kind == "apologies":
            return f"- Councillor {self.rng.choice(PEOPLE)} (other reasons)"
        if kind == "declarations":
            return "No interests were disclosed."
        return f"{self.rng.choice(PEOPLE)} introduced the report. {self.prose(2, 6)}\n\n- {self.prose(1, 2)}"

    def next_resolution(self, committee: str, year: str) -> str:
        done = [r for r in self.resolutions[committee] if r.startswith(year + "/")]
        return f"{year}/{len(done) + 1:03d}"

    def resolution_settings(self, committee: str, number: str) -> str:
        lines = []
        if self.rng.random() < 0.3:
            lines.append(f"    subjects: [{self.rng.choice(SUBJECTS)}]")
        earlier = [r for r in self.resolutions[committee][-30:] if f"{committee}/{r}" not in self.superseded]
        roll = self.rng.random()
        if earlier and roll < 0.06:
            target = self.rng.choice(earlier)
            lines.append(f'    amends: ["{target}"]')
        elif earlier and roll < 0.09:
            target = self.rng.choice(earlier)
            self.superseded.add(f"{committee}/{target}")
            lines.append(f'    supersedes: ["{target}"]')
        return f'  "{number}":\n' + "\n".join(lines) + "\n" if lines else ""


def _date(year: int, day_of_year: int) -> str:
    import datetime as dt

    return (dt.date(year, 1, 1) + dt.timedelta(days=day_of_year)).isoformat()


def _long(iso: str) -> str:
    import datetime as dt

    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _slug(title: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())[:40].strip("-")


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@council.example"


SITE_TOML = """\
# A synthetic archive generated by bench/generate.py for benchmarking Minutebook.

[organisation]
name = "Benchshire County Council"
website = "https://www.benchshire.example"
email = "democratic.services@benchshire.example"
timezone = "Europe/London"
language = "en-GB"

[site]
title = "Committee papers"
base_url = "https://democracy.benchshire.example/"
description = "Agendas, reports, minutes and decisions of the council's committees."
"""

BUILD_PY = '''\
#!/usr/bin/env python3
"""Build this generated archive with the Minutebook engine of the repository that generated it."""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("MINUTEBOOK_REPO", {repo!r}))

if __name__ == "__main__":
    try:
        from minutebook.shell.cli import main

        sys.exit(main(root=Path(__file__).resolve().parent))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        sys.exit(130)
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic Minutebook archive for benchmarks.")
    parser.add_argument("--papers", type=int, default=1000, help="number of paper files (reports and appendices)")
    parser.add_argument("--out", type=Path, default=None, help="folder to write (default: bench/archive-<papers>)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (the same seed gives the same archive)")
    parser.add_argument(
        "--unresolved", type=int, default=0, help="mentions of this many resolutions that are not on the site"
    )
    args = parser.parse_args(argv)
    out = args.out or REPO / "bench" / f"archive-{args.papers}"
    archive = Archive(args.papers, args.seed, out, args.unresolved)
    archive.generate()
    print(f"wrote {archive.files} files ({archive.bytes_written / 1e6:.1f} MB) into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
