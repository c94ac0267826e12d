#!/usr/bin/env python3
"""Benchmark: build generated archives of 1,000 and 10,000 papers cold, unchanged, and after one-paper changes.

Every figure is taken twice, on two copies of the same archive: as a clerk
builds (search index included) and with `build --no-search` beside it. A
last run builds the smallest archive cold, in three pairs taken in turn,
without and with its papers mentioning 1,000 resolutions that are not on
the site (an archive older than its site), to show what resolving them, and
suggesting near misses, costs: one pair alone differs by as much.

Every build is `python build.py` run in the generated folder as a child
process, so wall time, CPU time and peak memory (the child's maxrss, its
workers included) are what a clerk would see. The engine is copied once at
the start, so an edit to minutebook/ during a long run cannot turn the
rebuilds into cold builds.

    python bench/run.py                    # both sizes
    python bench/run.py --papers 1000      # one size
    python bench/run.py --unresolved 0     # no run with unresolved mentions
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402

EPOCH = "1795478400"  # 2026-11-24: every build sees the same date
OWN_PEAK_RE = re.compile(r"peak memory without the search index: (\d+) MB")
SUMMARY_RE = re.compile(
    r"built (\d+) files into .*?: (\d+) pages rendered, (\d+) reused; (\d+) written, "
    r"(\d+) unchanged, (\d+) removed in ([\d.]+)s(?: \(search index ([\d.]+)s\))?"
)


@dataclass
class Run:
    """One build: what the child reported and what it cost."""

    wall: float
    cpu: float
    peak_mb: float
    rendered: int = 0
    reused: int = 0
    written: int = 0
    search: float | None = None
    line: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    own_peak_mb: float = 0.0  # the build's own peak, Pagefind's process aside (what the build reports)


@dataclass
class Size:
    papers: int
    runs: dict[str, Run] = field(default_factory=dict)
    bare_runs: dict[str, Run] = field(default_factory=dict)  # the same steps built with --no-search
    pages: int = 0
    output_mb: float = 0.0
    source_mb: float = 0.0


def build_measured(folder: Path, engine: Path, jobs: int | None, search: bool = True) -> Run:
    """Run a build as a child and take its own resource usage with wait4, not the sum over every child so far."""
    # as on a clerk's machine, Python keeps the engine's compiled modules (__pycache__) from one build to the next:
    # a shell that forbids writing them would add compiling every module to every build timed
    kept = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env = {**kept, "SOURCE_DATE_EPOCH": EPOCH, "MINUTEBOOK_REPO": str(engine)}
    options = [*(["--jobs", str(jobs)] if jobs else []), *([] if search else ["--no-search"])]
    command = [sys.executable, "build.py", "build", "--timings", "--warnings=summary", *options]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode:
        raise SystemExit(f"build failed in {folder}:\n{stderr[-3000:]}")
    match = SUMMARY_RE.search(stdout)
    if match is None:
        raise SystemExit(f"no summary line from the build in {folder}:\n{stdout}\n{stderr[-2000:]}")
    stages = {m[1]: float(m[2]) for m in re.finditer(r"^  ([^:\n]+): ([\d.]+)s(?: \(.*\))?$", stderr, re.M)}
    return Run(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        int(match[2]),
        int(match[3]),
        int(match[4]),
        float(match[8]) if match[8] else None,
        match[0],
        stages,
        float(own[1]) if (own := OWN_PEAK_RE.search(stderr)) else 0.0,
    )


def edited_paper(folder: Path) -> Path:
    """A public report in the middle of the archive (the same one every time for the same seed)."""
    papers = sorted(
        p
        for p in (folder / "content" / "committees").rglob("[0-9]*.md")
        if "appendix" not in p.name
        and "work-programme" not in p.name
        and "access: exempt" not in (text := p.read_text())
        and "draft: true" not in text
    )
    return papers[len(papers) // 2]


def edit_body(paper: Path) -> None:
    text = paper.read_text()
    paper.write_text(
        re.sub(r"^2\. ", "2. The position has changed since the report was drafted. ", text, count=1, flags=re.M)
    )


def edit_title(paper: Path) -> None:
    paper.write_text(re.sub(r'^title: "(.*)"$', r'title: "\1 (revised)"', paper.read_text(), count=1, flags=re.M))


def _appendices(paper: Path) -> list[Path]:
    return sorted(paper.parent.glob(f"{paper.stem}-appendix-*.md"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def add_appendix(paper: Path) -> None:
    """A new paper file: the next appendix of the edited report."""
    number = len(_appendices(paper)) + 1
    paper.with_name(f"{paper.stem}-appendix-{number}.md").write_text(
        "---\ntitle: Consultation responses received after publication\n---\n"
        "1. Three further responses were received after the report was published.\n\n"
        "2. None of them raises a matter not already set out in the report.\n"
    )


def remove_appendix(paper: Path) -> None:
    """One paper file gone: the last appendix of the edited report (the one just added)."""
    _appendices(paper)[-1].unlink()


STEPS: list[tuple[str, Callable[[Path], None] | None]] = [
    ("cold build", None),
    ("no-change rebuild", None),
    ("one-paper body edit", edit_body),
    ("one-paper title edit", edit_title),
    ("one paper added", add_appendix),
    ("one paper removed", remove_appendix),
]


def measure(papers: int, engine: Path, jobs: int | None, seed: int, keep: bool) -> Size:
    """Every step on one archive with search, and the same steps on a copy of it without."""
    folder = REPO / "bench" / f"archive-{papers}"
    print(f"generating {papers} papers into {folder.relative_to(REPO)} …", file=sys.stderr)
    archive = generate.Archive(papers, seed, folder)
    archive.generate()
    bare = folder.with_name(folder.name + "-no-search")
    shutil.rmtree(bare, ignore_errors=True)
    shutil.copytree(folder, bare)
    size = Size(papers, source_mb=archive.bytes_written / 1e6)
    size.runs = run_steps(folder, engine, jobs, search=True)
    size.bare_runs = run_steps(bare, engine, jobs, search=False)
    size.pages = size.runs["cold build"].rendered
    size.output_mb = sum(p.stat().st_size for p in (folder / "output").rglob("*") if p.is_file()) / 1e6
    if not keep:
        shutil.rmtree(folder)
        shutil.rmtree(bare)
    return size


def run_steps(folder: Path, engine: Path, jobs: int | None, search: bool) -> dict[str, Run]:
    paper = edited_paper(folder)
    runs: dict[str, Run] = {}
    for name, change in STEPS:
        if change is not None:
            change(paper)
        print(f"  {folder.name}: {name} …", file=sys.stderr)
        run = build_measured(folder, engine, jobs, search)
        print(
            f"    {run.line} [{run.wall:.2f}s wall, {run.cpu:.1f}s cpu, {run.peak_mb:.0f} MB, "
            f"{run.own_peak_mb:.0f} MB without the search index]",
            file=sys.stderr,
        )
        print("    " + ", ".join(f"{k} {v:.2f}" for k, v in run.stages.items()), file=sys.stderr)
        runs[name] = run
    return runs


PAIRS = 3  # cold builds of each archive, taken in turn: one pair differs by as much as the effect measured


def unresolved_cost(papers: int, mentions: int, engine: Path, jobs: int | None, seed: int) -> list[tuple[Run, Run]]:
    """Cold builds of the same archive without and with `mentions` mentions of resolutions not on the site, in
    pairs taken one after the other, so a slower minute of the machine weighs on both sides alike."""
    folders = []
    for count in (0, mentions):
        folder = REPO / "bench" / f"archive-{papers}-unresolved-{count}"
        generate.Archive(papers, seed, folder, unresolved=count).generate()
        folders.append(folder)
    pairs = []
    for _ in range(PAIRS):
        runs = []
        for folder in folders:
            for made in (folder / "output", folder / ".minutebook-cache"):
                shutil.rmtree(made, ignore_errors=True)
            print(f"  {folder.name}: cold build …", file=sys.stderr)
            runs.append(build_measured(folder, engine, jobs))
            print(f"    {runs[-1].line} [{runs[-1].wall:.2f}s wall, {runs[-1].cpu:.1f}s cpu]", file=sys.stderr)
        pairs.append((runs[0], runs[1]))
    for folder in folders:
        shutil.rmtree(folder)
    return pairs


def table(sizes: list[Size]) -> str:
    """Measurements down, archive sizes across; each figure with search, and without it in brackets."""

    def both(name: str, figure: Callable[[Run], str]) -> list[str]:
        return [f"{figure(s.runs[name])} ({figure(s.bare_runs[name])})" for s in sizes]

    rows: list[tuple[str, list[str]]] = []
    for name, _ in STEPS:
        rows.append((f"{name}, s", both(name, lambda r: f"{r.wall:.2f}")))
        rows.append(("  rendered / written", both(name, lambda r: f"{r.rendered} / {r.written}")))
        rows.append(("  of which search index, s", [f"{s.runs[name].search or 0:.2f}" for s in sizes]))
        rows.append(("  of which leak check, s", both(name, lambda r: f"{r.stages.get('checking for leaks', 0):.2f}")))
    rows += [
        ("cold build cpu, s", both("cold build", lambda r: f"{r.cpu:.1f}")),
        ("pages per second (cold)", both("cold build", lambda r: f"{r.rendered / max(r.wall, 1e-9):.0f}")),
        ("peak memory, MB (any build)", [_peaks(s) for s in sizes]),
        (
            "  the build's own, Pagefind aside, MB",
            [f"{max(r.own_peak_mb for r in s.runs.values()):.0f}" for s in sizes],
        ),
        ("output size, MB", [f"{s.output_mb:.0f}" for s in sizes]),
        ("source size, MB", [f"{s.source_mb:.0f}" for s in sizes]),
    ]
    width = max(len(label) for label, _ in rows) + 2
    columns = [max(len(f"{s.papers} papers"), *(len(v[i]) for _, v in rows)) + 2 for i, s in enumerate(sizes)]
    head = " " * width + "".join(f"{s.papers} papers".rjust(c) for s, c in zip(sizes, columns, strict=True))
    lines = [head, "-" * len(head)]
    lines += [
        label.ljust(width) + "".join(v.rjust(c) for v, c in zip(values, columns, strict=True)) for label, values in rows
    ]
    return "\n".join(lines)


def _peaks(size: Size) -> str:
    return f"{max(r.peak_mb for r in size.runs.values()):.0f} ({max(r.peak_mb for r in size.bare_runs.values()):.0f})"


def unresolved_table(papers: int, mentions: int, pairs: list[tuple[Run, Run]]) -> str:
    extras = [(mentioning.wall - plain.wall) / plain.wall * 100 for plain, mentioning in pairs]
    each = ", ".join(
        f"{plain.wall:.2f} → {mentioning.wall:.2f} s ({extra:+.1f}%)"
        for (plain, mentioning), extra in zip(pairs, extras, strict=True)
    )
    return (
        f"{papers} papers, cold build with search, without and with {mentions:,} mentions of resolutions not on "
        f"the site, {len(pairs)} pairs: {each}; median {statistics.median(extras):+.1f}%"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Minutebook builds on generated archives.")
    parser.add_argument("--papers", type=int, nargs="+", default=[1000, 10000], help="archive sizes (default: both)")
    parser.add_argument("--jobs", type=int, default=None, help="processes per build (default: one per core)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", action="store_true", help="keep the generated archives under bench/")
    parser.add_argument(
        "--unresolved",
        type=int,
        default=1000,
        help="mentions of resolutions not on the site, in a run on the smallest archive (0: no such run)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="minutebook-engine-") as engine:
        shutil.copytree(REPO / "minutebook", Path(engine) / "minutebook", ignore=shutil.ignore_patterns("__pycache__"))
        sizes = [measure(n, Path(engine), args.jobs, args.seed, args.keep) for n in args.papers]
        smallest = min(args.papers)
        unresolved = (
            unresolved_cost(smallest, args.unresolved, Path(engine), args.jobs, args.seed) if args.unresolved else None
        )
    print(
        f"Minutebook benchmark: {os.cpu_count()} cores, jobs={args.jobs or 'auto'}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(table(sizes))
    if unresolved is not None:
        print(unresolved_table(smallest, args.unresolved, unresolved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
