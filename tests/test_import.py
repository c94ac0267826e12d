"""`build.py import`: Word reports, made here with python-docx, become draft papers that build and read right."""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from conftest import TODAY, command, preview
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from minutebook.shell import commands

MEETING = "content/committees/test/2021-01-11"
W = nsdecls("w")
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "tr", "div", "section", "br", "dd", "dt", "caption"}


# --- Word documents, made the way Word makes them ------------------------------------------


def png(width: int = 2, height: int = 2) -> bytes:
    """A tiny real PNG, so the test suite carries no binary files."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@dataclass
class Word:
    """A .docx made with python-docx: real numbering definitions, footnotes, tracked changes, images."""

    document: docx.document.Document = field(default_factory=docx.Document)
    footnotes: list[str] = field(default_factory=list)
    lists: int = 0

    def numbering(self, *levels: tuple[str, str], start: int = 1) -> str:
        """A Word list (an abstract numbering definition and one instance of it): (format, text) per level."""
        numbering = self.document.part.numbering_part.element
        self.lists += 1
        abstract_id = str(900 + self.lists)
        lvls = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (level + 1)}" w:hanging="720"/></w:pPr></w:lvl>'
            for level, (fmt, text) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
        )
        numbering.insert(0, abstract)  # abstract definitions come before the instances
        return self.instance(abstract_id)

    def instance(self, abstract_id: str, restart_at: int | None = None) -> str:
        """Another instance of a list: it continues the list, or restarts it ("Restart numbering")."""
        numbering = self.document.part.numbering_part.element
        num_id = str(900 + len(numbering.xpath("./w:num")) + 1)
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
            if restart_at is not None
            else ""
        )
        numbering.append(
            parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>')
        )
        return num_id

    def abstract_of(self, num_id: str) -> str:
        numbering = self.document.part.numbering_part.element
        return numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]

    def heading(self, text: str, level: int = 1) -> Paragraph:
        return self.document.add_heading(text, level)

    def para(self, text: str = "", num: str | None = None, level: int = 0, bold: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if text:
            paragraph.add_run(text).bold = bold or None
        if num is not None:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>')
            )
        return paragraph

    def footnote(self, paragraph: Paragraph, text: str) -> None:
        """A footnote reference at the end of the paragraph (python-docx has no footnote API: XML by hand)."""
        self.footnotes.append(text)
        paragraph._p.append(
            parse_xml(
                f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{len(self.footnotes)}"/></w:r>'
            )
        )

    def tracked(self, paragraph: Paragraph, inserted: str = "", deleted: str = "") -> None:
        """Unaccepted tracked changes, as Word records them."""
        stamp = 'w:author="Jo Bloggs" w:date="2021-01-04T10:00:00Z"'
        if deleted:
            paragraph._p.append(
                parse_xml(
                    f'<w:del {W} w:id="71" {stamp}><w:r><w:delText xml:space="preserve">{deleted}</w:delText>'
                    "</w:r></w:del>"
                )
            )
        if inserted:
            paragraph._p.append(
                parse_xml(f'<w:ins {W} w:id="72" {stamp}><w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>')
            )

    def image(self, path: Path, alt: str | None) -> None:
        path.write_bytes(png())
        self.document.add_picture(str(path))
        inline = self.document.inline_shapes[-1]._inline
        if alt is not None:
            inline.docPr.set("descr", alt)

    def table(self, rows: list[list[str]]) -> docx.table.Table:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for cells, row in zip(rows, table.rows, strict=True):
            for text, cell in zip(cells, row.cells, strict=True):
                cell.text = text
        return table

    def save(self, path: Path) -> Path:
        if self.footnotes:
            notes = "".join(
                f'<w:footnote w:id="{n}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
                for n, text in enumerate(self.footnotes, start=1)
            )
            blob = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                f"</w:r></w:p></w:footnote>{notes}</w:footnotes>"
            ).encode()
            part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, self.document.part.package)
            self.document.part.relate_to(part, RT.FOOTNOTES)
        self.document.save(str(path))
        return path


# --- running the command and reading what it made -------------------------------------------


@dataclass
class Imported:
    code: int
    out: str
    err: str
    site: Path

    def notices(self) -> list[tuple[str, int, str]]:
        """The `path:line: message` lines the command printed."""
        found = re.findall(r"^(content/[^:\n]+\.md):(\d+): (.+)$", self.err, re.MULTILINE)
        return [(path, int(line), message) for path, line, message in found]

    def line(self, path: str, number: int) -> str:
        return (self.site / path).read_text(encoding="utf-8").split("\n")[number - 1]

    def notice(self, words: str) -> tuple[str, int, str]:
        hits = [n for n in self.notices() if words in n[2]]
        assert len(hits) == 1, (words, self.err)
        return hits[0]


def run_import(site: Path, capsys, *args: str) -> Imported:
    return Imported(*command(site, capsys, "import", *args), site)


def import_report(site: Path, capsys, word: Word, *extra: str, name: str = "report.docx") -> Imported:
    """Import one report as agenda item 4 (or as `extra` says) of the test committee's meeting."""
    source = word.save(site / name)
    extra = extra or ("--item", "4")
    return run_import(site, capsys, str(source), "--committee", "test", "--date", "2021-01-11", *extra)


class Page(HTMLParser):
    """A built page: its elements with their attributes, and the text of its main content."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.main: list[str] = []
        self.depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self.depth += tag == "main"
        self._gap(tag)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "main"
        self._gap(tag)

    def _gap(self, tag: str) -> None:
        """Blocks are apart in the text as they are on the screen; inline elements are not."""
        if tag in BLOCK_TAGS:
            self.main.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.main.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def text(self) -> str:
        return " ".join("".join(self.main).split())


def page_of(out: Path, stem: str) -> Page:
    return Page((out / "committees/test/2021-01-11" / stem / "index.html").read_text(encoding="utf-8"))


def paper_path(result: Imported) -> str:
    created = re.findall(r"^created (\S+\.md)$", result.out, re.MULTILINE)
    assert len(created) == 1, result.out + result.err
    return created[0]


def content_files(site: Path) -> set[Path]:
    return {p for p in (site / "content").rglob("*") if p.is_file()}


# --- numbering ------------------------------------------------------------------------------


def multilevel(word: Word) -> str:
    """Paragraphs 1., 1.1 and lettered points a), as a council report's template numbers them."""
    return word.numbering(("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "%3)"))


def test_word_numbering_becomes_the_printed_numbers_each_with_its_anchor(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Library opening hours", 0)
    numbers = multilevel(word)
    word.heading("Purpose of the Report", 1)
    word.para("The purpose of this report is to agree opening hours.", numbers)
    word.heading("Information", 1)
    word.para("Three options were looked at:", numbers)
    word.para("opening later", numbers, level=2)
    word.para("closing earlier", numbers, level=2)
    word.para("The first option costs least.", numbers, level=1)
    word.para("The second option is described in paragraph 2.1.", numbers, level=1)
    word.heading("Other Options Considered", 1)
    word.para("No other options were considered.", numbers)
    word.para("Sunday opening was ruled out.", numbers, level=1)
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    assert path == f"{MEETING}/04-library-opening-hours.md"
    body = (site / path).read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.split("\n") == [
        "## Purpose of the Report",
        "",
        "1. The purpose of this report is to agree opening hours.",
        "",
        "## Information",
        "",
        "2. Three options were looked at:",
        "   - a) opening later",
        "   - b) closing earlier",
        "",
        "2.1 The first option costs least.",
        "",
        "2.2 The second option is described in paragraph 2.1.",
        "",
        "## Other Options Considered",
        "",
        "3. No other options were considered.",
        "",
        "3.1 Sunday opening was ruled out.",
        "",
    ]
    page = page_of(preview(site), "04-library-opening-hours")
    ids = {a["id"] for _, a in page.elements if "id" in a}
    assert {"para-1", "para-2", "para-2.1", "para-2.2", "para-3", "para-3.1"} <= ids
    assert page.find("a", href="#para-2.1"), "the mention 'paragraph 2.1' links to its paragraph"
    assert not result.notices(), result.err


def test_restarted_and_continued_lists_number_as_word_prints_them(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Fees and charges", 0)
    numbers = multilevel(word)
    word.para("First paragraph.", numbers)
    word.para("Its first detail.", numbers, level=1)
    word.para("Its second detail.", numbers, level=1)
    word.para("Second paragraph.", numbers)
    word.para("A detail that restarts under the new paragraph.", numbers, level=1)
    steps = word.numbering(("decimal", "%1)"))
    word.para("first step", steps)
    word.para("second step", steps)
    word.para(
        "Third paragraph, numbered by another instance of the same list.", word.instance(word.abstract_of(numbers))
    )
    again = word.instance(word.abstract_of(steps), restart_at=1)
    word.para("first step again", again)
    word.para("Fourth paragraph.", numbers)
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    text = (site / paper_path(result)).read_text(encoding="utf-8")
    assert re.findall(r"^( *(?:\d+(?:\.\d+)*[.)]?)) ", text, re.MULTILINE) == [
        "1.", "1.1", "1.2", "2.", "2.1", "1)", "2)", "3.", "   1)", "4.",
    ]  # fmt: skip
    assert "2.1 A detail that restarts under the new paragraph." in text
    assert "   1) first step again" in text
    preview(site)


def test_a_paragraph_number_that_skips_is_reported_at_its_line(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Parking review", 0)
    numbers = multilevel(word)
    word.para("First.", numbers)
    word.para("Second.", numbers)
    word.para("Fifth, after a restart at 5.", word.instance(word.abstract_of(numbers), restart_at=5))
    result = import_report(site, capsys, word)
    path, line, _ = result.notice("paragraph 5 follows paragraph 2")
    assert result.line(path, line) == "5. Fifth, after a restart at 5."


# --- recommendations, tables, footnotes, images ---------------------------------------------


def test_the_recommendations_section_becomes_a_recommendations_block(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Care home fees", 0)
    numbers = multilevel(word)
    word.para("This report proposes new fees.", numbers)
    word.heading("Recommendation(s)", 1)
    word.para("That Committee:")
    points = word.numbering(("decimal", "%1)"), ("lowerLetter", "%2)"))
    word.para("approves the fees", points)
    word.para("for residential care", points, level=1)
    word.para("for nursing care", points, level=1)
    word.para("asks for a report in June.", points)
    word.heading("Background Papers", 1)
    word.para("None")
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    text = (site / paper_path(result)).read_text(encoding="utf-8")
    assert (
        "::: recommendations\n\nThat Committee:\n\n1) approves the fees\n   - a) for residential care\n"
        "   - b) for nursing care\n2) asks for a report in June.\n\n:::\n\n## Background Papers\n\n- None\n"
    ) in text
    html = (preview(site) / "committees/test/2021-01-11/04-care-home-fees/index.html").read_text(encoding="utf-8")
    start = html.index('<section class="recommendations"')
    section = html[start : html.index("</section>", start)]
    items = re.findall(r"<li[^>]*>(.*?)(?:<ul|</li>)", section, re.DOTALL)
    assert [re.sub(r"<[^>]+>|\s+", " ", i).strip() for i in items] == [
        "approves the fees",
        "a) for residential care",
        "b) for nursing care",
        "asks for a report in June.",
    ]


def test_a_table_with_merged_cells_is_a_pipe_table_and_is_reported(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Budget monitoring", 0)
    word.para("Spending against budget is shown below:")
    table = word.table([["Service", "Budget", "Spent"], ["Libraries", "£1.2m", "£1.1m"], ["Parks", "£0.4m", "£0.5m"]])
    table.cell(2, 1).merge(table.cell(2, 2))
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    text = (site / path).read_text(encoding="utf-8")
    assert "| Service | Budget | Spent |\n| --- | --- | --- |\n| Libraries | £1.2m | £1.1m |\n" in text
    _, line, _ = result.notice("merged cells")
    assert result.line(path, line).startswith("| Parks |"), "the note points at the row with the merged cell"
    page = page_of(preview(site), "04-budget-monitoring")
    assert [a.get("scope") for a in page.find("th")] == ["col", "col", "col"]
    assert "Libraries £1.2m £1.1m" in page.text


def test_footnotes_bold_italic_and_links_come_through(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Air quality", 0)
    paragraph = word.para("Levels of ")
    paragraph.add_run("nitrogen dioxide").bold = True
    paragraph.add_run(" fell ")
    paragraph.add_run("sharply").italic = True
    paragraph.add_run(" in 2020 (a * marks estimates).")
    word.footnote(paragraph, "Figures from the national monitoring network.")
    word.document.add_paragraph("See the council website.")
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    text = (site / paper_path(result)).read_text(encoding="utf-8")
    assert "Levels of **nitrogen dioxide** fell *sharply* in 2020 (a \\* marks estimates).[^1]" in text
    assert text.rstrip().endswith("[^1]: Figures from the national monitoring network.")
    page = page_of(preview(site), "04-air-quality")
    assert page.find("sup", **{"class": "footnote-ref"})
    assert page.find("section", **{"class": "footnotes"})
    assert "Figures from the national monitoring network." in page.text
    assert "a * marks estimates" in page.text


def test_images_are_written_next_to_the_paper_with_their_alt_text(make_site, capsys, tmp_path):
    site = make_site({})
    word = Word()
    word.heading("Road safety", 0)
    word.para("Collisions have fallen:")
    word.image(tmp_path / "chart.png", "Bar chart of collisions falling from 120 in 2018 to 80 in 2020")
    word.image(tmp_path / "logo.png", None)
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    folder = site / MEETING
    assert (folder / "04-road-safety-image-1.png").read_bytes() == png()
    assert (folder / "04-road-safety-image-2.png").read_bytes() == png()
    assert f"created {MEETING}/04-road-safety-image-2.png" in result.out
    _, line, _ = result.notice("has no alt text")
    assert result.line(path, line) == "![](04-road-safety-image-2.png)"
    out = preview(site)
    page = page_of(out, "04-road-safety")
    alts = [a.get("alt") for a in page.find("img") if "image-" in a.get("src", "")]
    assert alts == ["Bar chart of collisions falling from 120 in 2018 to 80 in 2020", ""]


# --- what Word holds that a paper must not ---------------------------------------------------


def test_tracked_changes_keep_insertions_leave_out_deletions_and_are_reported(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Waste strategy", 0)
    numbers = multilevel(word)
    word.para("The strategy runs to 2030.", numbers)
    paragraph = word.para("The council will recycle", numbers)
    word.tracked(paragraph, inserted=" 65% of household waste", deleted=" half of all waste")
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    text = (site / path).read_text(encoding="utf-8")
    assert "2. The council will recycle 65% of household waste" in text
    assert "half of all waste" not in text
    for words in ("insertion '65% of household waste' by Jo Bloggs is kept", "deletion 'half of all waste'"):
        _, line, _ = result.notice(words)
        assert result.line(path, line).startswith("2. The council will recycle")
    page = page_of(preview(site), "04-waste-strategy")
    assert "65% of household waste" in page.text and "half of all waste" not in page.text


def test_comments_headers_footers_and_page_numbers_never_reach_the_paper(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Highways maintenance", 0)
    section = word.document.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL SENSITIVE HEADER"
    section.footer.paragraphs[0].text = "Page 1 of 3 FOOTER"
    paragraph = word.para("Potholes are repaired within 28 days.")
    word.document.add_comment(paragraph.runs[0], text="Is 28 right? Check with Sam", author="Ann Editor")
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    text = (site / path).read_text(encoding="utf-8")
    for furniture in ("HEADER", "FOOTER", "Page 1 of 3", "Check with Sam"):
        assert furniture not in text
    _, line, message = result.notice("Word comment left out")
    assert "Ann Editor: Is 28 right? Check with Sam" in message
    assert result.line(path, line) == "Potholes are repaired within 28 days."


def test_headings_that_look_wrong_are_reported(make_site, capsys):
    site = make_site({})
    word = Word()
    word.heading("Youth services", 0)
    word.para("Financial Implications", bold=True)
    word.para("The cost is met from existing budgets.")
    word.heading(
        "This heading is really a paragraph that somebody styled as a heading in Word, which happens often enough.", 1
    )
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    path = paper_path(result)
    _, line, _ = result.notice("bold paragraph 'Financial Implications' looks like a heading")
    assert result.line(path, line) == "## Financial Implications"
    _, line, _ = result.notice("is a heading in Word but reads as a paragraph")
    assert result.line(path, line).startswith("This heading is really a paragraph")
    page = page_of(preview(site), "04-youth-services")
    assert any(t == "h2" for t, _ in page.elements)


# --- a whole report --------------------------------------------------------------------------


def realistic_report(word: Word) -> None:
    """A report as a county council's template lays it out: cover table, numbered sections, table, recommendations."""
    word.table(
        [
            ["Report of", "Corporate Director, Adult Social Care and Health"],
            ["Author", "Melanie Brooks"],
            [
                "Contact officer",
                "Jennifer Allen\nStrategic Development Manager\nT: 0115 977 2052\nE: jennifer.allen@example.gov.uk",
            ],
            ["Key decision", "No"],
            ["Wards affected", "Arnold North, Calverton"],
            ["Budget code", "ASC-2021-17"],
        ]
    )
    word.heading("Day services for younger adults", 0)
    numbers = multilevel(word)
    word.heading("Purpose of the Report", 1)
    word.para("The purpose of this report is to seek approval to reopen two day centres.", numbers)
    word.heading("Information", 1)
    word.para("Day centres closed in March 2020 because of the pandemic.", numbers)
    word.para("Since then the department has:", numbers)
    word.para("kept in touch with every family weekly", numbers, level=2)
    word.para("offered activities online", numbers, level=2)
    word.para("Attendance before closure is shown below:", numbers)
    word.table([["Centre", "Places", "Attendance"], ["Arnold", "40", "36"], ["Calverton", "25", "19"]])
    word.para("Both centres can reopen safely as explained in paragraph 3.", numbers)
    word.heading("Other Options Considered", 1)
    word.para("Keeping the centres closed was considered and rejected.", numbers)
    word.heading("Recommendations", 1)
    word.para("That Committee:")
    points = word.numbering(("decimal", "%1)"), ("lowerLetter", "%2)"))
    word.para("approves the reopening of both day centres from 1 April 2021", points)
    word.para("asks for a report on attendance in October 2021.", points)
    word.heading("Background Papers and Published Documents", 1)
    word.para("Except for previously published documents, the documents listed here will be available for inspection.")
    word.para("Day services review: report to Adult Social Care Committee, 12 October 2020")
    word.para("For any enquiries about this report please contact: Jennifer Allen, Strategic Development Manager.")


def document_text(path: Path) -> list[str]:
    """Every paragraph and cell of a report's body, in order, after its cover table."""
    document = docx.Document(str(path))
    texts: list[str] = []
    for block in list(document.iter_inner_content())[1:]:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts += [cell.text for row in block.rows for cell in row.cells]
    return [" ".join(t.split()) for t in texts if t.strip()]


def test_a_realistic_report_round_trips_to_a_page_with_the_documents_text(make_site, capsys):
    site = make_site({})
    word = Word()
    realistic_report(word)
    result = import_report(site, capsys, word, name="Day services.docx")
    assert result.code == 0, result.err
    path = paper_path(result)
    assert path == f"{MEETING}/04-day-services-for-younger-adults.md"
    text = (site / path).read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        'title: "Day services for younger adults"\n'
        "# 'draft: true' keeps this paper off the public site; the preview (python build.py serve) shows it\n"
        '# marked "Draft — not published". Delete the line when it is ready to publish.\n'
        "draft: true\n"
        'report_of: "Corporate Director, Adult Social Care and Health"\n'
        'author: "Melanie Brooks"\n'
        "contact:\n"
        '  name: "Jennifer Allen"\n'
        '  role: "Strategic Development Manager"\n'
        '  phone: "0115 977 2052"\n'
        '  email: "jennifer.allen@example.gov.uk"\n'
        "key_decision: false\n"
        'wards: ["Arnold North", "Calverton"]\n'
        "# From the cover of Day services.docx, not paper settings (kept for you to check):\n"
        "# Budget code: ASC-2021-17\n"
        "---\n"
    )
    _, line, _ = result.notice("cover row 'Budget code'")
    assert result.line(path, line) == "# Budget code: ASC-2021-17"
    assert len(result.notices()) == 1, result.err
    assert not [d for d in commands.check(site, TODAY) if path in d.path], "the paper checks clean"
    page = page_of(preview(site), "04-day-services-for-younger-adults")
    position = 0
    for words in document_text(site / "Day services.docx"):
        found = page.text.find(words, position)
        assert found >= 0, f"{words!r} is missing or out of order on the page"
        position = found + len(words)
    for fact in ("Corporate Director, Adult Social Care and Health", "Melanie Brooks", "jennifer.allen@example.gov.uk"):
        assert fact in page.text
    assert page.find("a", href="#para-3")
    assert len(page.find("section", **{"class": "recommendations"})) == 1
    assert "- Day services review: report to Adult Social Care Committee, 12 October 2020\n" in text
    assert "\n\nFor any enquiries about this report please contact: Jennifer Allen" in text


def test_a_cover_block_of_lines_becomes_settings_and_an_exemption_is_kept(make_site, capsys):
    site = make_site({})
    word = Word()
    word.para("Report of the Service Director, Place")
    word.para("Author: Sam Patel")
    word.para("Key decision: Yes")
    word.para("Exempt information: Yes, paragraph 3")
    word.heading("Sale of land at Mill Lane", 0)
    word.para("The council owns land at Mill Lane.")
    result = import_report(site, capsys, word)
    assert result.code == 0, result.err
    text = (site / paper_path(result)).read_text(encoding="utf-8")
    for line in (
        'report_of: "Service Director, Place"',
        'author: "Sam Patel"',
        "key_decision: true",
        'access: "exempt"',
        "exempt_paragraph: 3",
    ):
        assert f"\n{line}\n" in text
    assert "Author" not in text.split("---\n", 2)[2], "the lines are not repeated in the body"
    preview(site)


# --- the command line ------------------------------------------------------------------------


def simple_report(title: str = "Budget update") -> Word:
    word = Word()
    word.heading(title, 0)
    word.para("The budget is balanced.")
    return word


def bad_zip(site: Path) -> Path:
    path = site / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path


def spreadsheet(site: Path) -> Path:
    import zipfile

    path = site / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.mark.parametrize(
    ("make", "args", "expected"),
    [
        (lambda s: s / "missing.docx", (), "missing.docx: no such file"),
        (lambda s: (s / "notes.txt", (s / "notes.txt").write_text("hi"))[0], (), "not a Word .docx document"),
        (lambda s: (s / "old.doc", (s / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0"))[0], (), "save it as a .docx"),
        (bad_zip, (), "not a readable .docx document"),
        (spreadsheet, (), "not a readable .docx document"),
        (lambda s: simple_report().save(s / "r.docx"), ("--committee", "nope"), "no committee 'nope'"),
        (lambda s: simple_report().save(s / "r.docx"), ("--date", "2021-02-30"), "is not a real date"),
        (lambda s: simple_report().save(s / "r.docx"), ("--date", "2021-03-01"), "no meeting of 'test' on 2021-03-01"),
        (lambda s: simple_report().save(s / "r.docx"), ("--item", "four"), "--item expects an agenda item number"),
        (lambda s: simple_report().save(s / "r.docx"), ("--appendix", "1"), "item 4 has no report"),
    ],
)
def test_bad_input_is_a_one_line_error_and_nothing_is_written(make_site, capsys, make, args, expected):
    site = make_site({})
    source = make(site)
    before = content_files(site)
    options = {"--committee": "test", "--date": "2021-01-11", "--item": "4"}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = run_import(site, capsys, str(source), *[x for pair in options.items() for x in pair])
    assert result.code != 0
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("error: "), result.err
    assert expected in result.err
    assert "Traceback" not in result.err
    assert content_files(site) == before


def test_nothing_is_ever_overwritten(make_site, capsys, tmp_path):
    site = make_site({})
    word = simple_report()
    word.image(tmp_path / "i.png", "A photo of the county hall")
    first = import_report(site, capsys, word)
    assert first.code == 0, first.err
    written = {p: p.read_bytes() for p in content_files(site)}
    again = import_report(site, capsys, word)
    assert again.code == 1
    assert "04-budget-update.md already exists; nothing was written" in again.err
    (site / MEETING / "04-budget-update.md").unlink()
    image_only = import_report(site, capsys, word)
    assert image_only.code == 1 and "04-budget-update-image-1.png already exists" in image_only.err
    assert not (site / MEETING / "04-budget-update.md").exists(), "the paper is not written without its image"
    assert {p: p.read_bytes() for p in content_files(site)} == {
        p: b for p, b in written.items() if p.name != "04-budget-update.md"
    }


def test_dry_run_prints_the_markdown_and_writes_nothing(make_site, capsys, tmp_path):
    site = make_site({})
    word = simple_report()
    word.image(tmp_path / "i.png", None)
    before = content_files(site)
    result = import_report(site, capsys, word, "--item", "4", "--dry-run")
    assert result.code == 0, result.err
    assert result.out.startswith('---\ntitle: "Budget update"\n')
    assert "The budget is balanced." in result.out
    assert f"{MEETING}/04-budget-update.md:" in result.err and "has no alt text" in result.err
    assert f"would also write {MEETING}/04-budget-update-image-1.png" in result.err
    assert content_files(site) == before


def test_a_long_title_makes_a_file_name_that_ends_on_a_whole_word(make_site, capsys):
    site = make_site({})
    title = "Adult Social Care and Public Health Department's Digital Strategy for 2021-2024"
    result = import_report(site, capsys, simple_report(title))
    assert result.code == 0, result.err
    assert paper_path(result) == f"{MEETING}/04-adult-social-care-and-public-health-departments.md"


def test_an_appendix_is_named_after_the_items_one_report(make_site, capsys):
    site = make_site({})
    assert import_report(site, capsys, simple_report()).code == 0
    appendix = Word()
    appendix.heading("Savings by service", 0)
    appendix.table([["Service", "Saving"], ["Libraries", "£20,000"]])
    result = import_report(site, capsys, appendix, "--item", "4", "--appendix", "A", name="app.docx")
    assert result.code == 0, result.err
    assert paper_path(result) == f"{MEETING}/04-budget-update-appendix-a.md"
    assert 'title: "Savings by service"' in (site / paper_path(result)).read_text(encoding="utf-8")
    preview(site)
    (site / MEETING / "04-budget-other.md").write_text("---\ntitle: Other\n---\n", encoding="utf-8")
    two = import_report(site, capsys, appendix, "--item", "4", "--appendix", "2", name="app2.docx")
    assert two.code == 1
    assert "item 4 has 2 reports" in two.err and "04-budget-other.md, 04-budget-update.md" in two.err


def test_a_folder_of_reports_is_mapped_to_items_by_file_name_or_cover(make_site, capsys):
    meeting = (
        '---\ntime: "10:30"\nstatus: held\nagenda:\n  - number: 4\n    title: Budget update\n'
        "  - number: 5\n    title: Fees\n  - number: 6\n    title: Parks\n---\n"
    )
    site = make_site({f"{MEETING}/meeting.md": meeting})
    folder = site / "papers"
    folder.mkdir()
    simple_report("Budget update").save(folder / "04 Budget.docx")
    appendix = simple_report("Savings by service")
    appendix.save(folder / "04 Appendix 1 Savings.docx")
    covered = Word()
    covered.table([["Agenda item", "5"], ["Report of", "Director of Place"]])
    covered.heading("Fees and charges", 0)
    covered.para("Fees rise by 2%.")
    covered.save(folder / "fees.docx")
    simple_report("Mystery").save(folder / "notes.docx")
    bad_zip(folder)
    result = run_import(site, capsys, "papers", "--committee", "test", "--date", "2021-01-11")
    assert result.code == 1
    created = re.findall(r"^created (\S+)$", result.out, re.MULTILINE)
    assert created == [
        f"{MEETING}/04-budget-update.md",
        f"{MEETING}/05-fees-and-charges.md",
        f"{MEETING}/04-budget-update-appendix-1.md",
    ]
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert any("notes.docx: cannot tell which agenda item it is" in e for e in errors)
    assert any("broken.docx: not a readable .docx document" in e for e in errors)
    fees = (site / MEETING / "05-fees-and-charges.md").read_text(encoding="utf-8")
    assert 'report_of: "Director of Place"' in fees
    preview(site)
