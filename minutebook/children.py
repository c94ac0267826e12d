"""Child processes of a build (workers, Pagefind) die with the build that started them, so none outlives it; and
Ctrl-C while one is started stops the build like Ctrl-C anywhere else."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Any:
    """Linux's prctl, found once (before any fork, by `prepare`), or None elsewhere."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def prepare() -> None:
    """Find prctl in the parent, so a child between fork and exec only makes one system call."""
    _prctl()


def die_with_parent() -> None:
    """In a child: be killed when the process that started it dies, even by SIGKILL (Linux; elsewhere nothing)."""
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Ctrl-C held back while this process forks a child. Python runs its fork handlers (logging's, for one) in the
    parent right after a fork, and Ctrl-C raised inside one is printed as an ignored exception, traceback and all,
    and lost; held back, it is raised here once the fork is done, where the build stops as it does anywhere else.
    Python runs signal handlers in the main thread only, so no other thread needs this."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
        if pressed:
            signal.raise_signal(signal.SIGINT)  # as pressed now, to whatever handled it before


def running(pid: int) -> bool:
    """Whether a process runs: one killed outright leaves things behind that only it may remove while it runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group, and a worker stopped mid-message can leave
    a queue locked with the parent waiting for ever; the parent, which gets it too, ends its workers instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
