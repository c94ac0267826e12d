"""Memory housekeeping of a build, all in one place: when the cycle collector runs, and when memory goes back.

An archive's model is millions of small objects that live as long as the
build; Python's cycle collector would walk them again and again (pauses of
a second in the preview), and freed C-heap pages would stay with the process
and with every worker forked from it. The build says what it holds and when
it has let go; this module does the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import os
from collections.abc import Iterator
from typing import Any

WORKER_GC_THRESHOLD = 50_000  # allocations between young-generation collections in a worker (Python: 700)
WORKER_GROWTH = 32 * 2**20  # bytes a worker's resident memory may grow by before its free heap pages go back


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """While unpickling or building values none of which is garbage, the collector would only waste time: a
    parse store loads in about a third of the time without it, and an archive's model is assembled in four
    fifths. What was loaded or built is set aside afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def set_aside() -> None:
    """What exists now lives to the end of the build: the collector need not walk it again."""
    gc.freeze()


def let_go() -> None:
    """What was set aside may be garbage now (a long-lived preview's last model): collect it, and give back."""
    gc.unfreeze()
    gc.collect()
    give_back()


def tidy() -> None:
    """Collect what a build made and dropped, without walking what was set aside: a full sweep of an archive's
    model holds every thread of the process for most of a second (the preview's server too)."""
    gc.collect()
    give_back()


def in_worker() -> None:
    """A forked worker: its parent's heap is left alone by the collector (no copying of its pages), and young
    collections come less often, since parsing makes millions of short-lived objects reference counting frees."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, 20, 20)


class Heap:
    """A process's heap, given back to the system whenever it has grown by WORKER_GROWTH since it last was.

    Pages drawn and files made leave freed buffers in the C heap that would stay with a worker to its end:
    150 MB each, by the last page of a ten-thousand-paper archive; the workers' answers leave as much in the
    process that reads them. Trimming costs milliseconds, so it is done only when the heap has grown, not after
    every task.
    """

    def __init__(self) -> None:
        self.floor = resident()

    def tidy(self) -> None:
        if resident() - self.floor > WORKER_GROWTH:
            give_back()
            self.floor = resident()


def resident() -> int:
    """Bytes of this process's memory in RAM (Linux's /proc), or 0 where that cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def give_back() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim), a no-op elsewhere: large buffers freed
    by a stage leave the heap holding their pages, and every worker forked later would share that size."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
