"""What residents see in a browser, at 1280 and 320 pixels: the paper above the fold, paragraph links, registers
and tables on phones. The example site is served on 127.0.0.1 and driven in Debian's Chromium."""

from __future__ import annotations

import pytest

MEETING = "committees/adult-social-care-public-health/2021-02-08/"
DIGITAL = MEETING + "04-digital-strategy/"
TABLES = MEETING + "07-public-health-performance-report-appendix-a/"
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def open_page(browser, url: str, viewport: dict, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return page


VISIBLE_WITH = """title => [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent);
    return box.bottom > 0 && box.top < innerHeight && own.join(' ').replace(/\\s+/g, ' ').includes(title);
  }).map(e => e.tagName + (e.closest('[hidden]') ? ' (hidden)' : ''))"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320", "1280"])
def test_the_papers_title_is_shown_once_above_the_fold_and_what_is_asked_follows(browser, example_url, viewport):
    page = open_page(browser, example_url + DIGITAL, viewport)
    shown = [tag for tag in page.evaluate(VISIBLE_WITH, "Digital Strategy for 2021-2024") if "(hidden)" not in tag]
    assert shown == ["H1"], shown
    asked = page.locator("#asked-heading").bounding_box()
    assert asked is not None and asked["y"] < viewport["height"], "what the committee is asked is above the fold"
    page.context.close()


@pytest.mark.browser
def test_a_paragraph_link_is_reached_by_keyboard_and_copies_its_address(browser, example_url):
    page = open_page(browser, example_url + DIGITAL, DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    link = page.locator("a.para-number").first
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Link to paragraph 1"
    assert page.evaluate("document.activeElement.tabIndex") == 0
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] >= 16 and box["height"] >= 24
    page.keyboard.press("Enter")
    page.wait_for_selector(".para-copied")
    assert page.text_content(".para-copied") == "Link to paragraph 1 copied"
    assert page.evaluate("location.hash") == "#para-1"
    assert page.evaluate("navigator.clipboard.readText()") == example_url + DIGITAL + "#para-1"
    page.context.close()


@pytest.mark.browser
def test_without_scripts_a_paragraph_link_shows_its_address(browser, example_url):
    page = open_page(browser, example_url + DIGITAL, PHONE, java_script_enabled=False)
    page.locator("a.para-number").nth(1).click()
    assert page.url == example_url + DIGITAL + "#para-2"
    page.context.close()


@pytest.mark.browser
def test_the_register_is_a_list_of_cards_on_a_phone(browser, example_url):
    page = open_page(browser, example_url + "decisions/", PHONE)
    cards = page.evaluate(
        """() => [...document.querySelectorAll('table.register tbody tr')].map(tr => {
              const number = tr.querySelector('.register-number').getBoundingClientRect();
              const tag = tr.querySelector('.tag').getBoundingClientRect();
              return [getComputedStyle(tr).display, Math.abs(number.top - tag.top) < 12, tag.right <= 320];
            })"""
    )
    assert len(cards) == 7 and all(card == ["grid", True, True] for card in cards), cards
    labels = page.locator("table.register tbody tr").first.inner_text()
    assert "Committee: Adult Social Care and Public Health Committee" in labels and "Meeting: 11 January 2021" in labels
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.context.close()


@pytest.mark.browser
def test_status_tags_never_break_over_two_lines(browser, example_url):
    page = open_page(browser, example_url + "decisions/", DESKTOP)
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.tag')].map(t => {
              const height = t.getBoundingClientRect().height, line = parseFloat(getComputedStyle(t).lineHeight);
              return height < 2 * line;
            })"""
    )
    assert lines and all(lines)
    page.context.close()


@pytest.mark.browser
def test_the_register_filters_by_committee_year_and_status(browser, example_url):
    page = open_page(browser, example_url + "decisions/", DESKTOP)
    assert page.is_visible("form.register-filter")
    assert page.text_content(".register-count") == "Showing all 7 decisions."
    # only a committee with a decision is offered: the Adult Social Care and Health Committee has none
    offered = "[...document.querySelectorAll('#filter-committee option')].map(o => o.value)"
    assert page.evaluate(offered) == ["", "adult-social-care-public-health"]
    page.select_option("#filter-committee", "adult-social-care-public-health")
    page.select_option("#filter-year", "2021")
    page.select_option("#filter-status", "in-force")
    assert page.text_content(".register-count") == "Showing 7 of 7 decisions."
    assert not page.evaluate("[...document.querySelectorAll('.register-year')].some(s => s.hidden)")
    query = "?committee=adult-social-care-public-health&year=2021&status=in-force"
    assert page.url == example_url + "decisions/" + query
    again = open_page(browser, example_url + "decisions/" + query, DESKTOP)
    assert again.text_content(".register-count") == "Showing 7 of 7 decisions."  # a filtered register can be linked
    assert again.input_value("#filter-year") == "2021"
    page.click("text=11 January 2021 >> nth=0")  # each decision's meeting is a link
    assert page.url == example_url + "committees/adult-social-care-public-health/2021-01-11/"
    page.context.close()
    again.context.close()


@pytest.mark.browser
def test_without_scripts_the_register_offers_links_instead_of_its_filter(browser, example_url):
    page = open_page(browser, example_url + "decisions/", PHONE, java_script_enabled=False)
    assert not page.is_visible("form.register-filter")
    page.click("text=Decisions in force")
    assert page.url == example_url + "decisions/status/in-force/"
    page.context.close()


@pytest.mark.browser
def test_a_table_that_scrolls_says_so_and_one_that_fits_does_not(browser, example_url):
    phone = open_page(browser, example_url + TABLES, PHONE)
    wrap = phone.locator(".prose .table-wrap").first
    hint = wrap.get_attribute("aria-describedby")
    assert hint and phone.is_visible(f"#{hint}")
    assert phone.text_content(f"#{hint}") == "Scroll sideways to see more of this table"
    wrap.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("document.querySelector('.prose .table-wrap').scrollLeft > 0")
    desktop = open_page(browser, example_url + TABLES, DESKTOP)
    assert desktop.locator(".prose .table-wrap").first.get_attribute("aria-describedby") is None
    assert desktop.locator(".scroll-hint").count() == 0
    widths = desktop.evaluate(
        "() => [document.querySelector('.prose .table-wrap').offsetWidth, document.querySelector('.prose').offsetWidth]"
    )
    assert widths[0] > widths[1], "a paper's table may be wider than its text"
    aligned = desktop.evaluate(
        "() => [...document.querySelectorAll('td.num')].map(td => getComputedStyle(td).textAlign)"
    )
    assert aligned and set(aligned) == {"right"}
    phone.context.close()
    desktop.context.close()
