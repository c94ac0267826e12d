"""The shipped example site builds cleanly and its pages are linked as a resident expects."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT, TODAY

from minutebook.shell import cli, commands


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "img", "script"):
                self.links.append(attrs[key])


def parse(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_example_site_checks_without_errors_or_warnings():
    """The example is what a council copies: a warning there would teach clerks to ignore warnings."""
    assert [str(d) for d in commands.check(ROOT, TODAY)] == []


def test_check_says_what_to_do_and_never_that_nothing_was_published(make_site, capsys):
    root = make_site({"content/committees/test/2021-01-11/04-report.md": "---\ntitle: A report\nexmept: true\n---\n"})
    assert cli.main(["check", "--now", TODAY.isoformat()], root=root) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == "1 error(s): fix them, then build"


def test_no_broken_internal_link_or_anchor(example_output: Path):
    pages = {p: parse(p) for p in example_output.rglob("*.html")}
    broken = []
    for page, collected in pages.items():
        for link in collected.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:")):
                continue
            target = page if not parts.path else example_output / unquote(parts.path).lstrip("/")
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(example_output)} → {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(example_output)} → {link} (no such anchor)")
    assert broken == []


def test_every_resolution_of_11_january_2021_has_a_page(example_output: Path):
    base = example_output / "committees/adult-social-care-public-health/resolutions"
    for n in range(1, 8):
        page = base / f"2021-00{n}" / "index.html"
        assert page.exists(), page
        html = page.read_text()
        assert f"Resolution 2021/00{n}" in html
        assert "/committees/adult-social-care-public-health/2021-01-11/" in html


def test_every_agenda_item_with_a_paper_links_to_it(example_output: Path):
    meeting = example_output / "committees/adult-social-care-public-health/2021-02-08/index.html"
    html = meeting.read_text()
    for stem in (
        "04-digital-strategy",
        "05-local-area-coordination",
        "06-integrated-care-systems",
        "07-public-health-performance-report",
        "08-dementia-project-support-post",
        "09-work-programme",
    ):
        assert f'href="/committees/adult-social-care-public-health/2021-02-08/{stem}/"' in html


def test_paragraph_mentions_land_on_their_paragraphs(example_output: Path):
    page = example_output / "committees/adult-social-care-public-health/2021-02-08/04-digital-strategy/index.html"
    collected = parse(page)
    assert {"para-1", "para-21", "para-32"} <= collected.ids
    html = page.read_text()
    assert '<a href="#para-21">paragraph 21</a>' in html
    assert '<a href="#para-18">paragraphs 18</a>' in html


def test_exempt_appendix_shows_only_its_existence(example_output: Path):
    page = (
        example_output
        / "committees/adult-social-care-health/2016-03-07/06-mid-nottinghamshire-alliance-agreement/index.html"
    )
    html = page.read_text()
    assert "not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in html
    assert "Key issues and implications of the Alliance Contract Agreement" not in "".join(
        p.read_text(errors="replace") for p in example_output.rglob("*") if p.is_file()
    )


def test_second_identical_build_is_byte_identical(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert commands.build_into(ROOT, first, TODAY).ok
    assert commands.build_into(ROOT, second, TODAY).ok
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
