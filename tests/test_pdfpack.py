"""The agenda pack as a PDF (minutebook.site.pdfpack, made by the build beside each pack) and as printed by a
browser: what a reader of the pack notices."""

from __future__ import annotations

import html
import io
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, debian_chromium

from minutebook.site import pdfpack

BASE_URL = "https://democracy.nottinghamshire.example/"
PACK = "committees/adult-social-care-public-health/2021-02-08/pack/"  # the example site's biggest pack
SMALL_PACK = "committees/adult-social-care-health/2016-03-07/pack/"
RUNNING_HEADER = "Adult Social Care and Public Health Committee, Monday 8 February 2021"


def site_files(output: Path):
    """The build's output files by site-relative name, as the pipeline will hand them to make_pdf."""

    def read(name: str) -> bytes | None:
        path = output / name
        return path.read_bytes() if path.is_file() else None

    return read


def pack_html(output: Path, page: str = PACK) -> bytes:
    return (output / page / "index.html").read_bytes()


def text_of(tag_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", tag_html)).strip()


def agenda_items(page_html: str) -> list[tuple[str, str]]:
    """(number, title) of every agenda item, as the pack's agenda shows them."""
    found = re.findall(r'<span class="item-number">([^<]+)\.</span> (.+?)(?: <strong|\n)', page_html)
    return [(number, text_of(title)) for number, title in found]


def papers(page_html: str) -> list[tuple[str, str]]:
    """(caption, title) of every paper in the pack: "Item 4" or "Item 4, Appendix 1", and its title."""
    found = re.findall(r'<h2 id="[^"]*paper"[^>]*><span class="caption">([^<]+)</span>(.+?)</h2>', page_html)
    return [(caption, text_of(title)) for caption, title in found]


def outline_titles(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    """Every bookmark, nested ones included, with the page (from 1) it opens."""
    found: list[tuple[str, int]] = []

    def walk(entries) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.append((entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline)
    return found


@pytest.fixture(scope="module")
def pack_pdf(example_output: Path) -> bytes:
    """The PDF the build made beside the pack (the example site asks for every pack's PDF)."""
    return (example_output / PACK).parent.joinpath("agenda-pack.pdf").read_bytes()


def test_the_build_makes_the_pdf_from_the_pack_page_and_the_sites_own_stylesheet(example_output, pack_pdf):
    assert pack_pdf == pdfpack.make_pdf(pack_html(example_output), BASE_URL, site_files(example_output), page=PACK)
    meeting = (example_output / PACK).parent / "index.html"
    assert 'href="/committees/adult-social-care-public-health/2021-02-08/agenda-pack.pdf"' in meeting.read_text()


@pytest.fixture(scope="module")
def reader(pack_pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pack_pdf))


def test_pdf_opens_and_has_a_plausible_number_of_pages(reader):
    assert 20 < len(reader.pages) < 200
    assert "Agenda pack" in reader.pages[0].extract_text()


def test_pdf_is_tagged_for_screen_readers_with_its_language_and_title(reader, example_output):
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in metadata
    title = text_of(re.search(r"<title>(.*?)</title>", pack_html(example_output).decode()).group(1))
    assert title.startswith("Agenda pack: Adult Social Care and Public Health Committee, 8 February 2021")
    assert reader.metadata.title == title
    assert title in metadata


def test_structure_tree_has_the_headings_lists_tables_and_links(reader):
    kinds: set[str] = set()
    todo = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if isinstance(node, dict):
            kinds.add(str(node.get("/S", "")))
            children = node.get("/K")
            todo.extend(children if isinstance(children, list) else [children] if children is not None else [])
        elif isinstance(node, list):
            todo.extend(node)
    assert {"/H1", "/H2", "/H3", "/L", "/LI", "/Table", "/TH", "/TD", "/Link", "/P"} <= kinds


def test_bookmarks_name_every_agenda_item_and_every_paper(reader, example_output):
    page_html = pack_html(example_output).decode()
    items, sections = agenda_items(page_html), papers(page_html)
    # 11 papers, and the minutes of 11 January 2021 that item 1 confirms
    assert len(items) == 9 and len(sections) == 12, "the example pack changed: update the counts"
    bookmarks = dict(outline_titles(reader))
    for number, title in items:
        assert f"Item {number}: {title}" in bookmarks
    for caption, title in sections:
        assert f"{caption}: {title}" in bookmarks
    assert "Item 4, Appendix 1: Summary of proposed achievements across the 8 themes" in " ".join(bookmarks)


def test_every_paper_starts_on_a_new_page_and_its_bookmark_opens_it(reader, example_output):
    starts = []
    for caption, title in papers(pack_html(example_output).decode()):
        page = dict(outline_titles(reader))[f"{caption}: {title}"]
        top = " ".join(reader.pages[page - 1].extract_text().split()[:40])
        assert f"{caption} {title[:30]}" in top, (caption, top)
        starts.append(page)
    assert starts == sorted(set(starts))


def test_pages_carry_the_running_header_and_page_n_of_total(reader):
    total = len(reader.pages)
    texts = [page.extract_text() for page in reader.pages]
    assert f"Page 1 of {total}" in texts[0]
    assert RUNNING_HEADER not in texts[0]  # the first page has the meeting as its heading
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert RUNNING_HEADER in text, text[:120]


def test_contents_give_each_papers_page(reader):
    bookmarks = dict(outline_titles(reader))
    first = bookmarks["Item 5: Developing Local Area Coordination (LAC) Support in Nottinghamshire"]
    contents = " ".join(" ".join(reader.pages[n].extract_text() for n in range(2)).split())
    assert re.search(rf"Developing Local Area Coordination \(LAC\) Support in Nottinghamshire[ .]+{first}\b", contents)


def test_link_addresses_are_printed_once(reader):
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "https://www.youtube.com/user/nottscc" in text  # the webcast, written by the template
    assert "(https://www.youtube.com" not in text
    assert "Meetings.aspx" in text and "(http://www.nottinghamshire.gov.uk" not in text  # linked in the notes


def test_links_in_the_pdf_lead_to_the_public_site(reader):
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert BASE_URL + "committees/adult-social-care-public-health/2021-02-08/04-digital-strategy/" in uris
    assert "https://www.youtube.com/user/nottscc" in uris


def test_same_pack_gives_the_same_bytes_in_this_process_and_another(example_output, tmp_path):
    """Rebuilt output is compared byte for byte: no clock, no random identifier, no hash-order dependence."""
    page_html, files = pack_html(example_output, SMALL_PACK), site_files(example_output)
    first = pdfpack.make_pdf(page_html, BASE_URL, files, page=SMALL_PACK)
    assert pdfpack.make_pdf(page_html, BASE_URL, files, page=SMALL_PACK) == first
    script = (
        "import sys; from pathlib import Path; from minutebook.site import pdfpack; out = Path(sys.argv[1]);"
        "files = lambda n: (out / n).read_bytes() if (out / n).is_file() else None;"
        f"sys.stdout.buffer.write(pdfpack.make_pdf((out / {SMALL_PACK!r} / 'index.html').read_bytes(),"
        f" {BASE_URL!r}, files, page={SMALL_PACK!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Auckland"}
    other = subprocess.run(
        [sys.executable, "-c", script, str(example_output)], capture_output=True, env=env, check=True
    )
    assert other.stdout == first
    assert b"/CreationDate" not in first and b"/ModDate" not in first


MISSING_THINGS = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Agenda pack: Test</title>
<link rel="stylesheet" href="/static/site.css"><link rel="stylesheet" href="/static/gone.css">
<link rel="stylesheet" href="https://cdn.elsewhere.example/site.css">
<link rel="stylesheet" href="file:///etc/passwd"><link rel="stylesheet" href="/static/%2e%2e/%2e%2e/etc/passwd">
</head><body><main><div class="pack"><h1 class="pack-title">Agenda pack</h1>
<p><img src="/static/logo.png" alt="Logo"> <img src="https://images.elsewhere.example/x.png" alt="Chart">
<img src="../../../../etc/passwd" alt="Nothing"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="Inline"></p>
<p><a href="https://example.org/report">the report</a> and <a href="https://example.org/b">https://example.org/b</a></p>
</div></main></body></html>"""


def test_missing_and_foreign_resources_leave_a_pdf_made_without_them_and_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError(f"network access: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    site_css = (ROOT / "templates" / "static" / "site.css").read_bytes()
    asked: list[str] = []

    def files(name: str) -> bytes | None:
        asked.append(name)
        return site_css if name == "static/site.css" else None

    pdf = pdfpack.make_pdf(MISSING_THINGS.encode(), BASE_URL, files, page="committees/x/2021-01-11/pack/")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    # ../../../../etc/passwd climbs no higher than the site itself: it names the site's own (missing) etc/passwd
    assert sorted(asked) == ["etc/passwd", "static/gone.css", "static/logo.png", "static/site.css"]
    text = " ".join(reader.pages[0].extract_text().split())
    assert "root:" not in text
    # the site's print stylesheet applied: a link's address is printed after its text, but never twice
    assert "the report (https://example.org/report)" in text
    assert text.count("https://example.org/b") == 1


def test_no_files_at_all_still_makes_a_pdf(example_output):
    pdf = pdfpack.make_pdf(pack_html(example_output, SMALL_PACK), BASE_URL, page=SMALL_PACK)
    assert pypdf.PdfReader(io.BytesIO(pdf)).pages


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (BASE_URL + "static/site.css", "static/site.css"),
        (BASE_URL + "static/site.css?v=2#x", "static/site.css"),
        (BASE_URL + "static/my%20logo.svg", "static/my logo.svg"),
        (BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd", None),
        (BASE_URL + "static/..%5c..%5cetc/passwd", None),
        (BASE_URL + "static//site.css", None),
        (BASE_URL + "static/", None),
        (BASE_URL, None),
        ("https://democracy.nottinghamshire.example.evil.example/static/site.css", None),
        ("https://democracy.nottinghamshire.example@evil.example/static/site.css", None),
        ("http://democracy.nottinghamshire.example/static/site.css", None),
        ("file:///etc/passwd", None),
        ("data:text/css,body{}", None),
    ],
)
def test_only_plain_names_inside_the_site_are_asked_for(url, name):
    assert pdfpack.site_file_name(url, BASE_URL) == name


def test_a_site_in_a_sub_folder_reads_its_files_by_their_names():
    base = "https://example.gov.uk/democracy/"
    assert pdfpack.site_file_name(base + "static/site.css", base) == "static/site.css"
    assert pdfpack.site_file_name("https://example.gov.uk/static/site.css", base) is None


@pytest.mark.parametrize("base_url", ["/", "/democracy/", "democracy.example/", "ftp://example.gov.uk/", ""])
def test_base_url_must_be_the_sites_web_address(base_url):
    with pytest.raises(ValueError, match="base_url"):
        pdfpack.make_pdf(b"<!DOCTYPE html><title>x</title>", base_url)


# The system packages WeasyPrint needs, installed by `make site` and `make test`.

SCRIPT = ROOT / "tests" / "tools" / "system-packages.sh"


def run_script(tmp_path: Path, *, root: bool, installed: bool) -> subprocess.CompletedProcess:
    """The script with dpkg-query, id and apt-get replaced by stand-ins that log what they were asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "apt.log"
    stubs = {
        "dpkg-query": f"echo -n '{'install ok installed' if installed else ''}'",
        "id": f"echo {0 if root else 1000}",
        "apt-get": f'echo "apt-get $*" >> {log}',
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, check=False)


def test_system_packages_script_is_quiet_when_everything_is_installed(tmp_path):
    run = run_script(tmp_path, root=True, installed=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert not (tmp_path / "apt.log").exists()


def test_system_packages_script_installs_what_is_missing_as_root(tmp_path):
    run = run_script(tmp_path, root=True, installed=False)
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0")
    assert "libharfbuzz-subset0" in calls[1] and "fonts-dejavu-core" in calls[1]


def test_system_packages_script_says_what_to_run_when_not_root(tmp_path):
    run = run_script(tmp_path, root=False, installed=False)
    assert run.returncode == 1
    assert "sudo apt-get install libpango-1.0-0" in run.stderr
    assert not (tmp_path / "apt.log").exists()


def test_this_machine_has_the_system_packages():
    """make test ran the script; it must find everything now and say nothing."""
    run = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stderr) == (0, "")


# Printing from a browser: the same print stylesheet, without WeasyPrint.


AFTER = "selector => getComputedStyle(document.querySelector(selector), '::after').content"


@pytest.mark.browser
def test_browser_prints_the_pack_with_page_numbers_and_each_address_once(example_url):
    with debian_chromium() as browser:
        page = browser.new_page()
        page.goto(example_url + PACK, wait_until="load")
        page.emulate_media(media="print")
        page.evaluate(
            """() => document.querySelector('.pack').insertAdjacentHTML('beforeend',
                 '<p><a id="other" href="https://example.org/report">the report</a></p>')"""
        )
        webcast = page.evaluate(AFTER, 'main a[href^="https://www.youtube.com"]')
        other = page.evaluate(AFTER, "#other")
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert webcast == "none"
    assert "attr(href)" in other or "https://example.org/report" in other
    total = len(pdf.pages)
    assert total > 20
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Webcast: https://www.youtube.com/user/nottscc" in first and "(https://www.youtube.com" not in first
    assert f"Page 1 of {total}" in first
    assert f"Page {total} of {total}" in pdf.pages[-1].extract_text()
