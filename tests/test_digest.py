"""Digests, the keys of everything a build remembers: the same value gives the same key in every process, so the
next build reuses what this one made, and values that differ never share a key, so no page is wrongly kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from minutebook.build.digest import digest
from minutebook.content.body import Heading
from minutebook.content.references import Target

VALUES = """(
    __import__("datetime").date(2021, 1, 11),
    frozenset({"libraries", "parks", "roads", "buses", "schools"}),
    {"committee": "test", "wards": ("Bingham", "Radcliffe")},
    __import__("minutebook.content.sources").content.sources.Source("content/a.md", "Text.", "d1"),
    __import__("markupsafe").Markup("<b>bold</b>"),
)"""


def digest_elsewhere(seed: str) -> str:
    script = f"from minutebook.build.digest import digest\nprint(digest({VALUES}).hex())"
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    return run.stdout.strip()


def test_the_same_values_give_the_same_key_in_every_process():
    """Python salts hash() and orders sets differently in each process; a key must not follow."""
    here = digest(eval(VALUES)).hex()
    assert digest_elsewhere("1") == digest_elsewhere("2") == here


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("ab", "c"), ("a", "bc")),  # where one text ends and the next begins
        ("<b>bold</b>", __import__("markupsafe").Markup("<b>bold</b>")),  # text to escape, or HTML to show as it is
        ((1, 2), [1, 2]),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # a template shows a dict in its order
        (1, 1.0),
        (None, "None"),
        (Target("paper", "a/b"), ("paper", "a/b", "")),  # a named tuple (a link's target) is not its items alone
        (Target("paper", "a/b"), Target("paper", "a/b", "para-2")),
        (Heading(2, "scope", "Scope"), Heading(3, "scope", "Scope")),
    ],
)
def test_values_that_differ_never_share_a_key(one, other):
    assert digest(one) != digest(other)


def test_the_engine_version_is_fixed_before_the_first_stage(make_site, monkeypatch):
    """Stores are marked with the engine's version. Worked out for the first time in a forked worker, after the
    engine's files changed on disk, it would mark that worker's stores with another, and the build would not find
    what its workers stored: it is worked out before anything else, and every process inherits it."""
    from conftest import build

    from minutebook.build import digest as digests
    from minutebook.build import reading

    root = make_site({})
    digests.engine_version.cache_clear()
    known: list[int] = []
    original = reading.read
    monkeypatch.setattr(
        reading, "read", lambda *a, **k: known.append(digests.engine_version.cache_info().currsize) or original(*a, **k)
    )
    assert build(root).ok
    assert known == [1]
