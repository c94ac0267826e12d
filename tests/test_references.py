"""Cross-linked resolutions: references resolve, backlinks invert links, statuses follow relations."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from conftest import COUNCIL, TODAY, build, load, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

MINUTES_2021 = """\
---
status: confirmed
resolutions:
  "2021/001":
    subjects: [care]
---
## 4. A report

::: resolved 2021/001
1) That the plan in paragraph 2 of the report be approved.
2) That officers report back.
:::
"""

REPORT = """\
---
title: The care plan
subjects: [care]
---
1. The purpose of this report is to seek approval of the plan.
2. The plan is set out here, and paragraph 1 explains why.

::: recommendations
1) approve the plan
:::
"""

LATER_MEETING = """\
---
time: "10:00"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
    ref: minutes:2021-01-11
  - number: 5
    title: Plan update
---
"""

LATER_MINUTES = """\
---
status: draft
resolutions:
  "2021/010":
    amends: ["2021/001"]
---
## 5. Plan update

::: resolved 2021/010
That resolution 2021/001 be amended so that officers report quarterly, as
[paragraph 2 of the plan](paper:test/2021-01-11/04-care-plan#para-2) said.
:::
"""

SUBJECT = "---\ntitle: Care\n---\nCare services.\n"


def site_files(**extra: str) -> dict[str, str]:
    files = {
        "content/subjects/care.md": SUBJECT,
        "content/committees/test/2021-01-11/04-care-plan.md": REPORT,
        "content/committees/test/2021-01-11/minutes.md": MINUTES_2021,
        "content/committees/test/2021-03-01/meeting.md": LATER_MEETING,
        "content/committees/test/2021-03-01/minutes.md": LATER_MINUTES,
    }
    files.update(extra)
    return files


def read(root: Path, url: str) -> str:
    return (root / "output" / url / "index.html").read_text()


def test_resolution_links_both_ways_and_status_follows(make_site):
    root = make_site(site_files())
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    first = read(root, "committees/test/resolutions/2021-001")
    assert "Amended" in first
    assert 'href="/committees/test/resolutions/2021-010/"' in first  # "Amended by"
    assert "Amended by" in first
    # paragraph 2 of the report, from inside the resolution, lands on the report's paragraph
    assert 'href="/committees/test/2021-01-11/04-care-plan/#para-2"' in first
    # the report's recommendations are shown with the decision
    assert "approve the plan" in first
    later = read(root, "committees/test/resolutions/2021-010")
    assert 'href="/committees/test/resolutions/2021-001/"' in later
    report = read(root, "committees/test/2021-01-11/04-care-plan")
    assert "Resolution 2021/001" in report and "What the committee was asked to decide" in report  # the decision
    assert "Referenced by" in report and "resolution 2021/010" in report
    register = (root / "output/decisions/index.html").read_text()
    row = re.search(r"2021/001</a></td>.*?</tr>", register, re.S).group()
    assert "Amended" in row
    agenda = read(root, "committees/test/2021-03-01")
    assert 'href="/committees/test/2021-01-11/minutes/"' in agenda
    subject = read(root, "subjects/care")
    assert subject.index("The care plan") < subject.index("Resolution 2021/001")


def test_unknown_target_is_an_error_with_did_you_mean(make_site):
    minutes = LATER_MINUTES.replace(
        "(paper:test/2021-01-11/04-care-plan#para-2)", "(paper:test/2021-01-11/04-care-pla)"
    )
    root = make_site(site_files(**{"content/committees/test/2021-03-01/minutes.md": minutes}))
    result = build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        "content/committees/test/2021-03-01/minutes.md:11: 'paper:test/2021-01-11/04-care-pla' points at no such "
        'paper (test/2021-01-11/04-care-pla) (did you mean "test/2021-01-11/04-care-plan"?)'
    ]
    assert not (root / "output").exists()


def test_duplicate_resolution_number_names_both_places(make_site):
    minutes = LATER_MINUTES.replace("2021/010", "2021/001")
    root = make_site(site_files(**{"content/committees/test/2021-03-01/minutes.md": minutes}))
    errors = [str(d) for d in build(root).diagnostics if d.severity == "error"]
    assert errors == [
        "content/committees/test/2021-03-01/minutes.md:9: resolution 2021/001 is already used by this committee at "
        "content/committees/test/2021-01-11/minutes.md:9; numbers must be unique within a committee"
    ]


def test_cycle_of_relations_is_an_error_printing_the_cycle(make_site):
    first = MINUTES_2021.replace("    subjects: [care]\n", '    subjects: [care]\n    supersedes: ["2021/010"]\n')
    root = make_site(site_files(**{"content/committees/test/2021-01-11/minutes.md": first}))
    errors = [str(d) for d in build(root).diagnostics if d.severity == "error"]
    assert errors == [
        "content/committees/test/2021-01-11/minutes.md:10: resolutions refer to each other in a cycle: "
        "2021/001 → 2021/010 → 2021/001"
    ]


def test_automatic_mention_that_matches_nothing_is_a_warning(make_site):
    report = REPORT.replace("paragraph 1 explains why", "resolution 2020/099 explains why")
    root = make_site(site_files(**{"content/committees/test/2021-01-11/04-care-plan.md": report}))
    result = build(root)
    assert result.ok
    assert [str(d) for d in result.diagnostics] == [
        "content/committees/test/2021-01-11/04-care-plan.md:6: warning: 'resolution:2020/099' points at no such "
        'resolution (test/2020/099) (did you mean "test/2021/010"?)'
    ]


def test_reference_to_exempt_paper_shows_only_text(make_site):
    exempt = (
        "---\ntitle: Secret deal zebracanary\naccess: exempt\nexempt_paragraph: 3\n"
        "public_title: Exempt appendix\n---\nzebracanary terms\n"
    )
    report = REPORT.replace(
        "paragraph 1 explains why", "[the appendix](paper:test/2021-01-11/04-care-plan-appendix-1) explains"
    )
    root = make_site(
        site_files(
            **{
                "content/committees/test/2021-01-11/04-care-plan.md": report,
                "content/committees/test/2021-01-11/04-care-plan-appendix-1.md": exempt,
            }
        )
    )
    assert build(root).ok
    page = read(root, "committees/test/2021-01-11/04-care-plan")
    assert '<span class="withheld">Exempt appendix (exempt)</span> explains' in page
    assert "the appendix explains" not in page
    assert "appendix-1" not in page
    assert not any("zebracanary" in p.read_text(errors="ignore") for p in (root / "output").rglob("*") if p.is_file())


# --- properties over generated sites -------------------------------------------------

NUMBERS = [f"2021/{n:03d}" for n in range(1, 7)]


@st.composite
def decision_graphs(draw):
    """A set of resolutions at successive meetings, each pointing back at earlier ones."""
    count = draw(st.integers(min_value=1, max_value=5))
    relations = []
    for index in range(count):
        earlier = NUMBERS[:index]
        kind = draw(st.sampled_from(["amends", "supersedes", "rescinds", "refers_to", None]))
        target = draw(st.sampled_from([*earlier, "2021/099"])) if kind and (earlier or draw(st.booleans())) else None
        mention = draw(st.sampled_from([*earlier, "2021/098", None])) if index else None
        relations.append((kind if target else None, target, mention))
    return relations


def graph_site(relations) -> dict[str, str]:
    files = {"content/subjects/care.md": SUBJECT}
    agenda = "agenda:\n  - number: 1\n    title: Business\n"
    for index, (kind, target, mention) in enumerate(relations):
        day = f"2021-0{index + 1}-15"
        number = NUMBERS[index]
        settings_yaml = f'resolutions:\n  "{number}":\n    {kind}: ["{target}"]\n' if kind else ""
        body = f"That this be agreed{f', further to resolution {mention}' if mention else ''}."
        files[f"content/committees/test/{day}/meeting.md"] = f"---\nstatus: held\n{agenda}---\n"
        files[f"content/committees/test/{day}/minutes.md"] = (
            f"---\nstatus: confirmed\n{settings_yaml}---\n## 1. Business\n\n::: resolved {number}\n{body}\n:::\n"
        )
    return files


@settings(max_examples=25, deadline=None)
@given(decision_graphs())
def test_references_resolve_or_yield_one_diagnostic_and_backlinks_invert(relations):
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder), {**COUNCIL, **graph_site(relations)}, defaults=False)
        loaded = load(root, TODAY)
        model, found = loaded.model, loaded.diagnostics
        bad_relations = [r for r in relations if r[1] == "2021/099"]
        bad_mentions = [r for r in relations if r[2] == "2021/098"]
        errors = [d for d in set(found) if d.severity == "error"]
        warnings = [d for d in set(found) if d.severity == "warning"]
        assert len(errors) == len(bad_relations)
        assert len(warnings) == len(bad_mentions)
        if errors:
            assert model is None
            return
        links = model.published.links
        # every resolved mention appears as exactly one backlink on its target, and nothing else does
        expected = sorted(
            (f"test/{mention}", f"test/{NUMBERS[i]}")
            for i, (_, _, mention) in enumerate(relations)
            if mention and mention != "2021/098"
        )
        actual = sorted(
            (key, f"test/{b.resolution}")
            for (kind, key), backs in links.backlinks.items()
            if kind == "resolution"
            for b in backs
            if b.relation == "refers"
        )
        assert actual == expected
        relation_backs = sorted(
            (key, b.source_key, b.relation)
            for (kind, key), backs in links.backlinks.items()
            if kind == "resolution"
            for b in backs
            if b.source_kind == "resolution"
        )
        assert relation_backs == sorted(
            (f"test/{t}", f"test/{NUMBERS[i]}", k) for i, (k, t, _) in enumerate(relations) if k
        )
        # the status follows the strongest relation made against each resolution
        for index, number in enumerate(NUMBERS[: len(relations)]):
            kinds = {k for (k, t, _) in relations if t == number}
            want = (
                "rescinded"
                if "rescinds" in kinds
                else "superseded"
                if "supersedes" in kinds
                else "amended"
                if "amends" in kinds
                else "in force"
            )
            assert links.status[f"test/{number}"] == want, (index, relations)


def test_unpublished_decision_never_changes_a_public_status(make_site):
    later = LATER_MINUTES.replace("status: draft\n", "status: draft\ndraft: true\n")
    root = make_site(site_files(**{"content/committees/test/2021-03-01/minutes.md": later}))
    assert build(root).ok
    first = read(root, "committees/test/resolutions/2021-001")
    assert "In force" in first and "Amended" not in first
    assert not (root / "output/committees/test/resolutions/2021-010").exists()


def test_renamed_paper_leaves_a_redirect(make_site):
    report = REPORT.replace("subjects: [care]\n", "subjects: [care]\nformerly: [04-plan]\n")
    root = make_site(site_files(**{"content/committees/test/2021-01-11/04-care-plan.md": report}))
    assert build(root).ok
    moved = read(root, "committees/test/2021-01-11/04-plan")
    assert 'content="0; url=/committees/test/2021-01-11/04-care-plan/"' in moved


def test_short_paper_reference_and_backlink_to_the_minute(make_site):
    narrative = "## 5. Plan update\n\nMembers read [paragraph 2](paper:2021-01-11/04-care-plan#para-2) again.\n\n"
    minutes = LATER_MINUTES.replace("## 5. Plan update\n\n", narrative)
    root = make_site(site_files(**{"content/committees/test/2021-03-01/minutes.md": minutes}))
    assert build(root).ok
    report = read(root, "committees/test/2021-01-11/04-care-plan")
    assert (
        '<a href="/committees/test/2021-03-01/minutes/#item-5">Minutes of 1 March 2021</a> (minute 5. Plan update)'
        in report
    )
