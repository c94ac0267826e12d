"""Diagnostics: every content problem as `path:line: message`, collected so all are reported at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .textcheck import CONTROL_RE, INVISIBLE_RE


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the content, pointing at the exact place."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.severity == "error" else "warning: "
        return visible(f"{where}: {prefix}{self.message}")


def visible(text: str) -> str:
    """Control and invisible characters (from a file name or a quoted value) escaped: a message printed in a
    terminal cannot move its cursor or reverse its text."""
    if not CONTROL_RE.search(text) and not INVISIBLE_RE.search(text):
        return text
    return INVISIBLE_RE.sub(_escaped, CONTROL_RE.sub(_escaped, text))


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


@dataclass
class Diagnostics:
    """A collector passed through the loading stages; never raises for user mistakes."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str | PurePosixPath, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(path), line, message, "error"))

    def warning(self, path: str | PurePosixPath, line: int, message: str) -> None:
        self.items.append(Diagnostic(str(path), line, message, "warning"))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted(d for d in set(self.items) if d.severity == "error")

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted(d for d in set(self.items) if d.severity == "warning")

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.severity, d.message))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close match exists, else ''."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""
