"""Suggestions for a reference that matches nothing ("did you mean 2021/003?"), found without comparing with everything.

An archive has thousands of resolutions and papers, and a council that
starts publishing cites decisions older than its site: comparing every
unknown target with every key costs the square of both. A key is made of
parts (`committee/2021/003`, `committee/2021-02-08/04-budget`); a mistyped
one almost always differs from the meant one in a single part, so the keys
compared are those equal to it in every part but one, found by lookup (on a
small site, every key). Each distinct unknown target is worked out once.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import did_you_mean

WILD = "\x00"  # stands for the part that may differ
FEW = 300  # among this many keys or fewer, every one is compared: it costs little and finds more


class Suggestions:
    """Close matches among one kind of key (resolution keys, paper ids, …)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = sorted(keys)
        self.by_pattern: dict[tuple[str, ...], list[str]] = {}
        for key in self.keys:
            for pattern in _patterns(key):
                self.by_pattern.setdefault(pattern, []).append(key)
        self.worked_out: dict[str, str] = {}

    def hint(self, key: str) -> str:
        """' (did you mean "…"?)' for the closest key differing from `key` in one part, or ""."""
        if key not in self.worked_out:
            candidates = {found for pattern in _patterns(key) for found in self.by_pattern.get(pattern, ())}
            self.worked_out[key] = did_you_mean(key, self.keys if len(self.keys) <= FEW else sorted(candidates))
        return self.worked_out[key]


def _patterns(key: str) -> list[tuple[str, ...]]:
    """The key with each of its parts in turn left open: keys sharing a pattern differ in that part at most."""
    parts = key.split("/")
    return [(*parts[:i], WILD, *parts[i + 1 :]) for i in range(len(parts))]
