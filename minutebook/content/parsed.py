"""A parse result: what the parse stage makes of one source, and what assembling and the caches take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser's modules are loaded only by a build that parses something
    from ..diagnostics import Diagnostic
    from .body import Rendered
    from .schema import Record
    from .sources import Source


@dataclass(frozen=True)
class Parsed:
    """One source after the pure, memoisable parse stage (minutebook.content.parse)."""

    source: Source
    kind: str  # committee | meeting | minutes | paper | decision | subject
    parts: tuple[str, ...]  # identity from the path: (committee, date, stem) or (committee, name) as applicable
    record: Record
    body: Rendered
    diagnostics: tuple[Diagnostic, ...]
    shape: bytes = b""  # digest of everything but the body's HTML and text (see build.parsing)
    # Minutes: each decision's settings from the front matter's `resolutions`, checked against its blocks.
    resolutions: dict[str, Record] = field(default_factory=dict)
    # A meeting: its front matter (or its `agenda`) could not be read, so no paper is checked against its agenda.
    agenda_unreadable: bool = False
