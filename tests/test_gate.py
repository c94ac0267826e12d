"""The publication gate as a security boundary: exempt, draft and scheduled text never reaches any output byte.

A fixture site plants a distinct canary word in every field of every withheld
thing; the whole output (every file, decompressed where compressed, Pagefind
index included) is scanned for each canary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import re
import zlib
from pathlib import Path

from conftest import build

WORDING = "not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
LATER = dt.date(2026, 12, 2)  # after the embargo date below

# Every canary is lower-case ASCII ending in "qz", so no stemmer, escaper or case-folder can disguise it.
CANARIES = {
    "exempt agenda item title": "zqxitemtitleqz",
    "exempt agenda item wards": "zqxitemwardqz",
    "exempt paper title": "zqxpapertitleqz",
    "exempt paper file name": "zqxpaperfileqz",
    "exempt paper body": "zqxpaperbodyqz",
    "exempt paper heading": "zqxpaperheadingqz",
    "exempt paper table": "zqxpapertableqz",
    "exempt paper recommendation": "zqxpaperrecommendqz",
    "exempt paper footnote": "zqxpaperfootnoteqz",
    "exempt paper image alt text": "zqxpaperaltqz",
    "exempt paper image file": "zqxpaperimageqz",
    "exempt paper link text": "zqxpaperlinktextqz",
    "exempt paper wards": "zqxpaperwardqz",
    "exempt paper contact name": "zqxcontactnameqz",
    "exempt paper contact role": "zqxcontactroleqz",
    "exempt paper contact phone": "zqxcontactphoneqz",
    "exempt paper contact email": "zqxcontactemailqz",
    "exempt paper report_of": "zqxreportofqz",
    "exempt paper author": "zqxauthorqz",
    "exempt appendix title": "zqxappendixtitleqz",
    "exempt appendix label": "zqxappendixlabelqz",
    "exempt appendix body": "zqxappendixbodyqz",
    "draft paper title": "zqxdrafttitleqz",
    "draft paper file name": "zqxdraftfileqz",
    "draft paper body": "zqxdraftbodyqz",
    "draft paper report_of": "zqxdraftreportofqz",
    "draft meeting title": "zqxdraftmeetingtitleqz",
    "draft meeting venue": "zqxdraftvenueqz",
    "draft meeting agenda item": "zqxdraftagendaqz",
    "draft meeting notes": "zqxdraftnotesqz",
    "draft meeting paper title": "zqxdraftmeetingpaperqz",
    "draft meeting paper body": "zqxdraftmeetingbodyqz",
    "embargoed paper title": "zqxembargotitleqz",
    "embargoed paper file name": "zqxembargofileqz",
    "embargoed paper body": "zqxembargobodyqz",
    "embargoed minutes body": "zqxminutesbodyqz",
    "embargoed resolution text": "zqxresolutiontextqz",
    "embargoed resolution title": "zqxresolutiontitleqz",
    "draft earlier decision title": "zqxdraftrecordtitleqz",
    "draft earlier decision wording": "zqxdraftrecordbodyqz",
    "draft earlier decision record address": "zqxdraftrecordurlqz",
    "embargoed earlier decision title": "zqxembargorecordtitleqz",
    "embargoed earlier decision wording": "zqxembargorecordbodyqz",
}
SCHEDULED = (
    "zqxembargotitleqz",
    "zqxembargobodyqz",
    "zqxminutesbodyqz",
    "zqxresolutiontextqz",
    "zqxembargorecordtitleqz",
    "zqxembargorecordbodyqz",
)
PUBLIC_WORDS = ("zqxpublicbodyqz", "zqxpublicexempttitleqz", "zqxpublicdescriptionqz")

MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
  - number: 4
    title: Public report
  - number: 5
    title: Contract award zqxitemtitleqz
    wards: [zqxitemwardqz]
    access: exempt
    exempt_paragraph: 3
    public_title: Exempt item zqxpublicexempttitleqz
    public_description: Commercial terms zqxpublicdescriptionqz
  - number: 6
    title: Budget report
---
"""

PUBLIC_PAPER = """\
---
title: Public report
---
1. This public paragraph says zqxpublicbodyqz.

2. It refers to [the confidential report](paper:test/2021-01-11/05-zqxpaperfileqz),
   [a draft](paper:test/2021-01-11/04-zqxdraftfileqz), [the budget](paper:test/2021-01-11/06-zqxembargofileqz)
   and [the next meeting](meeting:2021-03-01).

3. It recalls [an old decision](resolution:2015/050) and resolution 2015/051.
"""

EXEMPT_PAPER = """\
---
title: Contract award zqxpapertitleqz
report_of: Director zqxreportofqz
author: Officer zqxauthorqz
contact:
  name: Jo zqxcontactnameqz
  role: Manager zqxcontactroleqz
  phone: 0115 zqxcontactphoneqz
  email: zqxcontactemailqz@example.org
wards: [zqxpaperwardqz]
subjects: [secret-subject]
access: exempt
exempt_paragraph: 3
---
## Heading zqxpaperheadingqz

1. The bidder's price is zqxpaperbodyqz[^1], see [zqxpaperlinktextqz](paper:test/2021-01-11/04-report).

| Bidder | Price zqxpapertableqz |
| --- | --- |
| A | 1 |

![Chart zqxpaperaltqz](zqxpaperimageqz.png)

::: recommendations
1) Award zqxpaperrecommendqz.
:::

[^1]: Footnote zqxpaperfootnoteqz.
"""

EXEMPT_APPENDIX = """\
---
title: Prices zqxappendixtitleqz
access: exempt
exempt_paragraph: 3
---
The appendix says zqxappendixbodyqz.
"""

DRAFT_PAPER = """\
---
title: Draft zqxdrafttitleqz
report_of: Director zqxdraftreportofqz
draft: true
---
Draft text zqxdraftbodyqz.
"""

DRAFT_MEETING = """\
---
title: Special meeting zqxdraftmeetingtitleqz
time: "14:00"
venue: Room zqxdraftvenueqz
draft: true
agenda:
  - number: 1
    title: Item zqxdraftagendaqz
---
Notes zqxdraftnotesqz.
"""

DRAFT_MEETING_PAPER = """\
---
title: Paper zqxdraftmeetingpaperqz
---
Body zqxdraftmeetingbodyqz.
"""

EMBARGOED_PAPER = """\
---
title: Budget zqxembargotitleqz
publish_on: 2026-12-01
---
The budget zqxembargobodyqz.
"""

EMBARGOED_MINUTES = """\
---
status: draft
publish_on: 2026-12-01
resolutions:
  "2021/001":
    title: Decision zqxresolutiontitleqz
---
## 4. Public report

Discussion zqxminutesbodyqz.

::: resolved 2021/001
That the report zqxresolutiontextqz be noted.
:::
"""

DRAFT_RECORD = """\
---
number: 2015/050
date: 2015-06-29
title: Pay award zqxdraftrecordtitleqz
record: https://www.testshire.example/zqxdraftrecordurlqz.pdf
subjects: [secret-subject]
draft: true
---
That the pay award zqxdraftrecordbodyqz be agreed, as [the budget](paper:test/2021-01-11/06-zqxembargofileqz) says.
"""

EMBARGOED_RECORD = """\
---
number: 2015/051
date: 2015-06-29
title: Land sale zqxembargorecordtitleqz
publish_on: 2026-12-01
---
That the land be sold zqxembargorecordbodyqz.
"""

FILES = {
    "content/committees/test/decisions/2015-050.md": DRAFT_RECORD,
    "content/committees/test/decisions/land-sale.md": EMBARGOED_RECORD,
    "content/subjects/secret-subject.md": "---\ntitle: A subject\n---\nA subject page.\n",
    "content/committees/test/2021-01-11/meeting.md": MEETING,
    "content/committees/test/2021-01-11/04-report.md": PUBLIC_PAPER,
    "content/committees/test/2021-01-11/04-zqxdraftfileqz.md": DRAFT_PAPER,
    "content/committees/test/2021-01-11/04-report-appendix-zqxappendixlabelqz.md": EXEMPT_APPENDIX,
    "content/committees/test/2021-01-11/05-zqxpaperfileqz.md": EXEMPT_PAPER,
    "content/committees/test/2021-01-11/06-zqxembargofileqz.md": EMBARGOED_PAPER,
    "content/committees/test/2021-01-11/minutes.md": EMBARGOED_MINUTES,
    "content/committees/test/2021-03-01/meeting.md": DRAFT_MEETING,
    "content/committees/test/2021-03-01/01-zqxdraftmeetingpaperqz.md": DRAFT_MEETING_PAPER,
}


def output_bytes(output: Path) -> dict[str, bytes]:
    """Every output file as the bytes a reader (or a search client) would see: decompressed where compressed."""
    files = {}
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        files[path.relative_to(output).as_posix()] = readable(path.read_bytes())
    return files


def readable(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif data[:1] == b"\x78":
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
    return data.removeprefix(b"pagefind_dcd")


def hits(files: dict[str, bytes], word: str) -> list[str]:
    needle = word.encode()
    return [name for name, data in files.items() if needle in data.lower() or needle in name.lower().encode()]


def test_readable_handles_pagefind_compression():
    """Pagefind files are gzip whose content starts with 'pagefind_dcd'; both forms are scanned."""
    assert readable(gzip.compress(b"pagefind_dcdzqxwordqz")) == b"zqxwordqz"
    assert readable(gzip.compress(b"plain zqxwordqz")) == b"plain zqxwordqz"
    assert readable(b"<p>zqxwordqz</p>") == b"<p>zqxwordqz</p>"


def test_no_withheld_word_reaches_any_output_byte(make_site):
    root = make_site(FILES)
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    files = output_bytes(root / "output")
    assert len(files) > 10
    leaks = {field: hits(files, word) for field, word in CANARIES.items() if hits(files, word)}
    assert leaks == {}
    for word in PUBLIC_WORDS:  # the scan can fail: public words are found
        assert hits(files, word), word
    search_index = {name: data for name, data in files.items() if name.startswith("pagefind/")}
    if search_index:  # the compressed search index is really read: the public paper's words are in it
        assert hits(search_index, "zqxpublicbodyqz")


def test_exempt_items_are_visible_by_existence(make_site):
    root = make_site(FILES)
    assert build(root).ok
    meeting = (root / "output/committees/test/2021-01-11/index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", meeting))
    assert "Exempt item zqxpublicexempttitleqz" in text
    assert WORDING in text
    assert "Commercial terms zqxpublicdescriptionqz" in text
    assert "Exempt appendix" in text  # the appendix is listed under the public report, unlinked
    pack = (root / "output/committees/test/2021-01-11/pack/index.html").read_text(encoding="utf-8")
    assert WORDING in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pack))


def test_withheld_papers_have_no_page_and_no_link(make_site):
    root = make_site(FILES)
    assert build(root).ok
    out = root / "output"
    assert not (out / "committees/test/2021-03-01").exists()
    paper = (out / "committees/test/2021-01-11/04-report/index.html").read_text(encoding="utf-8")
    for text in ("a draft", "the budget", "the next meeting"):
        assert re.search(rf"<a [^>]*>{text}</a>", paper) is None, text
        assert text in paper  # the words stay, as text
    # a link to exempt material shows only its public title, unlinked
    assert "the confidential report" not in paper
    assert '<span class="withheld">Exempt report (exempt)</span>' in paper
    subject = (out / "subjects/secret-subject/index.html").read_text(encoding="utf-8")
    assert "Exempt" not in subject


def test_scheduled_paper_and_minutes_appear_once_their_date_comes(make_site):
    root = make_site(FILES)
    assert build(root).ok
    before = output_bytes(root / "output")
    assert all(not hits(before, word) for word in SCHEDULED)
    result = build(root, LATER)
    assert result.ok
    after = output_bytes(root / "output")
    for word in SCHEDULED:
        assert hits(after, word), word
    assert "committees/test/2021-01-11/06-zqxembargofileqz/index.html" in after
    assert "committees/test/2021-01-11/minutes/index.html" in after
    still_withheld = set(CANARIES.values()) - set(SCHEDULED) - {"zqxembargofileqz", "zqxresolutiontitleqz"}
    assert {w for w in still_withheld if hits(after, w)} == set()


def test_the_command_line_now_option_publishes_scheduled_papers(make_site):
    from minutebook.shell import cli

    root = make_site(FILES)
    assert cli.main(["build", "--now", "2026-11-24"], root=root) == 0
    assert not hits(output_bytes(root / "output"), "zqxembargobodyqz")
    assert cli.main(["build", "--now", LATER.isoformat()], root=root) == 0
    assert hits(output_bytes(root / "output"), "zqxembargobodyqz")


def test_misspelt_exempt_is_an_error_and_nothing_is_written(make_site):
    typo = EXEMPT_PAPER.replace("access: exempt\n", "exmept: true\n")
    root = make_site({**FILES, "content/committees/test/2021-01-11/05-zqxpaperfileqz.md": typo})
    result = build(root)
    assert not result.ok
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert errors == [
        "content/committees/test/2021-01-11/05-zqxpaperfileqz.md:12: "
        "unknown key 'exmept' in a paper (did you mean \"access: exempt\"?)",
        "content/committees/test/2021-01-11/05-zqxpaperfileqz.md:13: "
        "'exempt_paragraph' is only for exempt items; add 'access: exempt' or remove it",
    ]
    assert not (root / "output").exists()


def test_every_canary_is_really_planted(make_site):
    """The clerk's preview shows everything: every canary is found there, so the public scan is meaningful."""
    root = make_site(FILES)
    assert build(root, preview=True).ok
    files = output_bytes(root / "output")
    missing = {field for field, word in CANARIES.items() if not hits(files, word)}
    assert missing == set()


# --- withholding flows down: item → paper → appendix ------------------------------------------

INHERITING_MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 4
    title: Public report
  - number: 5
    title: Another item
  - number: 10
    title: Land sale zqxinherititemqz
    access: exempt
    exempt_paragraph: 3
  - number: 11
    title: Next year's budget zqxdraftitemqz
    draft: true
---
"""

UNMARKED_PAPER = """\
---
title: Land sale to zqxinheritpapertitleqz
author: Officer zqxinheritauthorqz
wards: [zqxinheritwardqz]
subjects: [secret-subject]
---
1. The price agreed is zqxinheritbodyqz.

::: recommendations
1) Sell zqxinheritrecommendqz.
:::
"""

UNMARKED_APPENDIX = """\
---
title: Valuation zqxinheritappendixtitleqz
---
The valuation says zqxinheritappendixbodyqz.
"""

INHERITED = {
    "zqxinherititemqz",
    "zqxinheritpapertitleqz",
    "zqxinheritauthorqz",
    "zqxinheritwardqz",
    "zqxinheritbodyqz",
    "zqxinheritrecommendqz",
    "zqxinheritappendixtitleqz",
    "zqxinheritappendixbodyqz",
    "zqxinheritfileqz",
    "zqxdraftitemqz",
    "zqxdraftitempaperqz",
    "zqxexemptreportappendixqz",
}

INHERITING_FILES = {
    "content/subjects/secret-subject.md": "---\ntitle: A subject\n---\nA subject page.\n",
    "content/committees/test/2021-01-11/meeting.md": INHERITING_MEETING,
    "content/committees/test/2021-01-11/04-report.md": "---\ntitle: Public report\n---\n1. Public zqxpublicbodyqz.\n",
    "content/committees/test/2021-01-11/10-zqxinheritfileqz.md": UNMARKED_PAPER,
    "content/committees/test/2021-01-11/10-zqxinheritfileqz-appendix-1.md": UNMARKED_APPENDIX,
    "content/committees/test/2021-01-11/11-zqxdraftitempaperqz.md": "---\ntitle: Budget\n---\nBody.\n",
    "content/committees/test/2021-01-11/05-exempt-report.md": (
        "---\ntitle: Exempt\naccess: exempt\nexempt_paragraph: 1\n---\nSecret.\n"
    ),
    "content/committees/test/2021-01-11/05-exempt-report-appendix-1.md": (
        "---\ntitle: Appendix zqxexemptreportappendixqz\n---\nIts appendix.\n"
    ),
}


def test_exemption_of_an_item_flows_down_to_its_papers_and_appendices(make_site):
    root = make_site(INHERITING_FILES)
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    found = output_bytes(root / "output")
    assert {word for word in INHERITED if hits(found, word)} == set()
    assert hits(found, "zqxpublicbodyqz")  # the scan can find words
    meeting = (root / "output/committees/test/2021-01-11/index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", meeting))
    assert "Exempt item" in text and "Exempt report" in text and "Exempt appendix" in text
    assert WORDING in text
    assert "Another item" in text and "Next year" not in text  # the draft item is not on the public agenda


def test_the_preview_marks_inherited_exemption(make_site):
    root = make_site(INHERITING_FILES)
    assert build(root, preview=True).ok
    paper = (root / "output/committees/test/2021-01-11/10-zqxinheritfileqz/index.html").read_text(encoding="utf-8")
    assert "Exempt — not for publication" in paper
    appendix = root / "output/committees/test/2021-01-11/10-zqxinheritfileqz-appendix-1/index.html"
    assert "Exempt — not for publication" in appendix.read_text(encoding="utf-8")
    assert hits(output_bytes(root / "output"), "zqxdraftitemqz")  # the preview shows the draft item


def test_a_public_paper_under_an_exempt_item_is_an_error(make_site):
    marked = UNMARKED_PAPER.replace("subjects: [secret-subject]\n", "subjects: [secret-subject]\naccess: public\n")
    root = make_site({**INHERITING_FILES, "content/committees/test/2021-01-11/10-zqxinheritfileqz.md": marked})
    result = build(root)
    assert not result.ok
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        "content/committees/test/2021-01-11/10-zqxinheritfileqz.md:6: says 'access: public', but agenda item 10 "
        "is exempt, and everything filed under an exempt item or paper is withheld with it; remove "
        "'access: public' (or make agenda item 10 public and mark only what is exempt)"
    ]
    assert not (root / "output").exists()


def test_minutes_of_a_draft_item_are_an_error(make_site):
    minutes = "---\nstatus: draft\n---\n## 11. Budget\n\nDiscussed.\n"
    root = make_site({**INHERITING_FILES, "content/committees/test/2021-01-11/minutes.md": minutes})
    result = build(root)
    assert [str(d) for d in result.diagnostics if d.severity == "error"] == [
        "content/committees/test/2021-01-11/minutes.md:4: minute '11. Budget' is for agenda item 11, which is a "
        "draft (draft: true in meeting.md); publish the item or move the minute out"
    ]


def test_no_public_address_names_a_withheld_file(make_site):
    root = make_site(INHERITING_FILES)
    assert build(root).ok
    names = [p.relative_to(root / "output").as_posix() for p in (root / "output").rglob("*")]
    assert [n for n in names if "zqx" in n or "exempt-report" in n] == []
    for name in ("sitemap.xml", "data/papers.json", "feeds/all.atom", "committees/test/2021-01-11/pack/index.html"):
        data = (root / "output" / name).read_text(encoding="utf-8")
        assert "zqxinheritfileqz" not in data and "exempt-report" not in data, name
