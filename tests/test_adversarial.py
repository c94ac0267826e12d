"""Adversarial input: every bad file gets an exact diagnostic at file:line, and nothing is ever lost.

Each case starts from a good site that has already been built once, breaks
it, and builds again. The build must fail with exactly the expected errors,
leave the previous output byte-identical (same bytes, same modification
times) and leave every source file as it was. Cases live inline in CASES or
as folders under tests/sites/invalid/<case>/ (the files to add, plus
expected.txt with one diagnostic per line).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build, meeting, snapshot, write_site

from minutebook import filekinds
from minutebook.build import files as write
from minutebook.content import sources
from minutebook.diagnostics import Diagnostics
from minutebook.shell import commands
from minutebook.site import templatefiles

INVALID = Path(__file__).parent / "sites" / "invalid"
M = "content/committees/test/2021-01-11/"
MEETING = M + "meeting.md"
PAPER = M + "04-report.md"
MINUTES = M + "minutes.md"
COMMITTEE = "content/committees/test/committee.md"

GOOD = {
    PAPER: "---\ntitle: A report\n---\n1. The first paragraph.\n",
    "content/subjects/digital.md": "---\ntitle: Digital\n---\nDigital services.\n",
}


def paper(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}---\n{body}"


def minutes(front: str = "", body: str = "") -> str:
    return f"---\nstatus: confirmed\n{front}---\n{body}"


RESOLVED = "## 4. A report\n\n::: resolved 2021/001\nNoted.\n:::\n"

# name: (files to add or replace, the exact errors of the build)
CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "misspelt-key": (
        {PAPER: paper("titel: A report\n")},
        [
            f"{PAPER}:2: missing required key 'title' in a paper (the paper's title)",
            f"{PAPER}:2: unknown key 'titel' in a paper (did you mean \"title\"?)",
        ],
    ),
    "misspelt-meeting-key": (
        {MEETING: meeting(extra="venu: Hall\n")},
        [f"{MEETING}:5: unknown key 'venu' in meeting.md (did you mean \"venue\"?)"],
    ),
    "misspelt-exempt": (
        {PAPER: paper("title: A\nexmept: true\n")},
        [f"{PAPER}:3: unknown key 'exmept' in a paper (did you mean \"access: exempt\"?)"],
    ),
    "confidential-means-exempt": (
        {PAPER: paper("title: A\nconfidential: true\n")},
        [f"{PAPER}:3: unknown key 'confidential' in a paper (did you mean \"access: exempt\"?)"],
    ),
    "embargo-means-publish-on": (
        {PAPER: paper("title: A\nembargoed_until: 2027-01-01\n")},
        [f"{PAPER}:3: unknown key 'embargoed_until' in a paper (did you mean \"publish_on\"?)"],
    ),
    "misspelt-choice": (
        {MEETING: meeting().replace("status: held", "status: helf")},
        [
            f"{MEETING}:4: 'status': expected one of scheduled, held, cancelled, postponed, moved, found 'helf' "
            '(did you mean "held"?)'
        ],
    ),
    "yes-is-not-true": (
        {PAPER: paper("title: A\nkey_decision: yes\n")},
        [f"{PAPER}:3: 'key_decision': expected true or false, found 'yes'"],
    ),
    "members-not-a-list": (
        {COMMITTEE: "---\nname: Test Committee\nmembers: Ada Lovelace\n---\n"},
        [f"{COMMITTEE}:3: 'members': expected a list, found 'Ada Lovelace'"],
    ),
    "missing-required-title": (
        {PAPER: paper("author: Ada\n")},
        [f"{PAPER}:2: missing required key 'title' in a paper (the paper's title)"],
    ),
    "date-february-30": (
        {PAPER: paper("title: A\npublish_on: 2021-02-30\n")},
        [f"{PAPER}:3: 'publish_on': '2021-02-30' is not a real date"],
    ),
    "folder-february-30": (
        {"content/committees/test/2021-02-30/meeting.md": meeting()},
        [
            "content/committees/test/2021-02-30/meeting.md: meeting folder '2021-02-30' is not a real date: "
            "expected YYYY-MM-DD, e.g. 2021-02-08"
        ],
    ),
    "time-25-00": (
        {MEETING: meeting().replace('"10:30"', '"25:00"')},
        [f"{MEETING}:2: 'time': expected a 24-hour time such as \"10:30\", found '25:00'"],
    ),
    "bad-email": (
        {COMMITTEE: "---\nname: Test Committee\nclerk:\n  name: Jo\n  email: jo at example\n---\n"},
        [f"{COMMITTEE}:5: in 'clerk': 'email': expected an email address, found 'jo at example'"],
    ),
    "javascript-webcast": (
        {MEETING: meeting(extra="webcast: javascript:alert(1)\n")},
        [f"{MEETING}:5: 'webcast': expected a web address starting https:// or http://, found 'javascript:alert(1)'"],
    ),
    "duplicate-yaml-key": (
        {PAPER: paper("title: A\nauthor: B\ntitle: C\n")},
        [f"{PAPER}:4: duplicate key 'title' (first given on line 2)"],
    ),
    "yaml-billion-laughs": (
        {PAPER: paper('title: A\nwards: &a ["lol", "lol"]\nsubjects: &b [*a, *a, *a]\nreport_of: [*b, *b, *b]\n')},
        [f"{PAPER}:3: YAML anchors and aliases (&name, *name) are not supported; write each value out in full"],
    ),
    "yaml-python-tag": (
        {PAPER: paper("title: A\nauthor: !!python/object/apply:os.system [ls]\n")},
        [
            f"{PAPER}:3: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'; "
            "write plain text instead"
        ],
    ),
    "yaml-tab": (
        {PAPER: paper("title: A\ncontact:\n\tname: B\n")},
        [f"{PAPER}:4: a tab cannot indent front matter; use spaces"],
    ),
    "yaml-unclosed-quote": (
        {PAPER: paper('title: "A report\nauthor: B\n')},
        [f"{PAPER}:2: the quoted text that starts on this line is never closed; add the closing quote"],
    ),
    "yaml-unclosed-list": (
        {PAPER: paper("title: A\nwards: [North, South\nauthor: B\n")},
        [f"{PAPER}:3: the list or set of keys that starts on this line is never closed; add the ']'"],
    ),
    "yaml-colon-in-value": (
        {PAPER: paper("title: Item: contract award\n")},
        [
            f"{PAPER}:2: the value of 'title' holds ': ', which would start another setting; put the value in "
            'quotes: title: "Item: contract award"'
        ],
    ),
    "yaml-line-without-colon": (
        {PAPER: paper("title: A\nauthor\nwards: [North]\n")},
        [
            f"{PAPER}:3: this line has no ':', so it is not a setting: write it as 'author:' followed by its "
            "value; or, if it continues the line above, indent it more than that line"
        ],
    ),
    "yaml-too-deep": (
        {PAPER: paper("title: A\nwards: " + "[" * 30 + "]" * 30 + "\n")},
        [
            f"{PAPER}:3: front matter is nested more than 20 levels deep",
            f"{PAPER}:3: in 'wards': expected text, found a list",
        ],
    ),
    # nesting far beyond the limit, in every style, is one error at the line where it goes too deep
    "yaml-nested-1000-levels": (
        {PAPER: paper("title: A\nwards: " + "[" * 1000 + "]" * 1000 + "\n")},
        [f"{PAPER}:3: front matter is nested more than 20 levels deep"],
    ),
    "yaml-nested-10000-levels": (
        {PAPER: paper("title: A\nwards: " + "[" * 10000 + "]" * 10000 + "\n")},
        [f"{PAPER}:3: front matter is nested more than 20 levels deep"],
    ),
    "yaml-nested-10000-sets-of-keys": (
        {PAPER: paper("title: A\ncontact: " + "{a: " * 10000 + "b" + "}" * 10000 + "\n")},
        [f"{PAPER}:3: front matter is nested more than 20 levels deep"],
    ),
    "yaml-nested-block-dashes-5000-levels": (
        {PAPER: paper("title: A\nwards:\n  " + "- " * 5000 + "x\n")},
        [f"{PAPER}:4: front matter is nested more than 20 levels deep"],
    ),
    "yaml-nested-block-keys-400-levels": (
        {PAPER: paper("title: A\n" + "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "x\n")},
        [f"{PAPER}:3: unknown key 'k0' in a paper", f"{PAPER}:24: front matter is nested more than 20 levels deep"],
    ),
    "yaml-nested-500-levels-and-broken-later": (
        {PAPER: paper("title: A\nwards: " + "[" * 500 + "]" * 500 + "\nauthor: [unclosed\n")},
        [f"{PAPER}:3: front matter is nested more than 20 levels deep"],
    ),
    "front-matter-a-list": (
        {PAPER: "---\n- a\n- b\n---\nText.\n"},
        [f"{PAPER}:2: expected front matter to be a set of 'key: value' lines, found a list"],
    ),
    "front-matter-missing": (
        {PAPER: "# Just a heading\n"},
        [f"{PAPER}:1: expected front matter starting with a line '---', found none"],
    ),
    "front-matter-never-closed": (
        {PAPER: "---\ntitle: A\n\nThe body was meant to start here.\n"},
        [
            f"{PAPER}:1: the front matter that starts here is never closed: expected a line '---' after the last "
            "setting, found none"
        ],
    ),
    "bad-committee-folder": (
        {"content/committees/Test_Committee/committee.md": "---\nname: T\n---\n"},
        [
            "content/committees/Test_Committee/committee.md: folder name 'Test_Committee' must be lower-case letters, "
            "digits and hyphens, e.g. 'test-committee'"
        ],
    ),
    "paper-without-item-number": (
        {M + "report.md": paper("title: A\n")},
        [f"{M}report.md: paper file name 'report.md' must start with its agenda item number, e.g. 04-report.md"],
    ),
    "paper-name-capitals": (
        {M + "04-Report.md": paper("title: A\n")},
        [
            f"{M}04-Report.md: paper file name '04-Report.md' must be lower-case letters, digits and hyphens after the "
            "item number, e.g. 04-report.md"
        ],
    ),
    "file-in-the-wrong-place": (
        {"content/notes.md": paper("title: A\n")},
        [
            "content/notes.md: is not where a document can be: expected papers under content/committees/<committee>/ "
            "or subjects under content/subjects/"
        ],
    ),
    "paper-not-on-agenda": (
        {M + "07-other.md": paper("title: A\n")},
        [f"{M}07-other.md: is for agenda item 7, which is not on the agenda in {MEETING} (the agenda has items 1, 4)"],
    ),
    "appendix-without-its-paper": (
        {M + "04-budget-appendix-1.md": paper("title: A\n")},
        [f"{M}04-budget-appendix-1.md: is an appendix to '04-budget.md', which does not exist in this meeting"],
    ),
    "paper-without-meeting": (
        {"content/committees/test/2021-02-01/04-x.md": paper("title: A\n")},
        ["content/committees/test/2021-02-01/04-x.md: has no meeting.md beside it: every meeting folder needs one"],
    ),
    "meeting-without-committee": (
        {"content/committees/other/2021-02-01/meeting.md": meeting()},
        [
            "content/committees/other/2021-02-01/meeting.md: no committee 'other': expected "
            "content/committees/other/committee.md"
        ],
    ),
    "item-disagrees-with-file-name": (
        {PAPER: paper("title: A\nitem: 5\n")},
        [f"{PAPER}:3: 'item: 5' disagrees with the file name, which says item 4"],
    ),
    "agenda-item-twice": (
        {MEETING: meeting("  - number: 4\n    title: Again\n")},
        [f"{MEETING}:11: agenda item 4 appears twice (first on line 9)"],
    ),
    "moved-without-date": (
        {MEETING: meeting().replace("status: held", "status: moved")},
        [f"{MEETING}:4: a moved meeting must give 'moved_to' with the new date"],
    ),
    "exempt-item-without-paragraph": (
        {MEETING: meeting("  - number: 5\n    title: Contract\n    access: exempt\n")},
        [
            f"{MEETING}:13: an exempt item must give 'exempt_paragraph': the Schedule 12A paragraph relied on "
            "(one of 1, 2, 3, 4, 5, 6, 7)"
        ],
    ),
    "exempt-paper-without-paragraph": (
        {PAPER: paper("title: A\naccess: exempt\n")},
        [
            f"{PAPER}:3: an exempt paper must give 'exempt_paragraph': the Schedule 12A paragraph relied on "
            "(one of 1, 2, 3, 4, 5, 6, 7)"
        ],
    ),
    "exempt-paragraph-9": (
        {MEETING: meeting("  - number: 5\n    title: Contract\n    access: exempt\n    exempt_paragraph: 9\n")},
        [
            f"{MEETING}:14: 'exempt_paragraph': expected a Schedule 12A paragraph this council may rely on "
            "(1, 2, 3, 4, 5, 6, 7), found 9"
        ],
    ),
    "exempt-paper-paragraph-9": (
        {PAPER: paper("title: A\naccess: exempt\nexempt_paragraph: 9\n")},
        [
            f"{PAPER}:4: 'exempt_paragraph': expected a Schedule 12A paragraph this council may rely on "
            "(1, 2, 3, 4, 5, 6, 7), found 9"
        ],
    ),
    "exempt-paragraph-quoted-with-leading-zero": (
        {PAPER: paper('title: A\naccess: exempt\nexempt_paragraph: "09"\n')},
        [
            f"{PAPER}:4: 'exempt_paragraph': expected a Schedule 12A paragraph this council may rely on "
            "(1, 2, 3, 4, 5, 6, 7), found 9"
        ],
    ),
    "exempt-paragraph-in-words": (
        {PAPER: paper("title: A\naccess: exempt\nexempt_paragraph: three\n")},
        [
            f"{PAPER}:3: an exempt paper must give 'exempt_paragraph': the Schedule 12A paragraph relied on "
            "(one of 1, 2, 3, 4, 5, 6, 7)",
            f"{PAPER}:4: 'exempt_paragraph': expected a paragraph number such as 3, found 'three'",
        ],
    ),
    "exempt-paragraph-on-a-public-paper": (
        {PAPER: paper("title: A\nexempt_paragraph: 3\n")},
        [f"{PAPER}:3: 'exempt_paragraph' is only for exempt items; add 'access: exempt' or remove it"],
    ),
    "unknown-reference-did-you-mean": (
        {PAPER: paper("title: A\n", "See [it](resolution:2021/0001).\n"), MINUTES: minutes(body=RESOLVED)},
        [
            f"{PAPER}:4: 'resolution:2021/0001' points at no such resolution (test/2021/0001) "
            '(did you mean "test/2021/001"?)'
        ],
    ),
    "unreadable-reference": (
        {PAPER: paper("title: A\n", "See [it](meeting:yesterday).\n")},
        [
            f"{PAPER}:4: cannot read the reference 'meeting:yesterday': expected meeting:2021-01-11 or "
            "meeting:<committee>/2021-01-11"
        ],
    ),
    "relative-link-to-nothing": (
        {PAPER: paper("title: A\n", "See [it](../2021-01-12/meeting.md).\n")},
        [
            f"{PAPER}:4: link to '../2021-01-12/meeting.md': no such document "
            '(content/committees/test/2021-01-12/meeting.md) (did you mean "content/committees/test/2021-01-11/'
            'meeting.md"?)'
        ],
    ),
    "unknown-subject": (
        {PAPER: paper("title: A\nsubjects: [digitl]\n")},
        [f"{PAPER}:3: unknown subject 'digitl' (did you mean \"digital\"?): add content/subjects/digitl.md"],
    ),
    "duplicate-resolution-number": (
        {
            MINUTES: minutes(body=RESOLVED),
            "content/committees/test/2021-02-01/meeting.md": meeting(),
            "content/committees/test/2021-02-01/minutes.md": minutes(body=RESOLVED),
        },
        [
            "content/committees/test/2021-02-01/minutes.md:6: resolution 2021/001 is already used by this committee at "
            f"{MINUTES}:6; numbers must be unique within a committee"
        ],
    ),
    "resolution-cycle": (
        {
            MINUTES: minutes(
                'resolutions:\n  "2021/001":\n    amends: ["2021/002"]\n  "2021/002":\n    amends: ["2021/003"]\n'
                '  "2021/003":\n    supersedes: ["2021/001"]\n',
                "## 4. A report\n\n::: resolved 2021/001\nA.\n:::\n\n::: resolved 2021/002\nB.\n:::\n\n"
                "::: resolved 2021/003\nC.\n:::\n",
            )
        },
        [f"{MINUTES}:13: resolutions refer to each other in a cycle: 2021/001 → 2021/002 → 2021/003 → 2021/001"],
    ),
    "relation-to-nothing": (
        {MINUTES: minutes('resolutions:\n  "2021/001":\n    amends: ["2020/009"]\n', RESOLVED)},
        [
            f"{MINUTES}:5: resolution 2021/001 amends '2020/009', which is not a resolution (test/2020/009) "
            '(did you mean "test/2021/001"?)'
        ],
    ),
    "settings-for-a-missing-resolution": (
        {MINUTES: minutes('resolutions:\n  "2021/01":\n    subjects: [digital]\n', RESOLVED)},
        [
            f"{MINUTES}:4: 'resolutions' names 2021/01, but no '::: resolved 2021/01' block is in these minutes "
            '(did you mean "2021/001"?)'
        ],
    ),
    "minute-heading-without-number": (
        {MINUTES: minutes(body="## A report\n\nText.\n")},
        [f"{MINUTES}:4: a minute heading must start with its agenda item number, e.g. '## 4. Title'"],
    ),
    "minute-for-an-item-not-on-agenda": (
        {MINUTES: minutes(body="## 7. Other business\n\nText.\n")},
        [f"{MINUTES}:4: minute '7. Other business' is for agenda item 7, which is not on the agenda"],
    ),
    "resolved-without-number": (
        {MINUTES: minutes(body="## 4. A report\n\n::: resolved\nA.\n:::\n")},
        [f"{MINUTES}:6: expected a resolution number after '::: resolved', such as 2021/001, found nothing"],
    ),
    "javascript-link": (
        {PAPER: paper("title: A\n", "Read [the terms](javascript:alert(1)) now.\n")},
        [
            f"{PAPER}:4: link to 'javascript:alert(1)' is not allowed: links may only be http, https, mailto, tel or "
            "relative"
        ],
    ),
    "javascript-link-mixed-case": (
        {PAPER: paper("title: A\n", "Read [the terms](JaVaScRiPt:alert(1)) now.\n")},
        [
            f"{PAPER}:4: link to 'JaVaScRiPt:alert(1)' is not allowed: links may only be http, https, mailto, tel or "
            "relative"
        ],
    ),
    "javascript-autolink": (
        {PAPER: paper("title: A\n", "Go to <javascript:alert(1)> now.\n")},
        [
            f"{PAPER}:4: link to 'javascript:alert(1)' is not allowed: links may only be http, https, mailto, tel or "
            "relative"
        ],
    ),
    "data-uri-link": (
        {PAPER: paper("title: A\n", "Read [the terms](data:text/html;base64,PHNjcmlwdD4=) now.\n")},
        [
            f"{PAPER}:4: link to 'data:text/html;base64,PHNjcmlwdD4=' is not allowed: links may only be http, https, "
            "mailto, tel or relative"
        ],
    ),
    "javascript-image": (
        {PAPER: paper("title: A\n", "![A chart of spending](javascript:alert(1))\n")},
        [f"{PAPER}:4: image 'javascript:alert(1)' is not allowed: images may only be http, https or relative"],
    ),
    "deeply-nested-lists": (
        {PAPER: paper("title: A\n", "".join("  " * i + "- level\n" for i in range(200)))},
        [
            f"{PAPER}:23: lists or quotes are nested too deeply here, and the text would be lost: expected at most 19 "
            "levels of lists or 39 of quotes"
        ],
    ),
    "deeply-nested-quotes": (
        {PAPER: paper("title: A\n", ">" * 5000 + " deep\n")},
        [
            f"{PAPER}:4: lists or quotes are nested too deeply here, and the text would be lost: expected at most 19 "
            "levels of lists or 39 of quotes"
        ],
    ),
    # characters that cannot be published, however they are written: each at its line and column
    "control-characters-in-body": (
        {PAPER: paper("title: A\n", "Line one.\nA \x1b[31mred\x1b[0m line.\n")},
        [
            f"{PAPER}:5: found a control character U+001B (escape) at column 11, which cannot be published; delete it",
            f"{PAPER}:5: found a control character U+001B (escape) at column 3, which cannot be published; delete it",
        ],
    ),
    "c1-control-in-body": (
        {PAPER: paper("title: A\n", "Pasted\x9b2J from a terminal.\n")},
        [f"{PAPER}:4: found a control character U+009B (control) at column 7, which cannot be published; delete it"],
    ),
    "nul-in-front-matter": (
        {PAPER: paper("title: A\x00B\n")},
        [f"{PAPER}:2: found a control character U+0000 (null) at column 9, which cannot be published; delete it"],
    ),
    "control-character-as-yaml-escape": (
        {PAPER: paper('title: "A\\eB"\n')},
        [f"{PAPER}:2: expected text, found a control character U+001B (escape), which cannot be published; delete it"],
    ),
    "control-character-as-entity": (
        {PAPER: paper("title: A\n", "Page&#12;break.\n")},
        [
            f"{PAPER}:4: found a control character U+000C (form feed) at column 5, written as &#12;, which cannot be "
            "published; delete it"
        ],
    ),
    "many-control-characters": (
        {PAPER: paper("title: A\n", "".join(f"Line {n}\x07\n" for n in range(8)))},
        [
            *(
                f"{PAPER}:{line}: found a control character U+0007 (bell) at column 7, which cannot be published; "
                "delete it"
                for line in range(4, 9)
            ),
            f"{PAPER}:9: found 3 more control characters from this line on",
        ],
    ),
    "huge-file": (
        {PAPER: paper("title: A\n", "x" * (4 * 1024 * 1024 + 10))},
        [f"{PAPER}: is 4.0 MB, more than the 4 MB a document may be; split it into a paper and appendices"],
    ),
    "config-unknown-setting": (
        {"site.toml": '[organisation]\nname = "Testshire"\n\n[site]\ntitel = "Papers"\n'},
        ["site.toml:5: unknown setting 'titel' in [site] (did you mean \"title\"?)"],
    ),
    "config-bad-base-url": (
        {"site.toml": '[organisation]\nname = "Testshire"\n\n[site]\nbase_url = "democracy.example"\n'},
        [
            "site.toml:5: [site] base_url: expected a web address such as https://example.gov.uk/democracy/, "
            "found 'democracy.example'"
        ],
    ),
    "config-javascript-website": (
        {"site.toml": '[organisation]\nname = "Testshire"\nwebsite = "javascript:alert(1)"\n'},
        [
            "site.toml:3: [organisation] website: expected a web address starting https:// or http://, "
            "found 'javascript:alert(1)'"
        ],
    ),
    "config-base-url-breaking-out-of-json": (
        {"site.toml": '[organisation]\nname = "Testshire"\n\n[site]\nbase_url = "https://x.example/\\",\\"a"\n'},
        [
            "site.toml:5: [site] base_url: expected a web address such as https://example.gov.uk/democracy/, "
            "found 'https://x.example/\",\"a'"
        ],
    ),
    "config-logo-from-outside-templates": (
        {"site.toml": '[organisation]\nname = "T"\n\n[branding]\nlogo = "static/../../site.toml"\nlogo_alt = "T"\n'},
        [
            'site.toml:5: [branding] logo: expected a file in templates/static/ such as "static/logo.svg", '
            'found "static/../../site.toml"'
        ],
    ),
    "config-control-character": (
        {"site.toml": '[organisation]\nname = "Testshire\\u001b]0;pwned\\u0007"\n'},
        [
            "site.toml:2: [organisation] name: expected text, found a control character U+001B (escape), "
            "which cannot be published; delete it"
        ],
    ),
}


def folder_cases() -> dict[str, tuple[dict[str, str | bytes], list[str]]]:
    """tests/sites/invalid/<case>/: the files to add (as bytes, exactly) and expected.txt."""
    cases = {}
    for folder in sorted(p for p in INVALID.iterdir() if p.is_dir()) if INVALID.is_dir() else []:
        files = {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "expected.txt"
        }
        expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        cases[folder.name] = (files, [line for line in expected if line.strip()])
    return cases


ALL_CASES = {**CASES, **folder_cases()}


# --- the harness ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A good site, built once; every case copies it (output and all) and breaks the copy."""
    root = write_site(tmp_path_factory.mktemp("good") / "site", GOOD)
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    return root


def copy_site(built: Path, target: Path) -> Path:
    shutil.copytree(built, target, symlinks=True, copy_function=shutil.copy2)
    return target


def put(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def test_there_are_at_least_forty_cases():
    assert len(ALL_CASES) >= 40
    assert len(folder_cases()) >= 3


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_bad_input_gets_an_exact_diagnostic_and_nothing_is_lost(name, built_site, tmp_path):
    files, expected = ALL_CASES[name]
    root = copy_site(built_site, tmp_path / "site")
    put(root, files)
    output_before, content_before = snapshot(root / "output"), snapshot(root / "content")
    result = build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == expected
    assert snapshot(root / "output") == output_before
    assert snapshot(root / "content") == content_before


def test_all_errors_of_several_broken_files_are_reported_in_one_run(built_site, tmp_path):
    """A clerk fixes everything in one pass: the errors of every case, together, all come out of one build."""
    root = copy_site(built_site, tmp_path / "site")
    chosen = [
        "misspelt-exempt",
        "time-25-00",
        "javascript-image",
        "duplicate-yaml-key",
        "paper-not-on-agenda",
        "bad-email",
        "yaml-tab",
    ]
    files: dict[str, str | bytes] = {}
    expected: list[str] = []
    for name in chosen:
        case_files, case_expected = CASES[name]
        renamed = {
            rel.replace("04-report", f"04-{name}") if rel == PAPER and name != "misspelt-exempt" else rel: data
            for rel, data in case_files.items()
        }
        files.update(renamed)
        expected += [
            line.replace("04-report.md", f"04-{name}.md") if name != "misspelt-exempt" else line
            for line in case_expected
        ]
    put(root, files)
    result = build(root)
    assert not result.ok
    assert sorted(str(d) for d in result.diagnostics if d.severity == "error") == sorted(expected)
    assert len(expected) == len(chosen)


# --- inputs that must build, safely --------------------------------------------------


class Tags(HTMLParser):
    """Every live tag and attribute in a page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)


def page(root: Path, rel: str = "committees/test/2021-01-11/04-report/index.html") -> Tags:
    tags = Tags()
    tags.feed((root / "output" / rel).read_text(encoding="utf-8"))
    return tags


RAW_HTML = {
    "script": ("<script>alert(1)</script>", ["raw HTML </script>", "raw HTML <script>"]),
    "iframe": (
        '<iframe src="https://evil.example"></iframe>',
        ["raw HTML </iframe>", 'raw HTML <iframe src="https://evil.example">'],
    ),
    "onclick": (
        'Press <a href="https://x.example" onclick="alert(1)">here</a>.',
        ["raw HTML </a>", 'raw HTML <a href="https://x.example" onclick="alert(1)">'],
    ),
    "img-onerror": ("<img src=x onerror=alert(1)>", ["raw HTML <img src=x onerror=alert(1)>"]),
    "svg-onload": ("Text <svg onload=alert(1)> more", ["raw HTML <svg onload=alert(1)>"]),
    "style": ("<style>body{display:none}</style>", ["raw HTML </style>", "raw HTML <style>"]),
}


@pytest.mark.parametrize("name", sorted(RAW_HTML))
def test_raw_html_is_never_live(name, make_site):
    snippet, warned = RAW_HTML[name]
    root = make_site({**GOOD, PAPER: paper("title: A\n", f"Intro.\n\n{snippet}\n")})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    warnings = sorted(str(d) for d in result.diagnostics if d.severity == "warning")
    assert warnings == sorted(f"{PAPER}:6: warning: {w} is not published as HTML; it is shown as text" for w in warned)
    for html_file in (root / "output").rglob("*.html"):
        tags = Tags()
        tags.feed(html_file.read_text(encoding="utf-8"))
        assert not {"iframe", "svg", "style", "object", "embed"} & set(tags.tags), html_file
        assert not [a for a in tags.attributes if a[0].startswith("on") or "javascript:" in a[1].lower()], html_file
        assert "alert(1)" not in [s for t in tags.tags if t == "script" for s in tags.text]
    shown = page(root)
    assert snippet.split(">")[0] + ">" in "".join(shown.text)  # shown as text, exactly as written


def test_pdf_debris_is_dropped_and_checkboxes_become_text(make_site):
    body = (
        "Key decision <u>yes</u> <span style='x'>now</span>\n\n"
        "<input type=checkbox checked> Yes <input type=checkbox> No\n"
    )
    root = make_site({**GOOD, PAPER: paper("title: A\n", body)})
    result = build(root)
    assert result.ok and [d for d in result.diagnostics if d.severity == "warning"] == []
    shown = page(root)
    text = " ".join("".join(shown.text).split())
    assert "Key decision yes now" in text
    assert "☒ (ticked) Yes ☐ (not ticked) No" in text
    assert "input" not in shown.tags and "u" not in shown.tags


def test_template_syntax_in_content_renders_literally(make_site):
    body = "Seven times seven is {{ 7*7 }}.\n\n{% raw %}kept{% endraw %} and {# not a comment #}.\n"
    root = make_site({**GOOD, PAPER: paper("title: '{{ 7*7 }} and {% raw %}'\n", body)})
    assert build(root).ok
    text = "".join(page(root).text)
    assert "Seven times seven is {{ 7*7 }}." in text
    assert "{% raw %}kept{% endraw %} and {# not a comment #}." in text
    assert "{{ 7*7 }} and {% raw %}" in text
    assert "49" not in text


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in json_strings(item)] if isinstance(value, list) else []


def test_special_characters_are_escaped_in_html_feeds_and_json(make_site):
    import json
    import xml.etree.ElementTree as ET

    title = 'Tom & Jerry\'s <b>"best"</b> report'
    root = make_site(
        {
            **GOOD,
            PAPER: paper(f"title: '{title.replace(chr(39), chr(39) * 2)}'\nauthor: '<script>x</script> & \"co\"'\n"),
        }
    )
    assert build(root).ok
    out = root / "output"
    shown = page(root)
    assert title in "".join(shown.text)
    assert '<script>x</script> & "co"' in "".join(shown.text)
    assert "b" not in shown.tags  # no live tag from front matter
    scripts = [value for name, value in shown.attributes if name == "src" and value.endswith(".js")]
    assert shown.tags.count("script") == len(scripts) == 1 and scripts == ["/static/site.js"]  # only the site's own
    html_text = (out / "committees/test/2021-01-11/04-report/index.html").read_text(encoding="utf-8")
    assert "Tom &amp; Jerry&#39;s &lt;b&gt;&#34;best&#34;&lt;/b&gt; report" in html_text
    meeting = page(root, "committees/test/2021-01-11/index.html")
    assert title in "".join(meeting.text)
    for feed in out.rglob("*.atom"):
        tree = ET.parse(feed)  # well-formed XML, whatever the title holds
        if "subjects" not in feed.parts:  # the paper is on no subject
            assert title in "".join(tree.getroot().itertext()), feed
    found = False
    for data in out.rglob("*.json"):
        text = data.read_text(encoding="utf-8")
        json.loads(text)  # still valid JSON
        found = found or any(title in value for value in json_strings(json.loads(text)))
    assert found
    for html_file in out.rglob("*.html"):  # in attributes the quotes are escaped too: none breaks out of its value
        tags = Tags()
        tags.feed(html_file.read_text(encoding="utf-8"))
        assert [name for name, _ in tags.attributes if not re.fullmatch(r"[a-z][a-z0-9:-]*", name)] == [], html_file
        assert [v for _, v in tags.attributes if "Jerry" in v and title not in v] == [], html_file


INVISIBLE = "which is invisible and can make text read differently from what it says; delete it unless it is meant"


def test_invisible_characters_that_can_disguise_text_are_warnings_at_their_line(make_site):
    """Trojan Source: bidirectional overrides and zero-width characters, written or as entities, are named."""
    front = 'title: A report\nauthor: "Jo \\u2066Bloggs\\u2069"\n'
    body = "Pay \u202e0001\u202c pounds.\n\nA zero\u200bwidth &#x202E; and &ZeroWidthSpace; joined.\n"
    root = make_site({**GOOD, PAPER: paper(front, body)})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert [str(d) for d in result.diagnostics if d.path == PAPER] == [
        f"{PAPER}:3: warning: holds U+2066 LEFT-TO-RIGHT ISOLATE, which is invisible and can disguise text; delete it",
        f"{PAPER}:5: warning: found U+202C POP DIRECTIONAL FORMATTING at column 10, {INVISIBLE}",
        f"{PAPER}:5: warning: found U+202E RIGHT-TO-LEFT OVERRIDE at column 5, {INVISIBLE}",
        f"{PAPER}:7: warning: found U+200B ZERO WIDTH SPACE at column 27, written as &ZeroWidthSpace;, {INVISIBLE}",
        f"{PAPER}:7: warning: found U+200B ZERO WIDTH SPACE at column 7, {INVISIBLE}",
        f"{PAPER}:7: warning: found U+202E RIGHT-TO-LEFT OVERRIDE at column 14, written as &#x202E;, {INVISIBLE}",
    ]  # in the order diagnostics are listed: by line, then by message


def test_a_body_only_edit_is_checked_for_control_and_invisible_characters_too(built_site, tmp_path):
    """An edit to the wording alone takes the quick path (minutebook.bodyedits): it must be checked the same."""
    root = copy_site(built_site, tmp_path / "site")
    before = snapshot(root / "output")
    put(root, {PAPER: GOOD[PAPER].replace("The first paragraph.", "The first\x1b[8m paragraph.")})
    result = build(root)
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        f"{PAPER}:4: found a control character U+001B (escape) at column 13, which cannot be published; delete it"
    ]
    assert snapshot(root / "output") == before
    put(root, {PAPER: GOOD[PAPER].replace("The first paragraph.", "The first \u202eparagraph.")})
    result = build(root)
    assert result.ok
    warning = f"{PAPER}:4: warning: found U+202E RIGHT-TO-LEFT OVERRIDE at column 14, {INVISIBLE}"
    assert [str(d) for d in result.diagnostics if d.path == PAPER] == [warning]
    put(root, {PAPER: GOOD[PAPER].replace("The first paragraph.", "The first \u202eparagraph, reworded.")})
    result = build(root)
    assert result.ok and [str(d) for d in result.diagnostics if d.path == PAPER] == [warning]
    assert "reworded" in "".join(page(root).text)


def test_messages_never_carry_control_characters_to_the_terminal(built_site, tmp_path):
    """A file name or a quoted value can hold an escape sequence: messages show it escaped, never raw."""
    root = copy_site(built_site, tmp_path / "site")
    put(root, {M + "04-a\x1b[2Jb.md": paper("title: A\n"), PAPER: paper("exmept\u202e: true\ntitle: A\n")})
    result = build(root)
    shown = "\n".join(str(d) for d in result.diagnostics)
    assert not result.ok
    assert "\x1b" not in shown and "\u202e" not in shown
    assert f"{M}04-a\\x1b[2Jb.md" in shown and "exmept\\u202e" in shown


def test_wales_configuration_allows_its_own_paragraphs(make_site):
    wording = "exempt by virtue of paragraph {paragraph} of Part 4 of Schedule 12A to the Local Government Act 1972"
    toml = (
        textwrap.dedent("""\
        [organisation]
        name = "Cyngor Testshire"

        [site]
        base_url = "https://democracy.testshire.example/"

        [publication]
        exempt_paragraphs = { "12" = "Individuals", "13" = "Identity", "18" = "Standards investigations" }
        """)
        + f'exempt_wording = "{wording}"\n'
    )
    item = (
        "  - number: 5\n    title: Complaint\n    access: exempt\n    exempt_paragraph: {}\n"
        "    public_title: Standards matter\n"
    )
    root = make_site({**GOOD, "site.toml": toml, MEETING: meeting(item.format(18))})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    text = " ".join("".join(page(root, "committees/test/2021-01-11/index.html").text).split())
    assert "exempt by virtue of paragraph 18 of Part 4 of Schedule 12A to the Local Government Act 1972" in text
    (root / MEETING).write_text(meeting(item.format(3)), encoding="utf-8")
    result = build(root)
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        f"{MEETING}:14: 'exempt_paragraph': expected a Schedule 12A paragraph this council may rely on "
        "(12, 13, 18), found 3"
    ]


def test_deep_inline_nesting_builds_without_recursion_error(make_site):
    body = "*" * 3000 + "deep" + "*" * 3000 + "\n\n" + "[" * 3000 + "a" + "](x)" * 3000 + "\n\nThe end.\n"
    root = make_site({**GOOD, PAPER: paper("title: A\n", body)})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics][:3]
    assert "The end." in "".join(page(root).text)


# --- the file system -------------------------------------------------------------------


def test_symlinks_leaving_content_are_refused(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Password file\n---\nsecret\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "04-leak.md").write_text("---\ntitle: Leak\n---\n", encoding="utf-8")
    (root / M / "04-secret.md").symlink_to(secret)
    (root / "content/committees/test/2021-03-01").symlink_to(tmp_path / "elsewhere")
    before = snapshot(root / "output")
    result = build(root)
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        f"{M}04-secret.md: is a link to somewhere outside content/; such links are refused",
        "content/committees/test/2021-03-01: is a link to somewhere outside content/; such links are refused",
    ]
    assert snapshot(root / "output") == before


def within(seconds: float, action):
    """action()'s result, or a failure if it has not returned in `seconds` (a hang fails rather than stalls)."""
    done: list = []
    worker = threading.Thread(target=lambda: done.append(action()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"still running after {seconds}s: something waited on a file it should never have opened"
    return done[0]


def make_socket(path: Path) -> None:
    """A Unix socket at `path`, bound from its folder (socket paths are limited to about 100 characters)."""
    here = Path.cwd()
    os.chdir(path.parent)
    try:
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(path.name)
    finally:
        os.chdir(here)


def fifo_link(folder: Path) -> None:
    os.mkfifo(folder / "05-pipe.txt")
    (folder / "05-linked.md").symlink_to("05-pipe.txt")


NOT_A_FILE = "only Markdown files are read"
LOOP = "is a link that leads back to itself (a loop of links); such links are refused"
# name: (what to put in the meeting folder, the exact errors); none of these may be opened, or hang the build
SPECIAL_FILES = {
    "named-pipe": (
        lambda folder: os.mkfifo(folder / "05-pipe.md"),
        [f"{M}05-pipe.md: is not a regular file (a named pipe); {NOT_A_FILE}"],
    ),
    "named-pipe-not-markdown": (
        lambda folder: os.mkfifo(folder / "notes.txt"),
        [f"{M}notes.txt: is not a regular file (a named pipe); {NOT_A_FILE}"],
    ),
    "socket": (
        lambda folder: make_socket(folder / "05-socket.md"),
        [f"{M}05-socket.md: is not a regular file (a socket); {NOT_A_FILE}"],
    ),
    "link-to-a-named-pipe": (
        fifo_link,
        [
            f"{M}05-linked.md: is not a regular file (a named pipe); {NOT_A_FILE}",
            f"{M}05-pipe.txt: is not a regular file (a named pipe); {NOT_A_FILE}",
        ],
    ),
    "link-to-itself": (lambda folder: (folder / "05-loop.md").symlink_to("05-loop.md"), [f"{M}05-loop.md: {LOOP}"]),
    "two-links-to-each-other": (
        lambda folder: ((folder / "05-a.md").symlink_to("05-b.md"), (folder / "05-b.md").symlink_to("05-a.md")),
        [f"{M}05-a.md: {LOOP}", f"{M}05-b.md: {LOOP}"],
    ),
    "folder-link-cycle": (
        lambda folder: (folder / "again").symlink_to(".."),
        [f"{M}again: is a link to a folder that holds it (a loop); such links are refused"],
    ),
    "dangling-link": (
        lambda folder: (folder / "05-gone.md").symlink_to("05-never-written.md"),
        [f"{M}05-gone.md: is a link to something that does not exist; such links are refused"],
    ),
}


@pytest.mark.parametrize("name", sorted(SPECIAL_FILES))
def test_only_regular_files_in_content_are_read(name, built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    make, expected = SPECIAL_FILES[name]
    make(root / M)
    before = snapshot(root / "output")
    result = within(60, lambda: build(root))
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == expected
    assert snapshot(root / "output") == before
    assert within(60, lambda: commands.check(root, TODAY)) == result.diagnostics


def test_a_named_pipe_read_as_one_source_is_refused_without_waiting(tmp_path):
    """Body-only edits read the files they were told changed: one that became a pipe is refused there too."""
    os.mkfifo(tmp_path / "04-report.md")
    diagnostics = Diagnostics()
    assert within(10, lambda: sources.read_one(tmp_path / "04-report.md", PAPER, diagnostics)) is None
    assert [str(d) for d in diagnostics.items] == [f"{PAPER}: is not a regular file (a named pipe); {NOT_A_FILE}"]


TEMPLATES_ONLY = "templates/ may hold only files and folders"
# name: (what to do to the site's root, the exact errors)
SPECIAL_SETTINGS = {
    "site-toml-named-pipe": (
        lambda root: ((root / "site.toml").unlink(), os.mkfifo(root / "site.toml")),
        ["site.toml: is not a regular file (a named pipe); expected a text file of settings"],
    ),
    "site-toml-link-to-itself": (
        lambda root: ((root / "site.toml").unlink(), (root / "site.toml").symlink_to("site.toml")),
        [f"site.toml: {LOOP}"],
    ),
    "template-named-pipe": (
        lambda root: ((root / "templates/paper.html").unlink(), os.mkfifo(root / "templates/paper.html")),
        [f"templates/paper.html: is not a regular file (a named pipe); {TEMPLATES_ONLY}"],
    ),
    "template-link-to-itself": (
        lambda root: (root / "templates/extra.html").symlink_to("extra.html"),
        [f"templates/extra.html: {LOOP}"],
    ),
    "static-named-pipe": (
        lambda root: os.mkfifo(root / "templates/static/print.css"),
        [f"templates/static/print.css: is not a regular file (a named pipe); {TEMPLATES_ONLY}"],
    ),
    "static-link-to-a-file-elsewhere": (
        lambda root: (root / "templates/static/passwd.txt").symlink_to("/etc/passwd"),
        ["templates/static/passwd.txt: is a link to somewhere outside templates/; such links are refused"],
    ),
    "content-link-to-itself": (
        lambda root: (shutil.rmtree(root / "content"), (root / "content").symlink_to("content")),
        [f"content: {LOOP}"],
    ),
    "content-named-pipe": (
        lambda root: (shutil.rmtree(root / "content"), os.mkfifo(root / "content")),
        ["content: expected a content/ folder holding the papers, found a named pipe"],
    ),
    "templates-link-to-itself": (
        lambda root: (shutil.rmtree(root / "templates"), (root / "templates").symlink_to("templates")),
        [f"templates: {LOOP}"],
    ),
    "templates-missing": (
        lambda root: shutil.rmtree(root / "templates"),
        ["templates: expected a templates/ folder holding the page templates, found none"],
    ),
    "static-link-to-a-folder-elsewhere": (
        lambda root: (root / "templates/static/etc").symlink_to("/etc"),
        ["templates/static/etc: is a link to somewhere outside templates/; such links are refused"],
    ),
}


@pytest.mark.parametrize("name", sorted(SPECIAL_SETTINGS))
def test_site_toml_content_and_templates_are_regular_files_and_folders(name, built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    make, expected = SPECIAL_SETTINGS[name]
    make(root)
    before = snapshot(root / "output")
    result = within(60, lambda: build(root))
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == expected
    assert snapshot(root / "output") == before


def test_an_output_folder_that_is_a_loop_of_links_is_refused(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    (root / "elsewhere").symlink_to("elsewhere")
    with pytest.raises(write.OutputRefused) as refused:
        commands.build_into(root, root / "elsewhere", TODAY)
    assert str(refused.value) == (
        f"refusing to build into {root / 'elsewhere'}: it cannot be followed (Too many levels of symbolic links)"
    )


def test_kinds_of_file_are_named_in_words():
    assert filekinds.kind(stat.S_IFREG) == ""
    assert [filekinds.kind(mode) for mode in (stat.S_IFIFO, stat.S_IFSOCK, stat.S_IFCHR, stat.S_IFBLK)] == [
        "a named pipe",
        "a socket",
        "a device",
        "a device",
    ]
    assert filekinds.problem(Path("/dev/null"), "only files") == "is not a regular file (a device); only files"
    with pytest.raises(filekinds.Refused):
        filekinds.read(Path("/dev/zero"), 10, "only files")


def test_static_files_are_copied_only_from_inside_templates(tmp_path):
    """The copy refuses on its own what the check reports, so no caller can publish a file from elsewhere."""
    static = tmp_path / "templates" / "static"
    static.mkdir(parents=True)
    (static / "site.css").write_text("body {}", encoding="utf-8")
    (static / "also.css").symlink_to("site.css")
    (static / "passwd.txt").symlink_to("/etc/passwd")
    (static / "up").symlink_to("..")
    os.mkfifo(static / "pipe.css")
    files = within(10, lambda: templatefiles.static_files(static))
    assert files == {"static/also.css": b"body {}", "static/site.css": b"body {}"}


def test_non_utf8_error_names_the_line(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    put(root, {PAPER: b"---\ntitle: A\n---\nFirst line.\nCaf\xe9 society.\n"})
    result = build(root)
    assert [str(d) for d in result.diagnostics] == [f"{PAPER}:5: is not UTF-8 text (byte 0xe9); save it as UTF-8"]


@pytest.mark.parametrize(
    "where", ["root", "home", "project", "content", "templates", "inside-content", "unmarked", "a-file"]
)
def test_output_paths_that_would_lose_work_are_refused(where, built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    (root / "notes").mkdir()
    (root / "notes" / "mine.txt").write_text("my work", encoding="utf-8")
    (root / "a-file").write_text("x", encoding="utf-8")
    output, reason = {
        "root": (Path("/"), "it is the root of the file system"),
        "home": (Path.home(), "it is your home folder"),
        "project": (root, "it is the project folder"),
        "content": (root / "content", "it is the content folder"),
        "templates": (root / "templates", "it is the templates folder"),
        "inside-content": (root / "content" / "out", "it is inside content/"),
        "unmarked": (
            root / "notes",
            "it holds files Minutebook did not write (no .minutebook-output marker); "
            "empty it or choose another --output",
        ),
        "a-file": (root / "a-file", "it is a file, not a folder"),
    }[where]
    before = snapshot(root)
    with pytest.raises(write.OutputRefused) as refused:
        commands.build_into(root, output, TODAY)
    assert str(refused.value) == f"refusing to build into {output}: {reason}"
    assert snapshot(root) == before


def test_read_only_content_builds_and_is_not_modified(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    put(root, {PAPER: paper("title: A changed report\n")})
    before = snapshot(root / "content")
    folders = [root / "content", *(p for p in (root / "content").rglob("*"))]
    for path in folders:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        result = build(root)
        assert result.ok, [str(d) for d in result.diagnostics]
        assert snapshot(root / "content") == before
        assert "A changed report" in "".join(page(root).text)
    finally:
        for path in folders:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


# --- killed and concurrent builds ------------------------------------------------------

SLOW_BUILD = """\
import os, sys, time
from pathlib import Path
from minutebook.build import files
from minutebook.shell import cli


def slowed(original):
    def slow(output, staging, *args, **kwargs):
        with open(os.environ["MB_LOG"], "a") as log:
            log.write(f"start {os.getpid()}\\n")
        print("WRITING", flush=True)  # every new file is written beside the old output...
        time.sleep(float(os.environ.get("MB_DELAY", "0")))  # ...and none is in place yet
        original(output, staging, *args, **kwargs)
        with open(os.environ["MB_LOG"], "a") as log:
            log.write(f"end {os.getpid()}\\n")
    return slow


files.journal_in, files.swap_in = slowed(files.journal_in), slowed(files.swap_in)
sys.exit(cli.main(["build", "--now", "2026-11-24"], root=Path(sys.argv[1])))
"""


def start_build(root: Path, log: Path, delay: float) -> subprocess.Popen:
    env = {**os.environ, "MB_LOG": str(log), "MB_DELAY": str(delay), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        cwd=root,
    )


def finish(process: subprocess.Popen, kill: bool = False) -> tuple[int, str]:
    """Wait for (or kill) a build and close its pipes; returns its exit code and what it printed on stderr."""
    if kill:
        process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def without_search_index(files: dict[str, tuple[int, bytes]]) -> dict[str, bytes]:
    """Pagefind names its files by a hash that differs from run to run: compare everything else exactly."""
    return {path: data for path, (_, data) in files.items() if not path.startswith("pagefind/")}


def test_a_build_killed_while_writing_leaves_the_previous_output(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    put(root, {PAPER: paper("title: A rewritten report\n", "New text everywhere.\n")})
    before = snapshot(root / "output")
    process = start_build(root, tmp_path / "log", delay=30)
    assert process.stdout.readline().strip() == "WRITING"
    assert list(root.glob(".output.staging-*"))  # the new tree is staged, complete, but not swapped in
    assert finish(process, kill=True)[0] == -signal.SIGKILL
    assert snapshot(root / "output") == before
    result = build(root)  # the next build recovers and publishes
    assert result.ok
    assert "A rewritten report" in "".join(page(root).text)


def test_a_build_killed_at_any_moment_leaves_one_whole_output(built_site, tmp_path):
    """Killed at random moments: the output is always the old build or the new one, never a mixture."""
    root = copy_site(built_site, tmp_path / "site")
    old = snapshot(root / "output")
    put(root, {PAPER: paper("title: A rewritten report\n", "New text everywhere.\n")})
    reference = copy_site(root, tmp_path / "reference")
    assert build(reference).ok
    new = without_search_index(snapshot(reference / "output"))
    for attempt, delay in enumerate((0.05, 0.5, 1.0, 1.5)):
        process = start_build(root, tmp_path / f"log{attempt}", delay=0)
        time.sleep(delay)
        finish(process, kill=True)
        now = snapshot(root / "output")
        assert now == old or without_search_index(now) == new, f"mixed output after a kill at {delay}s"


def test_two_builds_at_once_do_not_interleave(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    put(root, {PAPER: paper("title: A rewritten report\n")})
    log = tmp_path / "log"
    first = start_build(root, log, delay=1.0)
    assert first.stdout.readline().strip() == "WRITING"
    second = start_build(root, log, delay=0)
    for process in (first, second):
        code, err = finish(process)
        assert code == 0, err
    events = log.read_text().split("\n")[:-1]
    pids = [e.split()[1] for e in events]
    assert [e.split()[0] for e in events] in (["start", "end"], ["start", "end", "start", "end"])
    assert pids[0] == pids[1] == str(first.pid)
    assert "A rewritten report" in "".join(page(root).text)


@pytest.mark.parametrize("written", ['"3"', "03", "'3'", '" 3 "'])
def test_an_exempt_paragraph_quoted_or_with_a_leading_zero_is_that_paragraph(written, make_site):
    item = f"  - number: 5\n    title: Contract award\n    access: exempt\n    exempt_paragraph: {written}\n"
    appendix = M + "04-report-appendix-1.md"
    root = make_site(
        {
            **GOOD,
            MEETING: meeting(item),
            appendix: paper(f"title: Prices\naccess: exempt\nexempt_paragraph: {written}\n"),
        }
    )
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    text = " ".join("".join(page(root, "committees/test/2021-01-11/index.html").text).split())
    assert "not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in text
    assert "Contract award" not in text and "Prices" not in text


def test_a_configuration_may_add_a_paragraph_such_as_8(make_site):
    paragraphs = ", ".join(f'"{n}" = "Paragraph {n}"' for n in range(1, 9))
    toml = f'[organisation]\nname = "Testshire"\n\n[publication]\nexempt_paragraphs = {{ {paragraphs} }}\n'
    item = "  - number: 5\n    title: Complaint\n    access: exempt\n    exempt_paragraph: 8\n"
    root = make_site({**GOOD, "site.toml": toml, MEETING: meeting(item)})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    text = " ".join("".join(page(root, "committees/test/2021-01-11/index.html").text).split())
    assert "not for publication by virtue of paragraph 8 of Part 1 of Schedule 12A" in text
    assert "Complaint" not in text
