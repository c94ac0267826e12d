"""Site search: the Pagefind bundle in the build, and the search page driving it in a real browser."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, TODAY, build, debian_chromium

from minutebook.shell import commands
from minutebook.site import search

DEMENTIA_PAPER = "committees/adult-social-care-public-health/2021-02-08/08-dementia-project-support-post/"
SIGNATURE = b"pagefind_dcd"

EXEMPT_SITE = {
    "content/committees/test/2021-01-11/04-a-report.md": (
        "---\ntitle: Zoo contract renewal\n---\n## Purpose of the Report\n\n"
        "1. This report on the zebrapublic enclosure is open to the public. Text pasted from Word can hold markup:\n"
        "   `<img src=x onerror=window.pwned=1>`.\n"
    ),
    "content/committees/test/2021-01-11/04-a-report-appendix-1.md": (
        "---\ntitle: Zebracanary bidder prices\naccess: exempt\nexempt_paragraph: 3\npublic_title: Exempt appendix\n"
        "---\nThe zebracanary bidder offered a price that must never be published.\n"
    ),
}


# --- the bundle, read in Python ------------------------------------------------------


def decompress(data: bytes) -> bytes:
    """What pagefind.js does: a file is the signature plus data, gzip-compressed unless it starts with it."""
    if data.startswith(SIGNATURE):
        return data[len(SIGNATURE) :]
    data = gzip.decompress(data)
    assert data.startswith(SIGNATURE), "pagefind file without its signature"
    return data[len(SIGNATURE) :]


def bundle_texts(output: Path) -> dict[str, bytes]:
    """Every file of the search bundle as plain bytes, compressed files decompressed."""
    texts = {}
    for path in sorted((output / "pagefind").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            texts[path.relative_to(output).as_posix()] = decompress(data) if data[:2] == b"\x1f\x8b" else data
    return texts


def fragments(output: Path) -> dict[str, dict]:
    """The indexed pages, by URL: what each search result shows (title, filters, text)."""
    pages = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(decompress(path.read_bytes()))
        pages[fragment["url"]] = fragment
    return pages


def test_example_build_writes_a_search_bundle(example_output: Path) -> None:
    assert (example_output / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((example_output / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en-gb"]["page_count"] > 0
    assert list((example_output / "pagefind" / "index").glob("*.pf_index"))
    assert list((example_output / "pagefind" / "filter").glob("*.pf_filter"))
    words = b"".join(data for name, data in bundle_texts(example_output).items() if name.endswith(".pf_index"))
    assert b"dementia" in words


def test_index_holds_papers_minutes_decisions_and_agendas_with_their_filters(example_output: Path) -> None:
    pages = fragments(example_output)
    paper = pages["/" + DEMENTIA_PAPER]
    assert paper["meta"]["title"] == "Better Care Fund Dementia Project - Project Support Post"
    assert paper["filters"] == {
        "committee": ["Adult Social Care and Public Health Committee"],
        "year": ["2021"],
        "kind": ["Report"],
    }
    assert paper["meta"]["date"] == "8 February 2021"
    assert "dementia" in paper["content"].lower()
    kinds = {page["filters"]["kind"][0] for page in pages.values()}
    assert kinds == {"Agenda", "Report", "Appendix", "Minutes", "Decision"}
    assert pages["/committees/adult-social-care-health/2016-03-07/"]["filters"]["year"] == ["2016"]


def test_index_leaves_out_navigation_search_and_agenda_packs(example_output: Path) -> None:
    urls = set(fragments(example_output))
    assert not {"/", "/search/", "/404.html", "/decisions/", "/committees/"} & urls
    assert not [url for url in urls if url.endswith("/pack/") or url.startswith("/data/")]
    assert not list((example_output / "pagefind").glob("pagefind-ui*"))


def test_the_same_pages_give_the_same_bundle_bytes(example_output: Path, tmp_path: Path) -> None:
    """Pagefind writes filter values in a different order on every run; the build must not (rsync, reproducibility)."""
    bundles = []
    for attempt in range(2):
        scratch = tmp_path / f"scratch-{attempt}"
        site = scratch / "site"
        for page in example_output.rglob("*.html"):
            rel = page.relative_to(example_output).as_posix()
            if search.is_indexed(rel):
                (site / rel).parent.mkdir(parents=True, exist_ok=True)
                (site / rel).write_bytes(page.read_bytes())
        bundles.append(search.make_bundle(site, scratch).rewritten)
    assert bundles[0] == bundles[1]
    assert bundles[0] == {
        p.relative_to(example_output).as_posix(): p.read_bytes()
        for p in (example_output / "pagefind").rglob("*")
        if p.is_file()
    }


def test_a_missing_pagefind_binary_stops_the_build_with_a_clear_message(make_site, monkeypatch) -> None:
    root = make_site({})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(root / "no-such-pagefind"))
    with pytest.raises(search.SearchIndexError, match=r"^search index: cannot run Pagefind \(.*no-such-pagefind\)"):
        build(root)
    assert not (root / "output").exists()


def test_exempt_appendix_text_is_in_no_search_file(make_site) -> None:
    root = make_site(EXEMPT_SITE)
    assert build(root).ok
    texts = bundle_texts(root / "output")
    assert any(b"zebrapublic" in data for data in texts.values())  # the public paper is indexed …
    leaks = [name for name, data in texts.items() if b"zebracanary" in data.lower()]
    assert leaks == []  # … its exempt appendix is not, not even its title


# --- the search page in a real browser -----------------------------------------------


class MountedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder at a sub-path (/democracy/), the way a council's web server would."""

    mount = "/"

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "__not-mounted__")
        return super().translate_path("/" + path[len(self.mount) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, mount: str = "/") -> Iterator[str]:
    """The folder over http on 127.0.0.1 and a free port; yields the site's address."""
    handler = type("Handler", (MountedHandler,), {"mount": mount})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    with debian_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def results(page, status: str) -> list[dict[str, str]]:
    """Wait until the status region announces text matching the pattern `status`, then read the results."""
    page.wait_for_function(
        "pattern => new RegExp(pattern).test(document.getElementById('search-status').textContent)",
        arg=status,
        timeout=15000,
    )
    return page.eval_on_selector_all(
        "#search-results > li",
        """items => items.map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'), title: li.querySelector('h2 a').textContent,
        meta: li.querySelector('.meta')?.textContent, excerpt: li.querySelector('.search-excerpt')?.innerHTML}))""",
    )


@pytest.mark.browser
def test_search_page_finds_the_dementia_paper(example_output: Path, page) -> None:
    with serving(example_output) as site:
        page.goto(site + "search/?q=dementia")
        found = results(page, "^[0-9]+ results? for “dementia”$")
        assert page.text_content("#search-status") == f"{len(found)} results for “dementia”"
        paper = next(r for r in found if r["href"].split("#")[0] == "/" + DEMENTIA_PAPER)
        assert paper["title"] == "Better Care Fund Dementia Project - Project Support Post"
        # the result leads to the numbered paragraph where the best match is, and says which
        assert paper["href"] == "/" + DEMENTIA_PAPER + "#para-1"
        assert paper["meta"] == "Report · Adult Social Care and Public Health Committee · 8 February 2021 · Paragraph 1"
        assert "<mark>" in paper["excerpt"].lower() and "<script" not in paper["excerpt"]
        assert page.input_value("#search-input") == "dementia"
        assert "2021" in page.eval_on_selector_all("#filter-year option", "os => os.map(o => o.value)")
        kinds = page.eval_on_selector_all("#filter-kind option", "os => os.map(o => o.value)")
        assert kinds == ["", "Agenda", "Report", "Appendix", "Minutes", "Decision"]
        page.click(f"a[href='{paper['href']}']")
        page.wait_for_url("**#para-1")
        assert "dementia" in page.text_content("#para-1").lower()  # the reader lands on the matching paragraph


@pytest.mark.browser
def test_typing_searches_and_filters_narrow_the_results(example_output: Path, page) -> None:
    with serving(example_output) as site:
        page.goto(site + "search/")
        page.focus("#search-input")
        page.keyboard.type("dementia")  # no submit: the search runs when typing pauses
        everything = results(page, "^[0-9]+ results? for “dementia”$")
        assert "q=dementia" in page.url
        page.select_option("#filter-kind", "Agenda")
        agendas = results(page, "for “dementia” \\(Agenda\\)$")
        assert agendas and len(agendas) < len(everything)
        assert all(r["meta"].startswith("Agenda · ") for r in agendas)
        assert "kind=Agenda" in page.url


@pytest.mark.browser
def test_exempt_text_finds_nothing(make_site, page) -> None:
    root = make_site(EXEMPT_SITE)
    assert build(root).ok
    with serving(root / "output") as site:
        page.goto(site + "search/?q=zebrapublic")
        found = results(page, "^1 result for “zebrapublic”$")
        assert [r["title"] for r in found] == ["Zoo contract renewal"]
        assert "&lt;img src=x onerror=window.pwned=1&gt;" in found[0]["excerpt"]  # shown as text, never as markup
        assert page.evaluate("document.querySelectorAll('#search-results img').length + (window.pwned || 0)") == 0
        page.goto(site + "search/?q=zebracanary")
        assert results(page, "^0 results for “zebracanary”$") == []


@pytest.mark.browser
def test_search_works_under_a_sub_path(tmp_path: Path, page) -> None:
    output = tmp_path / "output"
    assert commands.build_into(ROOT, output, TODAY, base="/democracy/").ok
    with serving(output, "/democracy/") as site:
        page.goto(site + "search/?q=dementia")
        found = results(page, "results? for “dementia”$")
        assert found and all(r["href"].startswith("/democracy/committees/") for r in found)
        page.click(f"a[href^='/democracy/{DEMENTIA_PAPER}#']")
        assert page.text_content("h1") == "Better Care Fund Dementia Project - Project Support Post"
