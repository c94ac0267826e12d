"""Build progress for people at a terminal: the stage and a count on one overwritten line of stderr.

Quiet for the first seconds (a quick build shows nothing) and whenever
stderr is not a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY_SECONDS = 2.0
INTERVAL_SECONDS = 0.1


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, delay: float = DELAY_SECONDS) -> None:
        self.stream = stream or sys.stderr
        self.enabled = _is_tty(self.stream) if enabled is None else enabled
        self.delay = delay
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.name, self.done, self.total = "", 0, 0

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.done, self.total = name, 0, total
        self._show(force=True)

    def tick(self, count: int = 1) -> None:
        self.done += count
        self._show(force=self.done == self.total)

    def _show(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (not force and now - self.last < INTERVAL_SECONDS):
            return
        self.last = now
        count = f" {self.done}/{self.total}" if self.total else ""
        self.stream.write(f"\r\x1b[2K{self.name}{count}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the line so the summary that follows starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
