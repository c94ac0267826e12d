"""`build.py new site|committee|appendix`: a council started by commands alone builds without an error."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build, new

from minutebook.content import config
from minutebook.diagnostics import Diagnostics
from minutebook.shell import commands, scaffold_site
from minutebook.shell.scaffold_appendix import next_label

NAME = "Testshire County Council"
BASE_URL = "https://democracy.testshire.example/"
M = "content/committees/planning/2026-12-01/"
REPORT = M + "04-land-at-mill-lane-testford-outline-planning.md"


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def council(tmp_path: Path, capsys) -> Path:
    """A council made by `new site` and `new committee`, nothing else."""
    site = tmp_path / "testshire"
    assert new(tmp_path, capsys, "site", str(site), "--name", NAME, "--base-url", BASE_URL)[0] == 0
    assert new(site, capsys, "committee", "--slug", "planning", "--name", "Planning Committee")[0] == 0
    return site


def test_new_site_writes_a_site_that_builds_as_it_is(tmp_path, capsys):
    site = tmp_path / "testshire"
    code, out, err = new(tmp_path, capsys, "site", str(site), "--name", NAME, "--base-url", BASE_URL)
    assert (code, err) == (0, "")
    shown = "testshire"
    assert out == (
        f"created {shown}/site.toml\ncreated {shown}/templates/\ncreated {shown}/content/committees/\n"
        f"created {shown}/content/subjects/\ncreated {shown}/build.py\nnext: cd {shown}\n"
        'next: python build.py new committee --slug planning --name "Planning Committee"\n'
    )
    settings = (site / "site.toml").read_text(encoding="utf-8")
    assert not [line for line in settings.splitlines() if line.startswith(("logo", "[publication]"))]
    diagnostics = Diagnostics()
    loaded = config.load(site / "site.toml", diagnostics)
    assert diagnostics.items == []
    assert (loaded.organisation.name, loaded.base_url) == (NAME, BASE_URL)
    assert loaded.exempt_paragraphs == config.ENGLAND_SCHEDULE_12A, "an English council keeps paragraphs 1-7"
    assert not filecmp.dircmp(ROOT / "templates", site / "templates").diff_files
    assert files(site / "templates") == files(ROOT / "templates")
    assert files(site / "content") == ["committees", "subjects"]
    assert os.access(site / "build.py", os.X_OK)
    assert build(site).ok


def test_the_default_templates_are_minutebooks_own():
    assert scaffold_site.default_templates() == ROOT / "templates"


def test_a_council_made_only_with_new_commands_has_no_errors(council, capsys):
    day = ["--committee", "planning", "--date", "2026-12-01"]
    title = "Land at Mill Lane, Testford: outline planning application for 120 homes"
    steps = [
        ["meeting", *day],
        ["paper", *day, "--item", "4", "--title", title],
        ["appendix", *day, "--item", "4", "--title", "Site plan"],
        ["appendix", *day, "--item", "4"],
        ["minutes", *day],
    ]
    for step in steps:
        code, _, err = new(council, capsys, *step)
        assert (code, err) == (0, ""), step
    assert commands.check(council, TODAY) == []
    made = subprocess.run(
        [sys.executable, str(council / "build.py"), "check"], capture_output=True, text=True, timeout=120
    )
    assert (made.returncode, made.stdout, made.stderr) == (0, "no errors\n", ""), "the council's own build.py"
    assert build(council).ok
    page = (council / "output/committees/planning/index.html").read_text(encoding="utf-8")
    assert "Planning Committee" in page and "Mill Lane" not in page
    assert not (council / "output/committees/planning/2026-12-01").exists(), "drafts are never published"


def test_new_appendix_takes_the_next_free_label_and_the_reports_name(council, capsys):
    day = ["--committee", "planning", "--date", "2026-12-01"]
    new(council, capsys, "meeting", *day)
    new(council, capsys, "paper", *day, "--item", "4", "--title", "Land at Mill Lane, Testford: outline planning")
    stem = REPORT.removesuffix(".md")
    assert new(council, capsys, "appendix", *day, "--item", "04") == (
        0,
        f'created {stem}-appendix-1.md\nnote: the appendix is called "Appendix 1" until you give it its title '
        "in the file\n",
        "",
    )
    assert new(council, capsys, "appendix", *day, "--item", "4", "--title", "Plan: phase 2")[1] == (
        f"created {stem}-appendix-2.md\n"
    )
    text = (council / f"{stem}-appendix-2.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Plan: phase 2"\n') and "\ndraft: true\n" in text
    assert new(council, capsys, "appendix", *day, "--item", "4", "--label", "B")[1].startswith(
        f"created {stem}-appendix-b.md\n"
    )
    assert commands.check(council, TODAY) == []


def test_after_lettered_appendices_comes_the_next_letter():
    assert [next_label([]), next_label(["1", "2"]), next_label(["a"]), next_label(["a", "b"])] == ["1", "3", "b", "c"]


def test_new_minutes_leave_out_a_draft_item_and_say_so(council, capsys):
    day = ["--committee", "planning", "--date", "2026-12-01"]
    new(council, capsys, "meeting", *day)
    new(council, capsys, "paper", *day, "--item", "4", "--title", "Land at Mill Lane")
    code, out, _ = new(council, capsys, "minutes", *day)
    assert code == 0
    assert out == (
        f"created {M}minutes.md\nnote: agenda item 4 is a draft (draft: true in meeting.md), so the minutes have "
        "no section for it; publish the item first, then add '## 4. …' to the minutes\n"
    )
    assert "## 4." not in (council / M / "minutes.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("started", ["site.toml", "content", "templates"])
def test_new_site_refuses_a_folder_already_started_and_writes_nothing(tmp_path, capsys, started):
    (tmp_path / started).mkdir() if started != "site.toml" else (tmp_path / started).write_text("[organisation]\n")
    before = files(tmp_path)
    code, out, err = new(tmp_path, capsys, "site")
    assert (code, out) == (1, "")
    assert err == (
        f"error: {tmp_path / started} already exists: a new council starts in a folder of its own, "
        "e.g. python build.py new site ../testshire; nothing was written\n"
    )
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--base-url", "javascript:alert(1)"],
            "--base-url expects a web address such as https://example.gov.uk/democracy/, found 'javascript:alert(1)'",
        ),
        (["--base-url", "https://x.example/?a=1"], "--base-url expects a web address such as "),
        (["--name", "  "], "--name expects the council's name, found nothing"),
        (["--name", "Testshire\x1b[2J"], "--name expects the council's name on one line of plain text, found "),
    ],
)
def test_new_site_refuses_a_bad_name_or_address_and_writes_nothing(tmp_path, capsys, args, message):
    code, out, err = new(tmp_path, capsys, "site", str(tmp_path / "council"), *args)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    assert files(tmp_path) == []


def test_a_new_committee_builds_with_its_name(council, capsys):
    text = (council / "content/committees/planning/committee.md").read_text(encoding="utf-8")
    assert text.startswith('---\nname: "Planning Committee"\n')
    assert new(council, capsys, "committee", "--slug", "audit", "--name", "Audit: Governance & Standards") == (
        0,
        "created content/committees/audit/committee.md\n"
        "note: a committee has no draft: its name and the text of committee.md are published by the next build\n"
        "next: python build.py new meeting --committee audit --date YYYY-MM-DD\n",
        "",
    )
    assert build(council).ok
    assert "Audit: Governance &amp; Standards" in (council / "output/committees/audit/index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--slug", "all", "--name", "All"],
            "the committee folder name 'all' is reserved: its feed would replace feeds/all.atom, the feed of every "
            "committee; choose another, e.g. 'all-committee'",
        ),
        (
            ["--slug", "Adult Social Care", "--name", "Adult Social Care"],
            "--slug expects lower-case letters, digits and hyphens, e.g. 'adult-social-care', found "
            "'Adult Social Care'",
        ),
        (["--slug", "audit", "--name", ""], "--name expects the committee's name, found nothing"),
        (
            ["--slug", "planning", "--name", "Planning"],
            "content/committees/planning/committee.md already exists; nothing was written",
        ),
    ],
)
def test_new_committee_refusals_write_nothing_and_say_why(council, capsys, args, message):
    before = files(council)
    assert new(council, capsys, "committee", *args) == (1, "", f"error: {message}\n")
    assert files(council) == before


def test_new_committee_needs_a_council(tmp_path, capsys):
    assert new(tmp_path, capsys, "committee", "--slug", "planning", "--name", "Planning") == (
        1,
        "",
        "error: no site.toml here: start the council first with python build.py new site\n",
    )
    assert files(tmp_path) == []


@pytest.mark.parametrize(
    ("papers", "args", "message"),
    [
        (
            [],
            ["--item", "4"],
            f"agenda item 4 has no report in {M.rstrip('/')} to attach an appendix to: write it first with "
            'python build.py new paper --committee planning --date 2026-12-01 --item 4 --title "…"',
        ),
        (
            ["04-site-visit", "04-objections"],
            ["--item", "4"],
            f"agenda item 4 has 2 reports in {M.rstrip('/')} (04-objections.md, 04-site-visit.md): cannot tell which "
            "one the appendix belongs to",
        ),
        (
            ["04-site-visit"],
            ["--item", "4", "--label", "1 a"],
            "--label expects a number or a letter (1, 2 … or a, b …), found '1 a'",
        ),
        (
            ["04-site-visit"],
            ["--item", "4", "--title", " "],
            "--title expects the appendix's title as printed, found nothing",
        ),
        (
            ["04-site-visit", "04-site-visit-appendix-1"],
            ["--item", "4", "--label", "1"],
            f"{M}04-site-visit-appendix-1.md already exists; nothing was written",
        ),
    ],
)
def test_new_appendix_refusals_write_nothing_and_say_why(council, capsys, papers, args, message):
    day = ["--committee", "planning", "--date", "2026-12-01"]
    new(council, capsys, "meeting", *day)
    for stem in papers:
        (council / M / f"{stem}.md").write_text("---\ntitle: A report\n---\n", encoding="utf-8")
    before = files(council)
    assert new(council, capsys, "appendix", *day, *args) == (1, "", f"error: {message}\n")
    assert files(council) == before
