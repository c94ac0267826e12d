#!/usr/bin/env python3
"""Benchmark of the dev server: the time from saving a paper to the browser's reload event, over several saves.

Runs `build.py serve` on a copy of a site (the example site by default, or
any site folder, such as one written by bench/generate.py), listens to its
live-reload stream as a browser would, and saves one paper repeatedly.

    python bench/serve_latency.py                       # the example site
    python bench/serve_latency.py --archive bench/archive-1000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_PARTS = ("content", "templates", "site.toml")
TARGET_MS = 250  # the example site
ARCHIVE_TARGET_MS = 1000  # a one-paper edit in a generated archive of 10,000 papers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=None, help="a site folder (default: the example site)")
    parser.add_argument("--archive", type=Path, default=None, help="a generated archive, e.g. bench/archive-10000")
    parser.add_argument("--edits", type=int, default=10, help="how many saves to time (default: 10)")
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between saves (default: 1.5)")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait after the preview starts, before the first save (an archive's search index is "
        "made in the background meanwhile; default: 0, saving at once as a clerk may)",
    )
    args = parser.parse_args()
    source = args.archive or args.site or REPO
    with tempfile.TemporaryDirectory(prefix="minutebook-serve-bench-") as scratch:
        site = copy_site(source, Path(scratch) / "site")
        latencies, lines = measure(site, args.edits, args.pause, args.settle)
    print_report(source, latencies, lines, ARCHIVE_TARGET_MS if args.archive else TARGET_MS)
    return 0


def copy_site(source: Path, target: Path) -> Path:
    """The benchmark edits files, so it works on a copy; the source is never touched."""
    target.mkdir(parents=True)
    for part in SITE_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part)
        elif path.is_file():
            shutil.copy2(path, target / part)
    shutil.copy2(REPO / "build.py", target / "build.py")
    return target


def measure(site: Path, edits: int, pause: float, settle: float = 0.0) -> tuple[list[float], list[str]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port)],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip()) for line in server.stdout], daemon=True).start()
    try:
        wait_for_line(lines, "serving", 600)
        time.sleep(settle)
        events = listen(port)
        paper = pick_paper(site)
        original = paper.read_text(encoding="utf-8")
        latencies = []
        for n in range(edits):
            time.sleep(pause)
            drain(events)
            started = time.perf_counter()
            paper.write_text(original + f"\n\nA sentence added by save {n + 1}.\n", encoding="utf-8")
            events.get(timeout=120)
            latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    finally:
        server.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        server.kill()
    return latencies, drain(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listen(port: int) -> queue.Queue[str]:
    """Reload events from the server, as the page's EventSource would receive them."""
    events: queue.Queue[str] = queue.Queue()
    connected = threading.Event()

    def read() -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__minutebook/events", timeout=300) as stream:
            for raw in stream:
                line = raw.decode().strip()
                if line == "event: hello":
                    connected.set()
                elif line == "event: reload":
                    events.put(line)

    threading.Thread(target=read, daemon=True).start()
    if not connected.wait(30):
        raise SystemExit("the server's event stream did not open")
    return events


def pick_paper(site: Path) -> Path:
    papers = sorted(p for p in (site / "content").rglob("[0-9]*.md") if "appendix" not in p.name)
    if not papers:
        raise SystemExit(f"no paper found under {site / 'content'}")
    return papers[len(papers) // 2]


def wait_for_line(lines: queue.Queue[str], start: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        print(f"  server: {line}")
        if line.startswith(start):
            return
    raise SystemExit("the server did not start")


def drain(items: queue.Queue[str]) -> list[str]:
    drained = []
    with contextlib.suppress(queue.Empty):
        while True:
            drained.append(items.get_nowait())
    return drained


def print_report(source: Path, latencies: list[float], lines: list[str], target: float) -> None:
    for line in lines:
        print(f"  server: {line}")
    median, worst = statistics.median(latencies), max(latencies)
    verdict = "within" if median <= target else "over"
    print(
        f"save-to-reload latency on {source} over {len(latencies)} saves: "
        f"median {median:.0f} ms, max {worst:.0f} ms ({verdict} the {target:.0f} ms target)"
    )


if __name__ == "__main__":
    sys.exit(main())
