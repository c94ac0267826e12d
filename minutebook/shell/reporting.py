"""What a run tells the clerk about the content: every error, and the warnings in full or summed up by kind.

An archive converted from PDF can give thousands of warnings, most of a
few kinds; a list of 4,000 lines hides the one error among them. Every
problem is still told as `path:line: message` (all of them with
`--warnings=all`, or into a file with `--warnings-file`), and the end of the
run counts the warnings by kind: "3,335 × paragraph number … used twice, in
116 files".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic

MANY = 30  # with more warnings than this, `auto` shows the summary instead of every line
MODES = ("auto", "all", "summary")
QUOTED_RE = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’")
NUMBER_RE = re.compile(r"\b\d[\d./-]*\b")


@dataclass(frozen=True)
class Reporting:
    """How warnings are shown: every one (`all`), counted by kind (`summary`), or whichever is shorter (`auto`)."""

    warnings: str = "auto"
    file: Path | None = None  # where the full list goes too


def report(diagnostics: Sequence[Diagnostic], how: Reporting, stream: TextIO) -> None:
    """Errors always in full; warnings as `how` says; the full list into `how.file` when given."""
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity != "error"]
    every = how.warnings == "all" or (how.warnings == "auto" and len(warnings) <= MANY)
    for diagnostic in [*errors, *warnings] if every else errors:
        print(diagnostic, file=stream)
    if warnings and not every:
        for line in summary(warnings):
            print(line, file=stream)
        where = f"they are all in {how.file}" if how.file else "--warnings=all shows each one"
        print(f"{len(warnings):,} warning(s) of {len(set(map(kind_of, warnings))):,} kind(s); {where}", file=stream)
    if how.file is not None:
        how.file.write_text("".join(f"{d}\n" for d in diagnostics), encoding="utf-8")


def summary(warnings: Sequence[Diagnostic]) -> list[str]:
    """One line per kind of warning, the commonest first, with how many files have it."""
    counts = Counter(kind_of(d) for d in warnings)
    files: dict[str, set[str]] = defaultdict(set)
    for warning in warnings:
        files[kind_of(warning)].add(warning.path)
    return [
        f"  {count:,} × {kind}, in {len(files[kind]):,} file{'s' if len(files[kind]) != 1 else ''}"
        for kind, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def kind_of(diagnostic: Diagnostic) -> str:
    """A message with what differs between instances (quoted text, numbers) left out: its kind."""
    return NUMBER_RE.sub("…", QUOTED_RE.sub("…", diagnostic.message))
