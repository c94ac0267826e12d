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
from collections.abc import Iterator
from typing import Any

WORKER_GC_THRESHOLD = 50_000  # allocations between young-generation collections in a worker (Python: 700)


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """While unpickling or building values none of which is garbage, the collector would only waste time: a
    parse store loads in about a third of the time without it. What was loaded is set aside afterwards."""
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
