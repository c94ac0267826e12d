"""YAML mistakes clerks make, each told in plain words at the line to fix, never in PyYAML's wording.

Every case starts from a realistic meeting.md or paper and makes one mistake
in it, as a clerk would; the same message must come out whichever YAML
parser (libyaml or pure Python) read the file.
"""

from __future__ import annotations

import pytest
from conftest import TODAY

from minutebook.content import frontmatter
from minutebook.diagnostics import Diagnostics
from minutebook.shell import commands

M = "content/committees/test/2021-01-11/"
MEETING = M + "meeting.md"
PAPER = M + "04-digital-strategy.md"

MEETING_TEXT = """\
---
time: "10:30"
venue: County Hall, West Bridgford
status: scheduled
agenda:
  - number: 1
    title: Minutes of the last meeting held on 7 December 2020
    kind: minutes
  - number: 4
    title: Digital Strategy for 2021-2024
    kind: report
    wards: [All]
attendance:
  present:
    - name: Ada Lovelace
      role: Chair
  apologies:
    - name: Andy Sissons
---
Notes printed under the agenda.
"""

PAPER_TEXT = """\
---
title: Digital Strategy for 2021-2024
report_of: Director for Transformation and Service Improvement
author: Grace Natoli
contact:
  name: Jennifer Allen
  phone: 0115 977 2052
  email: jennifer.allen@nottscc.gov.uk
key_decision: false
wards: [All]
subjects:
  - digital-strategy
---
## Purpose of the Report

1. The purpose of this report is to seek approval of the strategy.
"""

FILES = {MEETING: MEETING_TEXT, PAPER: PAPER_TEXT}
TOO_DEEP = "line up '{key}:' with the settings above it, or put it under a setting that ends with ':'"

# name: (file, the clerk's mistake as (what was right, what they wrote), the exact error)
CASES: dict[str, tuple[str, tuple[str, str], str]] = {
    "indented-under-a-complete-setting": (
        MEETING,
        ("\nstatus: scheduled", "\n  status: scheduled"),
        f"{MEETING}:4: this line is indented more than the line above it, but the line above is a complete setting "
        f"('venue: County Hall, West Bridgford'); {TOO_DEEP.format(key='status')}",
    ),
    "indented-too-far-in-an-agenda-item": (
        MEETING,
        ("    kind: minutes", "      kind: minutes"),
        f"{MEETING}:8: this line is indented more than the line above it, but the line above is a complete setting "
        f"('title: Minutes of the last meeting held on 7 December 2020'); {TOO_DEEP.format(key='kind')}",
    ),
    "indented-too-little-in-an-agenda-item": (
        MEETING,
        ("    kind: minutes", "   kind: minutes"),
        f"{MEETING}:8: this line is indented less than 'title:' above it but more than 'agenda:', so it lines up "
        "with neither; put 'kind:' exactly under 'title:' if it belongs with it, or under 'agenda:'",
    ),
    "indented-too-little-in-the-contact": (
        PAPER,
        ("  phone: 0115", " phone: 0115"),
        f"{PAPER}:7: this line is indented less than 'name:' above it but more than 'contact:', so it lines up with "
        "neither; put 'phone:' exactly under 'name:' if it belongs with it, or under 'contact:'",
    ),
    "first-setting-indented": (
        PAPER,
        ("---\ntitle:", "---\n  title:"),
        f"{PAPER}:2: the first setting is indented, but the settings at the top start at the beginning of the line; "
        "remove the spaces before 'title:'",
    ),
    "tab-indenting-an-agenda-setting": (
        MEETING,
        ("    kind: report", "\tkind: report"),
        f"{MEETING}:11: a tab cannot indent front matter; use spaces",
    ),
    "tab-indenting-the-contact": (
        PAPER,
        ("  name: Jennifer Allen", "\tname: Jennifer Allen"),
        f"{PAPER}:6: a tab cannot indent front matter; use spaces",
    ),
    "no-space-after-the-colon": (
        PAPER,
        ("author: Grace Natoli", "author:Grace Natoli"),
        f"{PAPER}:4: there is no space after the ':' in 'author:Grace Natoli', so it is not read as a setting; "
        "write 'author: Grace Natoli'",
    ),
    "no-space-after-the-colon-in-an-agenda-item": (
        MEETING,
        ("    title: Digital", "    title:Digital"),
        f"{MEETING}:10: there is no space after the ':' in 'title:Digital Strategy for 2021-2024', so it is not "
        "read as a setting; write 'title: Digital Strategy for 2021-2024'",
    ),
    "no-space-after-the-colon-on-the-first-entry": (
        MEETING,
        ("  - number: 1", "  - number:1"),
        f"{MEETING}:6: there is no space after the ':' in 'number:1', so it is not read as a setting; "
        "write 'number: 1'",
    ),
    "no-space-after-the-colon-in-the-last-entry": (  # valid YAML: the text "name:Andy Sissons"
        MEETING,
        ("    - name: Andy Sissons", "    - name:Andy Sissons"),
        f"{MEETING}:18: there is no space after the ':' in 'name:Andy Sissons', so it is not read as a setting; "
        "write 'name: Andy Sissons'",
    ),
    "unclosed-quote": (
        MEETING,
        ('time: "10:30"', 'time: "10:30'),
        f"{MEETING}:2: the quoted text that starts on this line is never closed; add the closing quote",
    ),
    "unclosed-quote-closed-by-a-later-one": (
        PAPER,
        (
            "author: Grace Natoli\ncontact:\n  name: Jennifer Allen",
            'author: "Grace Natoli\ncontact:\n  name: "Jennifer Allen"',
        ),
        f"{PAPER}:4: the quoted text that starts on this line is never closed; add the closing quote",
    ),
    "apostrophe-inside-single-quotes": (
        PAPER,
        ("title: Digital Strategy for 2021-2024", "title: 'The Council's Digital Strategy'"),
        f"{PAPER}:2: the value starts with a quote (') but goes on after the quote that closes it; put the whole "
        "value in quotes: title: \"The Council's Digital Strategy\" (inside '…' an apostrophe is written twice: '')",
    ),
    "list-entry-among-settings": (
        PAPER,
        ("key_decision: false", "- key_decision: false"),
        f"{PAPER}:9: this line starts with '- ', but the lines around it are settings such as 'contact:', not a "
        "list; remove the '- '",
    ),
    "list-entry-not-lined-up": (
        PAPER,
        ("  - digital-strategy\n", "  - digital-strategy\n- integrated-care\n"),
        f"{PAPER}:13: this list entry is indented less than the entries above it ('- digital-strategy'); line up "
        "its '-' with theirs",
    ),
    "agenda-item-without-its-dash": (
        MEETING,
        ("  - number: 4", "  number: 4"),
        f"{MEETING}:9: 'number:' lines up with the '-' of the list entries above it ('- number: 1'), where only list "
        "entries may stand; start it with '- ' if it begins a new entry, line it up with 'kind:' if it belongs to "
        "the entry above, or line it up with 'agenda:' if it is a setting of its own",
    ),
    "missing-colon": (
        PAPER,
        ("author: Grace Natoli", "author Grace Natoli"),
        f"{PAPER}:4: this line has no ':', so it is not a setting: write it as 'author: Grace Natoli'; or, if it "
        "continues the line above, indent it more than that line",
    ),
    "missing-colon-on-an-agenda-entry": (
        MEETING,
        ("  - number: 4", "  - number 4"),
        f"{MEETING}:9: this line has no ':', so it is not a setting: write it as 'number: 4'",
    ),
    "missing-colon-after-a-heading-setting": (
        PAPER,
        ("contact:\n", "contact\n"),
        f"{PAPER}:5: this line has no ':', so it is not a setting: write it as 'contact:' followed by its value; "
        "or, if it continues the line above, indent it more than that line",
    ),
    "unclosed-bracket": (
        PAPER,
        ("wards: [All]", "wards: [Beeston, Bramcote"),
        f"{PAPER}:10: the list or set of keys that starts on this line is never closed; add the ']'",
    ),
    "colon-inside-a-value": (
        MEETING,
        ("    title: Digital Strategy for 2021-2024", "    title: Digital Strategy: 2021-2024"),
        f"{MEETING}:10: the value of 'title' holds ': ', which would start another setting; put the value in "
        'quotes: title: "Digital Strategy: 2021-2024"',
    ),
    "text-after-a-bracketed-value": (
        PAPER,
        ("title: Digital Strategy for 2021-2024", "title: [Draft] Digital Strategy"),
        f"{PAPER}:2: the value starts with '[', which makes it a list, but goes on after the ']'; put the whole "
        'value in quotes: title: "[Draft] Digital Strategy"',
    ),
}


def load(path: str, text: str) -> list[str]:
    diagnostics = Diagnostics()
    frontmatter.load(frontmatter.split(text), path, diagnostics)
    return [str(d) for d in diagnostics.items]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "python"])
def test_the_realistic_files_are_valid(libyaml, monkeypatch):
    monkeypatch.setattr(frontmatter, "_LIBYAML", libyaml)
    assert [message for path, text in FILES.items() for message in load(path, text)] == []


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "python"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_told_in_plain_words_at_its_line(name, libyaml, monkeypatch):
    monkeypatch.setattr(frontmatter, "_LIBYAML", libyaml)
    path, (right, wrong), expected = CASES[name]
    assert FILES[path].count(right) == 1, "the mistake must be made in exactly one place"
    assert load(path, FILES[path].replace(right, wrong)) == [expected]


def test_a_missing_space_is_found_where_yaml_reads_the_whole_front_matter_as_text():
    """`title:Budget update` alone is valid YAML: the text "title:Budget update", not a setting."""
    assert load(PAPER, "---\ntitle:Budget update 2021/22\n---\nText.\n") == [
        f"{PAPER}:2: there is no space after the ':' in 'title:Budget update 2021/22', so it is not read as a "
        "setting; write 'title: Budget update 2021/22'"
    ]


def test_web_addresses_and_references_on_a_line_of_their_own_are_not_mistaken_for_settings():
    text = "---\ntitle: A\nwebcast:\n  https://www.youtube.com/user/council\nsubjects:\n  - minutes:2021-01-11\n---\n"
    assert load(PAPER, text) == []


PYYAML_WORDS = ("<block", "<scalar>", "<document", "mapping values", "while scanning", "while parsing", "token")


def mistakes(text: str):
    """Each line of a file broken in each way a clerk might break it."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    for index in range(1, end):
        line = lines[index]
        variants = [" " + line, "  " + line, line[1:], line[2:], "\t" + line.lstrip(" "), "- " + line.lstrip()]
        if ": " in line:
            variants += [line.replace(": ", ":", 1), line.replace(": ", " ", 1), line.replace(": ", ': "', 1)]
        for variant in variants:
            yield index + 1, "\n".join([*lines[:index], variant, *lines[index + 1 :]]), end


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "python"])
def test_no_mistake_is_reported_in_pyyaml_words_or_outside_the_front_matter(libyaml, monkeypatch):
    monkeypatch.setattr(frontmatter, "_LIBYAML", libyaml)
    for path, text in FILES.items():
        for changed, broken, end in mistakes(text):
            diagnostics = Diagnostics()
            frontmatter.load(frontmatter.split(broken), path, diagnostics)
            for diagnostic in diagnostics.items:
                assert not any(word in diagnostic.message for word in PYYAML_WORDS), (changed, str(diagnostic))
                assert 2 <= diagnostic.line <= end, (changed, str(diagnostic))


def test_a_build_reports_each_broken_file_once_at_the_line_to_fix(make_site):
    chosen = ["indented-under-a-complete-setting", "no-space-after-the-colon"]
    files = {}
    for name in chosen:
        path, (right, wrong), _ = CASES[name]
        files[path] = FILES[path].replace(right, wrong)
    site = make_site(files)
    errors = [str(d) for d in commands.check(site, TODAY) if d.severity == "error"]
    assert errors == [CASES[name][2] for name in sorted(chosen, key=lambda n: CASES[n][0])]
