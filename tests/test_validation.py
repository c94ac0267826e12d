"""Front matter is checked against typed schemas: every error in every file, at path:line, in one run."""

from __future__ import annotations

import pytest
from conftest import TODAY, build, snapshot, write_site

from minutebook.content import frontmatter
from minutebook.diagnostics import Diagnostics
from minutebook.shell import commands

PAPER = "content/committees/test/2021-01-11/04-report.md"


def errors(root) -> list[str]:
    result = build(root)
    assert not result.ok
    return [str(d) for d in result.diagnostics if d.severity == "error"]


def test_every_error_in_every_file_in_one_run(make_site):
    root = make_site(
        {
            PAPER: "---\ntitle: A report\nexmept: true\nkey_decision: yes\nwards: All\npublish_on: 2021-02-30\n---\n",
            "content/committees/test/2021-01-11/meeting.md": (
                "---\ntime: 25:00\nstatus: helld\nvenue: Hall\nvenue: Room\n"
                "agenda:\n  - number: 4\n    titel: A report\n---\n"
            ),
        }
    )
    assert errors(root) == [
        "content/committees/test/2021-01-11/04-report.md:3: unknown key 'exmept' in a paper "
        '(did you mean "access: exempt"?)',
        "content/committees/test/2021-01-11/04-report.md:4: 'key_decision': expected true or false, found 'yes'",
        "content/committees/test/2021-01-11/04-report.md:6: 'publish_on': '2021-02-30' is not a real date",
        "content/committees/test/2021-01-11/meeting.md:2: 'time': expected a 24-hour time such as \"10:30\", "
        "found '25:00'",
        "content/committees/test/2021-01-11/meeting.md:3: 'status': expected one of scheduled, held, cancelled, "
        "postponed, moved, found 'helld' (did you mean \"held\"?)",
        "content/committees/test/2021-01-11/meeting.md:5: duplicate key 'venue' (first given on line 4)",
        "content/committees/test/2021-01-11/meeting.md:7: in 'agenda': missing required key 'title' in an agenda item "
        "(the item's title as printed)",
        "content/committees/test/2021-01-11/meeting.md:8: in 'agenda': unknown key 'titel' in an agenda item "
        '(did you mean "title"?)',
    ]
    assert not (root / "output").exists()


def test_missing_required_title_and_missing_front_matter(make_site):
    root = make_site(
        {
            PAPER: "---\nreport_of: Director\n---\nText.\n",
            "content/committees/test/2021-01-11/04-other.md": "Just text, no front matter.\n",
        }
    )
    assert errors(root) == [
        "content/committees/test/2021-01-11/04-other.md:1: expected front matter starting with a line '---', "
        "found none",
        "content/committees/test/2021-01-11/04-report.md:2: missing required key 'title' in a paper "
        "(the paper's title)",
    ]


def test_paper_for_an_item_not_on_the_agenda(make_site):
    root = make_site({"content/committees/test/2021-01-11/07-late.md": "---\ntitle: Late\n---\n"})
    assert errors(root) == [
        "content/committees/test/2021-01-11/07-late.md: is for agenda item 7, which is not on the agenda in "
        "content/committees/test/2021-01-11/meeting.md (the agenda has items 1, 4)"
    ]


def test_yaml_keeps_what_the_clerk_wrote():
    diagnostics = Diagnostics()
    source = frontmatter.split("---\ntime: 18:30\nward: NO\ncode: 012\nflag: true\ncount: 12\n---\n")
    value = frontmatter.load(source, "x.md", diagnostics)
    assert value.plain == {"time": "18:30", "ward": "NO", "code": "012", "flag": True, "count": 12}
    assert diagnostics.items == []


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize(
    ("nested", "line"),
    [
        ("a: " + "[" * 10000 + "]" * 10000, 3),
        ("a: " + "{b: " * 10000 + "c" + "}" * 10000, 3),
        ("a:\n  " + "- " * 10000 + "x", 4),
        ("".join(" " * i + "k:\n" for i in range(300)) + " " * 300 + "x", 24),
        ("a: " + "[" * 800 + "]" * 800 + "\nb: [unclosed", 3),
    ],
    ids=["flow-lists", "flow-keys", "block-dashes", "block-keys", "broken-later"],
)
def test_front_matter_nested_to_any_depth_is_an_error_at_its_line(nested, line, libyaml, monkeypatch):
    """The composers recurse once per level: the depth is measured first, so no depth gives a RecursionError."""
    monkeypatch.setattr(frontmatter, "_LIBYAML", libyaml)
    diagnostics = Diagnostics()
    frontmatter.load(frontmatter.split(f"---\ntitle: A\n{nested}\n---\n"), "x.md", diagnostics)
    assert [str(d) for d in diagnostics.items] == [f"x.md:{line}: front matter is nested more than 20 levels deep"]


def test_bom_and_crlf_build_exactly_like_a_clean_file(make_site, tmp_path):
    """The same paper saved with a byte order mark and Windows line endings, in a site of its own (a rebuild of one
    site would find nothing changed and compare its old output with itself)."""
    text = "---\ntitle: A report\n---\n1. First paragraph.\n2. See paragraph 1.\n"
    clean = make_site({PAPER: text})
    windows = write_site(tmp_path / "windows", {PAPER: text})
    (windows / PAPER).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert build(clean, search=False).ok and build(windows, search=False).ok
    built = [{path: data for path, (_, data) in snapshot(root / "output").items()} for root in (clean, windows)]
    assert built[0]["committees/test/2021-01-11/04-report/index.html"].count(b'id="para-') == 2
    assert built[1] == built[0]


def test_check_writes_nothing(make_site):
    root = make_site({PAPER: "---\ntitle: A report\n---\nText.\n"})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert commands.check(root, TODAY) == []
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
