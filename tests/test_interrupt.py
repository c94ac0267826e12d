"""Ctrl-C at any moment of a build: it stops within two seconds, the previous output stays, no process is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

sys.path.insert(0, str(ROOT / "bench"))
import generate

STOP_SECONDS = 2.0
EPOCH = "1795478400"


def processes_tagged(tag: str) -> list[int]:
    """Processes still running whose environment carries `tag`: the build, its workers, Pagefind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"MINUTEBOOK_TEST_TAG={tag}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def start(root: Path, tag: str) -> subprocess.Popen:
    """`python build.py` in its own process group, as a terminal runs it, so Ctrl-C reaches the whole group."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "MINUTEBOOK_TEST_TAG": tag, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "build.py", "build"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive") / "site"
    generate.Archive(400, 7, root).generate()
    done = subprocess.run(
        [sys.executable, "build.py", "build"],
        cwd=root,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.8, 1.3, 2.0, 3.0])
def test_ctrl_c_at_any_moment_stops_the_build_and_keeps_the_output(archive, delay):
    paper = sorted((archive / "content/committees").rglob("0[1-9]-*.md"))[5]
    original = paper.read_text(encoding="utf-8")
    paper.write_text(original.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    before = snapshot(archive / "output")
    tag = f"interrupt-{os.getpid()}-{delay}"
    try:
        build = start(archive, tag)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGINT)
        stopped = time.monotonic()
        try:
            build.wait(timeout=STOP_SECONDS + 1)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            pytest.fail(f"Ctrl-C at {delay}s did not stop the build: {build.stderr.read().decode()[-2000:]}")
        assert time.monotonic() - stopped < STOP_SECONDS
        err = build.stderr.read().decode()
        build.stderr.close()
        assert "Traceback" not in err, err
        if build.returncode == 0:  # it finished before the signal: the new output is there, whole
            page = archive / "output" / paper.parent.relative_to(archive / "content").as_posix() / paper.stem
            assert "Revised" in (page / "index.html").read_text(encoding="utf-8")
        else:
            assert build.returncode in (1, 130, -signal.SIGINT), err
            assert snapshot(archive / "output") == before
        time.sleep(0.2)
        assert processes_tagged(tag) == []
        assert [p.name for p in archive.iterdir() if ".staging-" in p.name] == []
    finally:
        paper.write_text(original, encoding="utf-8")
