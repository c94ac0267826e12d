"""The model stage: every parse result assembled, linked and published, remembered by the sources' shapes.

The model never holds a body's HTML or text (they wait in the body store),
so it is a function of the settings, the date, the kind of build and the
shape of every source: a build whose sources all keep their shapes takes
the last model as it is, loading it only if some output must be made again.
On a public build the gate is proved here too, with the canary, since the
gate runs here: a model is never remembered without its proof.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.config import Config
from ..diagnostics import Diagnostic, Diagnostics
from .digest import digest, engine_version, table_digest
from .memo import Lazy
from .parsing import ParsedSources
from .project import Cache

if TYPE_CHECKING:
    from ..content.published import Model


@dataclass(frozen=True)
class Assembled:
    """The model stage's result: the model, or None when the content has errors; and what it reported."""

    model: Model | None
    diagnostics: tuple[Diagnostic, ...]


def model_key(config: Config, parsed: ParsedSources, today: dt.date, preview: bool) -> bytes:
    """Exactly what the model is made from: the engine, the settings, the day, the kind of build, the shapes."""
    return digest((engine_version(), config, today, preview, table_digest(parsed.shapes)))


def make(
    key: bytes, config: Config, parsed: ParsedSources, today: dt.date, preview: bool, cache: Cache
) -> tuple[Lazy[Assembled], tuple[Diagnostic, ...], bool]:
    """The model for `key` (the one remembered, or made now from every parse result), what making it reported,
    and whether it could be made (no errors)."""
    made, note = cache.memos.stage("model", key, lambda: assembled(config, parsed, today, preview, cache), _note)
    diagnostics, ok = note
    return made, diagnostics, ok


def _note(value: Assembled) -> tuple[tuple[Diagnostic, ...], bool]:
    return value.diagnostics, value.model is not None


def assembled(config: Config, parsed: ParsedSources, today: dt.date, preview: bool, cache: Cache) -> Assembled:
    from ..content import assemble  # assembling is loaded by a build that makes a model, not by every one
    from ..content.published import publish
    from . import canary

    diagnostics = Diagnostics()
    full = assemble.assemble(parsed.documents(cache), config, diagnostics, parsed.unreadable)
    model = publish(full, config, today, preview, diagnostics)
    errors = any(d.severity == "error" for d in diagnostics.items)
    proof = canary.check_canary(full, today) if not preview and not errors else []
    # a failed proof stops the build before writing, like a leak, but the leak check still runs to report all
    return Assembled(None if errors else model, (*diagnostics.items, *proof))
