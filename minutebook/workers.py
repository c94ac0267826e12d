"""Parallel work for the parse and render stages: the same results, in the same order, from every core.

Workers are forked, so they start with the parent's memory (the Jinja
environment, the planned pages) and nothing has to be sent to them but an
index. Results come back in input order, so a parallel build writes exactly
the bytes a serial one does.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
PARALLEL_MIN = 48  # below this many tasks, starting processes costs more than it saves

_TASK: Callable[[int], Any] | None = None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run(
    task: Callable[[int], T],
    count: int,
    jobs: int,
    tick: Callable[[int], None] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[T]:
    """[task(0), …, task(count - 1)], spread over `jobs` forked processes when that pays.

    `sizes` says how many items each task covers, when tasks are groups: they are then handed out one by one
    (put the largest first, so the cores finish together), and the progress ticks count items.
    """
    weights = [1] * count if sizes is None else sizes
    if jobs <= 1 or sum(weights) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [_ticked(task(i), tick, weights[i]) for i in range(count)]
    global _TASK
    _TASK = task
    try:
        chunk = 1 if sizes is not None else max(1, min(64, count // (jobs * 8)))
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_started) as pool:
            done = pool.imap(_run_one, range(count), chunksize=chunk)
            return [_ticked(value, tick, weights[i]) for i, value in enumerate(done)]
    finally:
        _TASK = None


@contextlib.contextmanager
def in_background(function: Callable[..., T], *args: Any) -> Iterator[concurrent.futures.Future[T]]:
    """function(*args) in a forked process while the block runs; its result is ready when the block ends.

    For slow system calls (walking a large folder) that can overlap CPU work in this process.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        yield done
        done.set_result(function(*args))
        return
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context, initializer=_ignore_interrupts) as pool:
        future = pool.submit(function, *args)
        yield future
        future.result()


def give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim), a no-op elsewhere.

    Large strings and buffers freed by a stage (the parse results' pickles, say) leave the heap holding
    their pages, and Python's own small-object arenas never reuse them: the build's memory, and every
    worker forked from it, would stay that much larger to the end.
    """
    global _TRIM
    if _TRIM is None:
        try:
            _TRIM = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM: Any = None


def _worker_started() -> None:
    """The parent's heap, inherited by the fork, is left alone by the collector (no copying of its pages), and
    collections come less often: parsing makes millions of short-lived objects that reference counting frees.

    Ctrl-C reaches every process of the terminal's group: a worker stopped mid-message can leave the pool's queue
    locked and the parent waiting for ever, so workers ignore it and the parent, which gets it too, ends them.
    """
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, 20, 20)
    _ignore_interrupts()


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child process: be killed when the build that started it dies, even by SIGKILL (Linux), so no worker
    or indexer outlives a stopped build. Safe between fork and exec: one system call through a pointer found
    before the fork."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def _prctl() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


WORKER_GC_THRESHOLD = 50_000  # allocations between young-generation collections (Python's default is 700)


def _run_one(index: int) -> Any:
    assert _TASK is not None
    return _TASK(index)


def _ticked(value: T, tick: Callable[[int], None] | None, items: int = 1) -> T:
    if tick is not None:
        tick(items)
    return value
