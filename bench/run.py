#!/usr/bin/env python3
"""Benchmark: build generated archives of 1,000 and 10,000 papers cold, unchanged, and after one-paper edits.

Every build is `python build.py` run in the generated folder as a child
process, so wall time, CPU time and peak memory (the child's maxrss, its
workers included) are what a clerk would see. The engine is copied once at
the start, so an edit to minutebook/ during a long run cannot turn the
rebuilds into cold builds.

    python bench/run.py                    # both sizes
    python bench/run.py --papers 1000      # one size
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
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

    @property
    def without_search(self) -> float:
        return self.wall - (self.search or 0.0)


@dataclass
class Size:
    papers: int
    runs: dict[str, Run] = field(default_factory=dict)
    pages: int = 0
    output_mb: float = 0.0
    source_mb: float = 0.0


def build_measured(folder: Path, engine: Path, jobs: int | None) -> Run:
    """Run a build as a child and take its own resource usage with wait4, not the sum over every child so far."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "MINUTEBOOK_REPO": str(engine)}
    command = [sys.executable, "build.py", "build", "--timings", *(["--jobs", str(jobs)] if jobs else [])]
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
    stages = {m[1]: float(m[2]) for m in re.finditer(r"^  ([^:\n]+): ([\d.]+)s$", stderr, re.M)}
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


def measure(papers: int, engine: Path, jobs: int | None, seed: int, keep: bool) -> Size:
    folder = REPO / "bench" / f"archive-{papers}"
    print(f"generating {papers} papers into {folder.relative_to(REPO)} …", file=sys.stderr)
    archive = generate.Archive(papers, seed, folder)
    archive.generate()
    size = Size(papers, source_mb=archive.bytes_written / 1e6)
    steps = [
        ("cold build", None),
        ("no-change rebuild", None),
        ("one-paper body edit", edit_body),
        ("one-paper title edit", edit_title),
    ]
    paper = edited_paper(folder)
    for name, change in steps:
        if change is not None:
            change(paper)
        print(f"  {papers}: {name} …", file=sys.stderr)
        run = build_measured(folder, engine, jobs)
        print(
            f"    {run.line} [{run.wall:.2f}s wall, {run.cpu:.1f}s cpu, {run.peak_mb:.0f} MB, "
            f"{run.own_peak_mb:.0f} MB without the search index]",
            file=sys.stderr,
        )
        print("    " + ", ".join(f"{k} {v:.2f}" for k, v in run.stages.items()), file=sys.stderr)
        size.runs[name] = run
    size.pages = size.runs["cold build"].rendered
    size.output_mb = sum(p.stat().st_size for p in (folder / "output").rglob("*") if p.is_file()) / 1e6
    if not keep:
        shutil.rmtree(folder)
    return size


def table(sizes: list[Size], search_available: bool) -> str:
    """Measurements down, archive sizes across."""

    def seconds(run: Run) -> str:
        return f"{run.wall:7.2f} ({run.without_search:6.2f})"

    rows: list[tuple[str, list[str]]] = []
    for name in ("cold build", "no-change rebuild", "one-paper body edit", "one-paper title edit"):
        rows.append((f"{name}, s (without search)", [seconds(s.runs[name]) for s in sizes]))
        rows.append(("  rendered / written", [f"{s.runs[name].rendered} / {s.runs[name].written}" for s in sizes]))
        rows.append(
            ("  of which leak check, s", [f"{s.runs[name].stages.get('checking for leaks', 0):.2f}" for s in sizes])
        )
    rows += [
        ("cold build cpu, s", [f"{s.runs['cold build'].cpu:.1f}" for s in sizes]),
        (
            "pages per second (cold, without search)",
            [f"{s.pages / max(s.runs['cold build'].without_search, 1e-9):.0f}" for s in sizes],
        ),
        ("peak memory, MB (any build)", [f"{max(r.peak_mb for r in s.runs.values()):.0f}" for s in sizes]),
        (
            "  without the search index, MB",
            [f"{max(r.own_peak_mb for r in s.runs.values()):.0f}" for s in sizes],
        ),
        ("output size, MB", [f"{s.output_mb:.0f}" for s in sizes]),
        ("source size, MB", [f"{s.source_mb:.0f}" for s in sizes]),
        (
            "search index step (cold), s",
            [
                f"{s.runs['cold build'].search:.2f}"
                if search_available and s.runs["cold build"].search is not None
                else "n/a"
                for s in sizes
            ],
        ),
    ]
    width = max(len(label) for label, _ in rows) + 2
    columns = [max(len(f"{s.papers} papers"), *(len(v[i]) for _, v in rows)) + 2 for i, s in enumerate(sizes)]
    head = " " * width + "".join(f"{s.papers} papers".rjust(c) for s, c in zip(sizes, columns, strict=True))
    lines = [head, "-" * len(head)]
    lines += [
        label.ljust(width) + "".join(v.rjust(c) for v, c in zip(values, columns, strict=True)) for label, values in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Minutebook builds on generated archives.")
    parser.add_argument("--papers", type=int, nargs="+", default=[1000, 10000], help="archive sizes (default: both)")
    parser.add_argument("--jobs", type=int, default=None, help="processes per build (default: one per core)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", action="store_true", help="keep the generated archives under bench/")
    args = parser.parse_args(argv)
    search_available = (REPO / "minutebook" / "search.py").is_file()
    with tempfile.TemporaryDirectory(prefix="minutebook-engine-") as engine:
        shutil.copytree(REPO / "minutebook", Path(engine) / "minutebook", ignore=shutil.ignore_patterns("__pycache__"))
        sizes = [measure(n, Path(engine), args.jobs, args.seed, args.keep) for n in args.papers]
    print(
        f"Minutebook benchmark: {os.cpu_count()} cores, jobs={args.jobs or 'auto'}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(table(sizes, search_available))
    return 0


if __name__ == "__main__":
    sys.exit(main())
