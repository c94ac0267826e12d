"""Site search: the Pagefind bundle in the build, and the search page driving it in a real browser."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import ROOT, SITE_TOML, TODAY, TWO_YEARS, build, serving, snapshot

from minutebook.shell import commands
from minutebook.site import search

sys.path.insert(0, str(ROOT / "bench"))
import generate

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


def shard_folders(output: Path) -> list[Path]:
    """The search index's shards, in the order the search page merges them."""
    return [output / "pagefind" / name for name in json.loads((output / "pagefind/shards.json").read_text())]


def fragments(output: Path, shard: str = "*") -> dict[str, dict]:
    """The indexed pages of every shard (or of one), by URL: what each search result shows (title, filters, text)."""
    pages = {}
    for path in (output / "pagefind").glob(f"{shard}/fragment/*.pf_fragment"):
        fragment = json.loads(decompress(path.read_bytes()))
        assert fragment["url"] not in pages, "a page indexed in two shards"
        pages[fragment["url"]] = fragment
    return pages


def test_example_build_writes_a_search_shard_for_each_committees_year(example_output: Path) -> None:
    shards = shard_folders(example_output)
    assert [shard.name for shard in shards] == [
        "2021-adult-social-care-public-health",
        "2016-adult-social-care-health",
    ]
    assert (shards[0] / "pagefind.js").is_file()  # the search code the page loads comes with the first
    for shard in shards:
        entry = json.loads((shard / "pagefind-entry.json").read_text())
        assert entry["languages"]["en-gb"]["page_count"] > 0
        assert list((shard / "index").glob("*.pf_index")) and list((shard / "filter").glob("*.pf_filter"))
    words = b"".join(data for name, data in bundle_texts(example_output).items() if name.endswith(".pf_index"))
    assert b"dementia" in words
    urls = {url: search.shard_of(url) for url in fragments(example_output)}
    assert urls["/" + DEMENTIA_PAPER] == "2021-adult-social-care-public-health"
    assert urls["/committees/adult-social-care-health/2016-03-07/"] == "2016-adult-social-care-health"


def test_pages_go_to_the_shard_of_their_committees_year() -> None:
    assert search.shard_of("committees/planning/2019-03-04/minutes.md") == "2019-planning"
    assert search.shard_of("committees/planning/resolutions/2019-004/index.html") == "site"
    assert search.shard_of("", "archive/2019-03-04/index.html") == "2019"
    assert search.shard_of("subjects/libraries.md", "subjects/libraries/index.html") == "site"
    names = ["site", "2019-planning", "2024-audit", "2019-audit", "2023"]
    assert search.shard_order(names) == ["2024-audit", "2023", "2019-audit", "2019-planning", "site"]


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
    assert not list((example_output / "pagefind").rglob("pagefind-ui*"))


def test_the_same_pages_give_the_same_bundle_bytes(example_output: Path, tmp_path: Path) -> None:
    """Pagefind writes filter values in a different order on every run; the build must not (rsync, reproducibility)."""
    pages = [url.lstrip("/") + "index.html" for url in fragments(example_output, "2016-adult-social-care-health")]
    bundles = []
    for attempt in range(2):
        scratch = tmp_path / f"scratch-{attempt}"
        for rel in pages:
            (scratch / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
            (scratch / "site" / rel).write_bytes((example_output / rel).read_bytes())
        bundles.append(search.make_bundle(scratch / "site", scratch, folder="pagefind/2016-adult-social-care-health/"))
    assert bundles[0].rewritten == bundles[1].rewritten
    assert bundles[0].rewritten == {
        p.relative_to(example_output).as_posix(): p.read_bytes()
        for p in (example_output / "pagefind/2016-adult-social-care-health").rglob("*")
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


def test_a_council_without_search_has_no_search_page_link_or_index(make_site) -> None:
    root = make_site({"site.toml": SITE_TOML + "search = false\n"})
    assert build(root).ok
    output = root / "output"
    assert not (output / "search").exists() and not (output / "pagefind").exists()
    pages = [p for p in output.rglob("*.html")]
    assert pages and not [p for p in pages if "search/" in p.read_text(encoding="utf-8")]
    assert "search/" not in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_a_quick_build_without_search_leaves_it_all_out_then_the_next_build_puts_it_back(make_site) -> None:
    root = make_site({})
    assert build(root, search=False).ok
    assert not (root / "output/search").exists() and not (root / "output/pagefind").exists()
    assert build(root).ok
    assert (root / "output/search/index.html").is_file() and shard_folders(root / "output")


# --- shards: made again only when their pages change, and searched as one index -----------------------------


def shard_files(output: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the search index: its modification time and bytes."""
    return {path: found for path, found in snapshot(output).items() if path.startswith("pagefind/")}


def test_an_edit_reindexes_only_its_own_shard(make_site) -> None:
    root = make_site(TWO_YEARS)
    assert build(root).ok
    before = shard_files(root / "output")
    assert [shard.name for shard in shard_folders(root / "output")] == ["2022-test", "2021-test"]
    paper = root / "content/committees/test/2022-01-10/04-a-report.md"
    paper.write_text(paper.read_text().replace("wombat", "numbat"), encoding="utf-8")
    assert build(root).ok
    after = shard_files(root / "output")
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed and all(path.startswith("pagefind/2022-test/") for path in changed)
    assert {path for path in before if path.startswith("pagefind/2021-test/")} <= set(after)
    words = b"".join(decompress(data) for path, (_, data) in after.items() if path.endswith(".pf_index"))
    assert b"numbat" in words and b"wombat" not in words


def test_a_shard_whose_pages_all_go_goes_too(make_site) -> None:
    root = make_site(TWO_YEARS)
    assert build(root).ok
    shutil.rmtree(root / "content/committees/test/2022-01-10")
    assert build(root).ok
    assert [shard.name for shard in shard_folders(root / "output")] == ["2021-test"]
    assert not (root / "output/pagefind/2022-test").exists()


def single_index(output: Path, into: Path) -> None:
    """One Pagefind index of every page the shards index, under `into`/single/: what the shards must equal."""
    scratch = into / "single-scratch"
    for url in fragments(output):
        rel = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
        (scratch / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (scratch / "site" / rel).write_bytes((output / rel).read_bytes())
    for path, data in search.make_bundle(scratch / "site", scratch, folder="single/").rewritten.items():
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        (into / path).write_bytes(data)


def every_result(page, status: str) -> list[str]:
    """All the search page's results (each "Show more" pressed), as the pages they lead to."""
    results(page, status)
    while page.is_visible(".search-more"):
        count = page.locator("#search-results > li").count()
        page.click(".search-more")
        page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {count}")
    links = page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.getAttribute('href'))")
    return sorted(link.split("#")[0] for link in links)  # a result leads to the place on its page it matched


SINGLE_INDEX_SEARCH = """async ([term, filters]) => {
    const pagefind = await import("/single/pagefind.js");
    await pagefind.options({ baseUrl: "/" });
    const found = await pagefind.search(term, { filters });
    const pages = await Promise.all(found.results.map(result => result.data()));
    return { urls: pages.map(page => page.url).sort(), years: Object.keys((await pagefind.filters()).year).sort() };
}"""


def assert_shards_answer_as_one_index(page, output: Path, queries: list[tuple[str, dict[str, str]]]) -> None:
    single_index(output, output)
    with serving(output) as site:
        for term, filters in queries:
            page.goto(site + "search/?" + urlencode({"q": term, **filters}))
            found = every_result(page, "results? for “")
            single = page.evaluate(SINGLE_INDEX_SEARCH, [term, filters])
            assert found and found == single["urls"], (term, filters)
            years = page.eval_on_selector_all("#filter-year option", "os => os.map(o => o.value).filter(Boolean)")
            assert sorted(years) == single["years"]


@pytest.mark.browser
def test_the_example_sites_shards_find_what_one_index_would(example_output: Path, tmp_path: Path, page) -> None:
    output = tmp_path / "output"
    shutil.copytree(example_output, output)
    queries = [
        ("dementia", {}),  # in one shard only: the other answers with pages that have "d"
        ("dementiaish", {}),  # nowhere: one index answers with the pages that have "dementia"
        ("care", {}),
        ("care", {"kind": "Report"}),
        ("budget", {"year": "2021"}),
        ("public health", {}),
        ("coordinatio", {}),  # a word being typed: its stem is shorter than what is typed so far
    ]
    assert_shards_answer_as_one_index(page, output, queries)


@pytest.mark.browser
def test_a_generated_archives_shards_find_what_one_index_would(tmp_path: Path, page) -> None:
    archive = generate.Archive(120, 2021, tmp_path / "archive")
    archive.generate()
    assert commands.build_into(tmp_path / "archive", tmp_path / "output", TODAY).ok
    assert len(shard_folders(tmp_path / "output")) > 10
    queries = [("budget", {}), ("resolved", {"kind": "Minutes"}), ("care", {"year": "2017"}), ("report", {})]
    assert_shards_answer_as_one_index(page, tmp_path / "output", queries)
