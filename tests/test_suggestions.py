"""Suggestions for references that match nothing: close matches found by lookup, each unknown target once."""

from __future__ import annotations

from minutebook.content import suggestions
from minutebook.content.suggestions import Suggestions

ARCHIVE = [f"{c}/{year}/{n:03d}" for c in ("policy", "planning") for year in range(2011, 2026) for n in range(1, 200)]


def test_a_mistyped_part_is_suggested_among_thousands_of_keys():
    found = Suggestions(ARCHIVE)
    assert len(ARCHIVE) > suggestions.FEW
    assert found.hint("policy/2O19/104") == ' (did you mean "policy/2019/104"?)'  # a letter O for a zero
    assert found.hint("polciy/2019/104") == ' (did you mean "policy/2019/104"?)'
    assert found.hint("policy/2019/1004") == ' (did you mean "policy/2019/104"?)'


def test_on_a_large_archive_only_keys_differing_in_one_part_are_compared(monkeypatch):
    compared: list[int] = []
    original = suggestions.did_you_mean
    monkeypatch.setattr(
        suggestions, "did_you_mean", lambda key, keys: compared.append(len(keys)) or original(key, keys)
    )
    found = Suggestions(ARCHIVE)
    found.hint("policy/2019/104x")
    assert compared == [199]  # the other numbers of that committee's year, not all 5,970 keys
    found.hint("policy/2019/104x")
    assert compared == [199]  # worked out once


def test_on_a_small_site_every_key_is_compared():
    found = Suggestions(["test/2021/001", "planning/2021/002"])
    assert found.hint("test/2020/009") == ' (did you mean "test/2021/001"?)'  # two parts differ
    assert Suggestions(ARCHIVE).hint("elsewhere/1999/x") == ""
