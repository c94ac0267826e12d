"""Child processes of a build (workers, Pagefind) die with the build that started them, so none outlives it."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import signal
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


def ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group, and a worker stopped mid-message can leave
    a queue locked with the parent waiting for ever; the parent, which gets it too, ends its workers instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
