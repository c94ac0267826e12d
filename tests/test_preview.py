"""The preview's rebuild, in process: each save builds into memory, and only a save that replaced the model pays
for sweeping the old one (a full sweep of an archive's model holds the server's threads for most of a second)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, edit

from minutebook.build import memory
from minutebook.shell.preview import Preview

REPORT = "content/committees/test/2021-01-11/04-a-report.md"
PAGE = "committees/test/2021-01-11/04-a-report/index.html"


@pytest.fixture
def preview(make_site, monkeypatch) -> tuple[Preview, Path, list[str]]:
    root = make_site({REPORT: "---\ntitle: Libraries\n---\n1. The original wording.\n"})
    assert build(root).ok
    sweeps: list[str] = []
    monkeypatch.setattr(memory, "let_go", lambda: sweeps.append("whole"))
    monkeypatch.setattr(memory, "tidy", lambda: sweeps.append("this build's"))
    shown = Preview(root, "2026-11-24", search_index=False)
    assert not shown.rebuild().errors
    return shown, root, sweeps


def test_a_save_to_a_bodys_wording_sweeps_only_what_its_build_made(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    edit(root, REPORT, "The original wording.", "The amended wording.")
    outcome = shown.rebuild()
    assert outcome.written >= 1 and b"The amended wording." in shown.output.read(PAGE)
    assert sweeps == ["this build's"]


def test_a_save_that_changes_the_model_sweeps_the_old_one(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    edit(root, REPORT, "title: Libraries", "title: Libraries and archives")
    assert not shown.rebuild().errors
    assert b"Libraries and archives" in shown.output.read(PAGE)
    assert sweeps == ["whole"]


def test_a_save_that_breaks_the_build_sweeps_everything(preview):
    shown, root, sweeps = preview
    sweeps.clear()
    (root / "templates/paper.html").write_text("{% if %}", encoding="utf-8")
    assert shown.rebuild().errors
    assert sweeps == ["whole"]
