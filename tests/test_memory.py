"""Memory housekeeping: the collector stays out of the way while the long-lived values of a build are made."""

from __future__ import annotations

import gc

from conftest import build

from minutebook.build import model


def test_the_model_is_assembled_without_the_collector_and_the_collector_runs_again_afterwards(make_site, monkeypatch):
    """An archive's model is hundreds of thousands of values none of which is garbage: a collection while it is
    assembled walks them all for nothing (a fifth of the stage on ten thousand papers)."""
    root = make_site({"content/committees/test/2021-01-11/04-report.md": "---\ntitle: A report\n---\n1. Text.\n"})
    collecting: list[bool] = []
    assembled = model.assembled
    monkeypatch.setattr(model, "assembled", lambda *args: collecting.append(gc.isenabled()) or assembled(*args))
    assert gc.isenabled()
    assert build(root, search=False).ok
    assert collecting == [False]
    assert gc.isenabled()
