"""Accessibility by proof: the built example site checked in Chromium with axe-core and by the Nu Html Checker."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

from minutebook.content import branding

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
INSTALL_HINT = "run `make test-tools` (bash tests/tools/install.sh) to install it"

MEETING = "committees/adult-social-care-public-health/2021-02-08/"
PAGE_TYPES = {
    "home": "",
    "committees index": "committees/",
    "committee": "committees/adult-social-care-public-health/",
    "meetings index": "meetings/",
    "meeting": MEETING,
    "meeting with decisions": "committees/adult-social-care-public-health/2021-01-11/",
    "report with recommendations": MEETING + "04-digital-strategy/",
    "appendix": MEETING + "04-digital-strategy-appendix-1/",
    "paper with tables": MEETING + "07-public-health-performance-report-appendix-a/",
    "paper with footnotes": MEETING + "06-integrated-care-systems-appendix-1/",
    "report with tables and footnotes": MEETING + "08-dementia-project-support-post/",
    "minutes": "committees/adult-social-care-public-health/2021-01-11/minutes/",
    "resolution": "committees/adult-social-care-public-health/resolutions/2021-001/",
    "decisions register": "decisions/",
    "decisions by year": "decisions/2021/",
    "decisions by status": "decisions/status/in-force/",
    "committee register": "committees/adult-social-care-public-health/resolutions/",
    "subject": "subjects/integrated-care/",
    "subjects index": "subjects/",
    "search": "search/",
    "page not found": "404.html",
    "accessibility statement": "accessibility/",
    "keep up to date": "keep-up-to-date/",
    "agenda pack": MEETING + "pack/",
    "open data": "data/",
}

# WCAG 1.4.12: the page must survive these overrides without losing content.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def require(path: Path, what: str) -> None:
    """A missing checker fails the test loudly (in CI and locally): a skipped accessibility check proves nothing."""
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}): {INSTALL_HINT}", pytrace=False)


@pytest.fixture(scope="module")
def page(browser):
    """One tab reused by every test: each test sets its own viewport and colour scheme."""
    tab = browser.new_page()
    yield tab
    tab.close()


def visit(page, example_url: str, kind: str, width: int = 1280, scheme: str = "light"):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="screen", color_scheme=scheme)
    response = page.goto(example_url + PAGE_TYPES[kind], wait_until="load")
    assert response is not None and response.status == 200, f"{kind} page {PAGE_TYPES[kind]!r} was not served"
    return page


def axe_violations(page) -> list[dict]:
    require(AXE, "axe-core")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """Violations as a reader can act on them: rule, impact, what to fix, and where."""
    lines = []
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines()[1:3])
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_has_no_wcag_violations(page, example_url, kind, width):
    violations = axe_violations(visit(page, example_url, kind, width))
    if violations:
        pytest.fail(f"axe found WCAG 2.2 AA violations on the {kind} page at {width}px:{describe(violations)}")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_has_no_wcag_violations_in_dark_mode(page, example_url, kind, width):
    violations = axe_violations(visit(page, example_url, kind, width, scheme="dark"))
    if violations:
        where = f"the {kind} page at {width}px in dark mode"
        pytest.fail(f"axe found WCAG 2.2 AA violations on {where}:{describe(violations)}")


@pytest.mark.browser
def test_dark_mode_really_changes_the_colours(page, example_url):
    """Guards the dark-mode checks above: they prove nothing if the dark scheme never applies."""
    background = "getComputedStyle(document.body).backgroundColor"
    light = visit(page, example_url, "home").evaluate(background)
    dark = visit(page, example_url, "home", scheme="dark").evaluate(background)
    assert light == "rgb(255, 255, 255)"
    assert dark != light


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["home", "paper with tables"])
def test_first_tab_reaches_skip_link_and_enter_moves_focus_to_main(page, example_url, kind):
    visit(page, example_url, kind)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
    assert focused == ["skip-link", "Skip to main content"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] >= 24 and box["height"] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName + '#' + document.activeElement.id") == "MAIN#main"
    assert page.evaluate("getComputedStyle(document.activeElement).backgroundColor") == "rgba(0, 0, 0, 0)"


FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e);
    return {what: e.outerHTML.slice(0, 80), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
            color: s.color, background: s.backgroundColor}; }"""


def rgb_hex(css: str) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_focused_control_is_visibly_marked_and_readable(page, example_url, scheme):
    """Tabbing through the header, breadcrumbs and page: a solid outline, and focused text still reads at 4.5:1."""
    visit(page, example_url, "paper with tables", scheme=scheme)
    problems = []
    for _ in range(18):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus["outline"] != "solid" or focus["width"] < 2:
            problems.append(f"no visible focus outline: {focus}")
        if not focus["background"].startswith("rgba(0, 0, 0, 0"):
            ratio = branding.contrast_ratio(rgb_hex(focus["color"]), rgb_hex(focus["background"]))
            if ratio < 4.5:
                problems.append(f"focused text has a contrast ratio of {ratio:.2f}:1: {focus}")
    assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_reflows_at_320_pixels_without_sideways_scrolling(page, example_url, kind):
    width = visit(page, example_url, kind, 320).evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the {kind} page is {width}px wide at a 320px viewport: {wide_elements(page)}"


def wide_elements(page) -> list[str]:
    """The outermost elements that stick out past the viewport, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-wrap, pre'))
            .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= 321)
            .slice(0, 5).map(e => e.outerHTML.slice(0, 120))"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["meeting", "paper with tables", "decisions register"])
def test_text_spacing_overrides_lose_no_content(page, example_url, kind):
    visit(page, example_url, kind, 320)
    page.add_style_tag(content=TEXT_SPACING)
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('main *, header *, footer *')].filter(e => {
              const s = getComputedStyle(e);
              const hides = ['hidden', 'clip'].includes(s.overflowY) || ['hidden', 'clip'].includes(s.overflowX);
              return hides && !e.classList.contains('visually-hidden')
                && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1);
            }).map(e => e.outerHTML.slice(0, 120))"""
    )
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.browser
def test_wide_table_scrolls_in_its_own_keyboard_reachable_region(page, example_url):
    visit(page, example_url, "paper with tables", 320)
    regions = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => {
              const wrap = t.closest('.table-wrap');
              return wrap && [wrap.getAttribute('role'), wrap.tabIndex, !!wrap.getAttribute('aria-label')
                              || !!wrap.getAttribute('aria-labelledby')];
            })"""
    )
    assert regions, "the paper with tables has no tables"
    assert all(r == ["region", 0, True] for r in regions), regions


@pytest.mark.browser
def test_print_stylesheet_prints_the_paper_not_the_navigation(page, example_url):
    visit(page, example_url, "paper with tables")
    page.emulate_media(media="print", color_scheme="dark")
    shown = page.evaluate(
        """() => Object.fromEntries(['.site-header nav', '.skip-link', '.site-footer', 'main h1'].map(
              s => [s, getComputedStyle(document.querySelector(s)).display !== 'none']))"""
    )
    assert shown == {".site-header nav": False, ".skip-link": False, ".site-footer": False, "main h1": True}
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]


CANARY = '<!DOCTYPE html><html lang="en"><title>Canary</title><p><div>Invalid on purpose</p></html>'


@pytest.mark.vnu
def test_every_page_is_valid_html(example_output: Path, tmp_path: Path):
    """One JVM checks every generated page, plus a canary proving the checker really reports errors."""
    require(VNU, "The Nu Html Checker (vnu-jar)")
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = sorted(str(p) for p in example_output.rglob("*.html"))
    assert len(pages) > 20
    try:
        run = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(canary), *pages],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except FileNotFoundError:
        pytest.fail(f"Java is missing: {INSTALL_HINT}", pytrace=False)
    report = next((line for line in (run.stderr + run.stdout).splitlines() if line.startswith('{"')), None)
    assert report is not None, f"the Nu Html Checker gave no JSON report:\n{run.stderr}{run.stdout}"
    messages = json.loads(report)["messages"]
    assert any(m.get("url", "").endswith("/canary.html") for m in messages), "the checker missed a known error"
    errors = [
        f"{m.get('url', '?').removeprefix('file:' + str(example_output))}:{m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()[:160]}"
        for m in messages
        if m.get("type") in ("error", "non-document-error") and not m.get("url", "").endswith("/canary.html")
    ]
    if errors:
        pytest.fail("the Nu Html Checker found errors:\n" + "\n".join(errors), pytrace=False)


@pytest.mark.browser
def test_axe_really_reports_violations(page):
    """Guards every axe check above: an image without alternative text and grey-on-grey text must be caught."""
    page.set_content(
        '<html lang="en"><title>Canary</title><main><img src="x.png">'
        '<p style="color:#aaa;background:#fff">Faint</p></main></html>'
    )
    assert {v["id"] for v in axe_violations(page)} == {"image-alt", "color-contrast"}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_header_is_drawn_in_the_councils_accent_with_white_text(page, example_url, scheme):
    visit(page, example_url, "home", scheme=scheme)
    colours = page.evaluate(
        """() => { const h = getComputedStyle(document.querySelector('.site-header'));
                   const a = getComputedStyle(document.querySelector('.site-header a'));
                   return [h.backgroundColor, a.color]; }"""
    )
    accent = tomllib.loads((ROOT / "site.toml").read_text(encoding="utf-8"))["branding"]["accent"]
    assert colours == ["rgb({}, {}, {})".format(*branding.parse_hex(accent)), "rgb(255, 255, 255)"]
