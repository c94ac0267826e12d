"""Work spread over forked processes: the same results in the same order as one process gives, and a task's
error reaching the build with its message and where it was raised."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from pathlib import Path

import pytest

from minutebook.build import memory, workers
from minutebook.site import search

COUNT = 500  # well above PARALLEL_MIN: the work is spread over processes
ARMED: list[bool] = []


def _ctrl_c_in_a_fork_handler() -> None:
    """Once armed: Ctrl-C reaching this process while Python runs its own handlers right after a fork."""
    if ARMED:
        ARMED.pop()
        os.kill(os.getpid(), signal.SIGINT)


os.register_at_fork(after_in_parent=_ctrl_c_in_a_fork_handler)


def test_results_come_back_in_the_order_of_the_tasks_from_more_than_one_process():
    results = workers.run(lambda i: (i * i, os.getpid()), COUNT, jobs=2)
    assert [square for square, _ in results] == [i * i for i in range(COUNT)]
    assert len({pid for _, pid in results}) == 2 and os.getpid() not in {pid for _, pid in results}


def test_groups_of_items_keep_their_order_and_the_progress_counts_items():
    sizes = [30, 20, 10, 5, 3, 1]
    ticks: list[int] = []
    results = workers.run(lambda g: f"group {g}", len(sizes), jobs=2, tick=ticks.append, sizes=sizes)
    assert results == [f"group {g}" for g in range(len(sizes))]
    assert sum(ticks) == sum(sizes)


def fail_at(broken: int):
    def task(i: int) -> int:
        if i == broken:
            raise ValueError(f"page {i} is broken")  # the line the build names
        return i

    return task


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_a_task_reaches_the_caller_with_its_message_and_no_worker_is_left(jobs):
    with pytest.raises(ValueError, match=r"^page 137 is broken$") as raised:
        workers.run(fail_at(137), COUNT, jobs)
    assert multiprocessing.active_children() == []
    if jobs > 1:  # the traceback stayed in the worker: its frames say where the error was raised
        frames = raised.value.worker_frames  # type: ignore[attr-defined]
        assert frames[-1][0] == __file__ and frames[-1][1] == fail_at.__code__.co_firstlineno + 3


class Unpicklable(Exception):
    def __reduce__(self):
        raise pickle.PicklingError("holds an open file")


def test_an_error_that_cannot_travel_between_processes_still_brings_its_message():
    def task(i: int) -> int:
        if i == 250:
            raise Unpicklable("the template reads a closed file")
        return i

    with pytest.raises(RuntimeError, match=r"^Unpicklable: the template reads a closed file$"):
        workers.run(task, COUNT, jobs=2)
    assert multiprocessing.active_children() == []


def test_a_background_task_runs_in_another_process_and_its_result_or_error_comes_back():
    large = workers.Background(lambda: (os.getpid(), "x" * 1_000_000))  # more than a pipe holds
    pid, text = large.result()  # type: ignore[misc]
    assert pid != os.getpid() and len(text) == 1_000_000
    assert large.wait()

    def broken() -> None:
        raise ValueError("the folder cannot be listed")

    failed = workers.Background(broken)
    with pytest.raises(ValueError, match=r"^the folder cannot be listed$"):
        failed.result()
    assert not failed.wait()


def test_a_background_task_no_longer_wanted_is_stopped_and_leaves_no_process(tmp_path):
    import time

    marker = tmp_path / "finished"
    slow = workers.Background(lambda: time.sleep(30) or marker.write_text("done"))
    started = time.perf_counter()
    slow.cancel()
    assert time.perf_counter() - started < 5 and not slow.wait()
    with pytest.raises(ChildProcessError):
        os.waitpid(slow.pid, os.WNOHANG)  # type: ignore[arg-type]
    assert not marker.exists()


def test_a_worker_gives_back_the_memory_its_tasks_freed_before_its_next_task():
    """Buffers freed around a few survivors leave holes the C heap keeps; a worker that kept them would carry its
    largest task's size to its end (every render worker, an archive's largest page)."""
    kept: list[bytes] = []

    def task(_: int) -> int:
        at_start = memory.resident()
        buffers = [bytes(4096) for _ in range(64 * 256)]  # 64 MB in pieces the C heap holds
        kept.extend(buffers[::64])  # a survivor in every 256 KB: the holes cannot join the heap's free top
        del buffers
        return at_start

    starts = workers.run(task, 6, jobs=2, sizes=[workers.PARALLEL_MIN] * 6)
    assert starts[0] > 0  # the process's memory can be read here (Linux)
    first = min(starts[:2])  # each worker's first task starts as forked
    assert max(starts[2:]) < first + memory.WORKER_GROWTH + 8 * 2**20


KEPT: list[bytes] = []  # what reading the answers below keeps, as a build keeps its results


def _read_answer(pieces: int) -> int:
    """Reading an answer that leaves holes among what it keeps, as unpickling a chunk of results does."""
    buffers = [bytes(4096) for _ in range(pieces)]
    KEPT.extend(buffers[::64])
    return pieces


class _Answer:
    def __reduce__(self) -> tuple[object, tuple[int]]:
        return _read_answer, (64 * 256,)  # 64 MB read, 1 MB kept


def test_the_process_reading_the_workers_answers_gives_back_what_reading_them_freed():
    """The build's own process reads every answer (a plan sends back 100 MB): the holes reading them left would
    stay with it, and with every worker it forks later."""
    KEPT.clear()
    at_start = memory.resident()
    answers = workers.run(lambda _: _Answer(), 8, jobs=2, sizes=[workers.PARALLEL_MIN] * 8)
    assert answers == [64 * 256] * 8 and len(KEPT) == 8 * 256
    assert memory.resident() < at_start + memory.WORKER_GROWTH + 24 * 2**20  # 8 MB kept, 512 MB read


def test_a_background_task_for_a_later_build_gives_the_cores_to_this_one():
    """A result saved for the next build runs at a lower priority than the stages the build is waiting for."""
    own = os.nice(0)
    assert workers.Background(lambda: os.nice(0)).result() == own
    assert workers.Background(lambda: os.nice(0), yielding=True).result() == min(19, own + workers.YIELDING_NICENESS)


def _pagefind(root: Path) -> None:
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<html><body><h1>A page</h1></body></html>")
    search.run_pagefind(root / "site", root)


@pytest.mark.parametrize(
    "start",
    [
        lambda root: workers.run(lambda i: i, COUNT, jobs=2),
        lambda root: workers.Background(lambda: None).wait(),
        _pagefind,
    ],
    ids=["workers", "background", "pagefind"],
)
def test_ctrl_c_while_a_process_is_started_stops_the_build_with_no_traceback(start, tmp_path: Path, capfd):
    """Ctrl-C raised in one of Python's fork handlers was printed as an ignored exception, traceback and all, and
    the build went on; it must stop the build as Ctrl-C anywhere else does."""
    ARMED.append(True)
    try:
        with pytest.raises(KeyboardInterrupt):
            start(tmp_path)
    finally:
        ARMED.clear()
    assert "Traceback" not in capfd.readouterr().err
