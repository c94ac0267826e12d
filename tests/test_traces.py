"""Planning again only what an edit changes: every read a page's planning makes is recorded where it passes, and a
page is planned again exactly when one of its reads finds something new. Whatever is kept, the output must be
the bytes a clean build of the same content makes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import build, clean_build, contents, edit, meeting

from minutebook.build.traces import DIGEST, Check, Traces
from minutebook.shell import cli
from minutebook.site.outputs import Recipe
from minutebook.site.reads import ALL, Read, Reads, Recorded

DAY = "content/committees/test/2021-01-11"
LATER = "content/committees/test/2021-03-01"
REPORT = "---\ntitle: Library service review\nsubjects: [libraries]\n---\n1. The library service was reviewed.\n"
FILES = {
    f"{DAY}/meeting.md": meeting("  - number: 5\n    title: Highways maintenance plan\n"),
    f"{DAY}/04-libraries.md": REPORT,
    f"{DAY}/05-highways.md": "---\ntitle: Highways maintenance plan\n---\n1. Rural roads are resurfaced.\n",
    f"{DAY}/minutes.md": '---\nstatus: confirmed\nresolutions:\n  "2021/001":\n    subjects: [libraries]\n---\n'
    "## 4. Library service review\n\n::: resolved 2021/001\nThat the review be noted.\n:::\n",
    f"{LATER}/meeting.md": meeting(),
    f"{LATER}/04-buses.md": "---\ntitle: Bus services update\n---\n1. Bus services were reviewed.\n",
    "content/subjects/libraries.md": "---\ntitle: Libraries\n---\nThe county's libraries.\n",
    "content/subjects/roads.md": "---\ntitle: Roads\n---\nThe county's roads.\n",
}


def outputs(root: Path) -> dict[str, bytes]:
    return contents(root / "output")


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(FILES)
    first = build(root)
    assert first.ok, [str(d) for d in first.diagnostics]
    assert first.replanned is not None and first.replanned > 10  # a first build plans every page
    return root


def test_a_title_edit_plans_again_only_the_pages_that_read_that_paper(site: Path, tmp_path: Path):
    pages = build(site)
    assert pages.replanned is None  # nothing changed: the plan is remembered whole
    edit(site, f"{LATER}/04-buses.md", "title: Bus services update", "title: Bus services, the update")
    result = build(site)
    assert result.ok
    # the paper's own page, its meeting's page and agenda pack, the meetings list and the home page (they show
    # the meeting's agenda): not the first meeting's pages, the subjects, the registers or the decisions
    assert result.replanned is not None and 1 <= result.replanned <= 6
    assert outputs(site) == clean_build(site, tmp_path)


EDITS = [
    pytest.param(f"{DAY}/04-libraries.md", "subjects: [libraries]", "subjects: [roads]", id="paper-moves-subject"),
    pytest.param(
        f"{DAY}/04-libraries.md",
        "title: Library service review",
        "title: Library service, reviewed",
        id="paper-on-a-subject-retitled",
    ),
    pytest.param(f"{DAY}/minutes.md", "That the review be noted.", "That the review be approved.", id="decision"),
    pytest.param(
        f"{DAY}/05-highways.md",
        "title: Highways",
        "access: exempt\nexempt_paragraph: 3\ntitle: Highways",
        id="paper-becomes-exempt",
    ),
    pytest.param(
        "content/committees/test/committee.md",
        "name: Test Committee",
        "name: Libraries Committee",
        id="committee-renamed",
    ),
    pytest.param("content/subjects/roads.md", "title: Roads", "title: Roads and bridges", id="subject-renamed"),
    pytest.param(f"{LATER}/meeting.md", "venue: County Hall", "venue: Shire Hall", id="meeting-moves"),
]


@pytest.mark.parametrize(("rel", "old", "new"), EDITS)
def test_after_any_edit_the_output_is_a_clean_builds(site: Path, tmp_path: Path, rel: str, old: str, new: str):
    edit(site, rel, old, new)
    assert build(site).ok
    assert outputs(site) == clean_build(site, tmp_path)


def test_a_renamed_committee_is_named_anew_on_every_page_that_names_it(site: Path):
    """Templates name committees by slug (`committee_name`), so a page that holds only the slug must follow too."""
    edit(site, "content/committees/test/committee.md", "name: Test Committee", "name: Libraries Committee")
    assert build(site).ok
    subject = (site / "output/subjects/libraries/index.html").read_text(encoding="utf-8")
    assert "Libraries Committee" in subject and "Test Committee" not in subject


def test_added_and_removed_papers_plan_again_what_lists_them(site: Path, tmp_path: Path):
    (site / LATER / "05-parks.md").write_text("---\ntitle: Parks strategy\n---\n1. Parks.\n", encoding="utf-8")
    edit(site, f"{LATER}/meeting.md", "    title: A report\n", "    title: A report\n  - number: 5\n    title: Parks\n")
    assert build(site).ok
    assert "Parks strategy" in (site / "output/committees/test/2021-03-01/index.html").read_text(encoding="utf-8")
    assert outputs(site) == clean_build(site, tmp_path)
    (site / LATER / "05-parks.md").unlink()
    assert build(site).ok
    assert not (site / "output/committees/test/2021-03-01/05-parks").exists()
    assert outputs(site) == clean_build(site, tmp_path)


def test_the_timings_say_how_many_pages_were_planned_again(site: Path, capsys):
    edit(site, f"{LATER}/04-buses.md", "title: Bus services update", "title: Bus services, the update")
    assert cli.main(["build", "--timings", "--now", "2026-11-24"], root=site) == 0
    err = capsys.readouterr().err
    assert "pages planned again)" in err.split("planning:")[1].splitlines()[0]


# the recording itself -----------------------------------------------------------------------------------------


def test_reads_of_a_recorded_mapping_are_noted_only_while_a_page_is_recorded():
    reads = Reads()
    papers = Recorded("papers", {"a": 1, "b": 2}, reads)
    assert papers["a"] == 1  # outside any page: not noted
    with reads.recording() as noted:
        assert papers.get("b") == 2 and "c" not in papers and list(papers.values()) == [1, 2]
    assert noted == [("papers", "b"), ("papers", "c"), ("papers", ALL)]
    assert reads.current is None


def test_a_value_worked_out_once_is_noted_as_read_by_every_page_that_uses_it():
    reads, kept = Reads(), {}
    papers = Recorded("papers", {"a": "A report"}, reads)
    for _ in range(2):
        with reads.recording() as noted:
            assert reads.once(kept, "a", lambda: papers["a"].upper()) == "A REPORT"
        assert noted == [("papers", "a")]


def _found(values: dict[Read, bytes]):
    return lambda reads: b"".join(values[read] for read in reads)


def _traced(pages: dict[Recipe, tuple[str, list[Read]]], values: dict[Read, bytes]) -> Traces[str]:
    """The traces a build that planned every one of `pages` (page, its reads) would keep."""
    fresh = {
        recipe: (page, pickle.dumps(reads), b"".join(values[read] for read in reads))
        for recipe, (page, reads) in pages.items()
    }
    check: Check[str] = Check.of(None, b"frame", _found({}))
    return check.after(list(pages), [page for page, _ in pages.values()], fresh)


ONE, TWO = b"1" * DIGEST, b"2" * DIGEST


def test_a_page_is_kept_only_while_every_one_of_its_reads_finds_what_it_found():
    meeting, paper = ("meetings", "m"), ("papers", "p")
    traces = _traced(
        {("meeting", "m"): ("meeting page", [meeting, paper]), ("paper", "p"): ("paper page", [paper])},
        {meeting: ONE, paper: ONE},
    )
    same = Check.of(traces, b"frame", _found({meeting: ONE, paper: ONE}))
    assert same.kept(("meeting", "m")) == "meeting page" and same.kept(("paper", "p")) == "paper page"
    moved = Check.of(traces, b"frame", _found({meeting: TWO, paper: ONE}))
    assert moved.kept(("meeting", "m")) is None and moved.kept(("paper", "p")) == "paper page"
    assert Check.of(traces, b"another frame", _found({})).kept(("paper", "p")) is None
    assert moved.kept(("paper", "new")) is None


def test_reads_no_page_makes_any_more_are_dropped_and_the_rest_renumbered():
    reads = [("papers", str(n)) for n in range(8)]
    traces = _traced({("paper", str(n)): (f"page {n}", [reads[n]]) for n in range(8)}, dict.fromkeys(reads, ONE))
    assert len(traces.reads) == 8
    later = Check.of(traces, b"frame", _found(dict.fromkeys(reads, ONE))).after([("paper", "7")], ["page 7"], {})
    assert later.reads == [("papers", "7")] and later.found == [ONE]
    assert Check.of(later, b"frame", _found({("papers", "7"): ONE})).kept(("paper", "7")) == "page 7"
