"""The site search in a real browser, by keyboard only: from any page to an FAQ answer."""

import re

import pytest
from playwright.sync_api import expect

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
QUESTION = "Can psychodynamic therapy assist with managing cravings?"
ANSWER = "teach specific craving management techniques"
MAX_TABS = 40


def tab_to_search_box(page):
    """Press Tab until the header's search box has focus; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search":
            return page.locator(":focus")
    pytest.fail("Tab never reached the search box")


def tab_to_link(page, name):
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if page.evaluate("document.activeElement.tagName") == "A" and name in focused.inner_text():
            return focused
    pytest.fail(f"Tab never reached a link to {name!r}")


@pytest.mark.parametrize("start", ["/", THERAPY_URL, "/contact-us/", "/privacy-notice/"])
def test_keyboard_user_searches_from_any_page_and_reaches_an_answer_in_two_presses(page, site_content, start):
    page.goto(start)

    box = tab_to_search_box(page)
    expect(box).to_have_accessible_name("Search this site")
    page.keyboard.type("craving")
    page.keyboard.press("Enter")  # first: search
    expect(page).to_have_url(re.compile(r"/search/\?q=craving$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("result"))).to_be_visible()

    tab_to_link(page, QUESTION)
    page.keyboard.press("Enter")  # second: the answer

    expect(page).to_have_url(
        re.compile(r"psychodynamic-therapy-for-addiction/#can-psychodynamic-therapy-assist")
    )
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_in_viewport()


def test_search_works_without_javascript(browser, base_url, site_content):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")

    page.get_by_role("searchbox", name="Search this site").fill("gambeling")
    page.get_by_role("button", name="Search").first.click()

    expect(page.get_by_role("link", name="Psychodynamic therapy")).to_be_visible()
    expect(page.locator("mark", has_text="gambling").first).to_be_visible()
    context.close()


@pytest.mark.parametrize("query", ["drinking", "xylophone"])
def test_results_and_no_results_have_no_serious_accessibility_violations(
    page, site_content, assert_no_serious_accessibility_violations, query
):
    page.goto(f"/search/?q={query}")

    expect(page.get_by_role("heading", level=2).first).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_no_results_shows_the_crisis_numbers_and_a_way_to_contact_us(page, site_content):
    page.goto("/search/?q=xylophone")

    expect(page.get_by_role("heading", name="If you need help now")).to_be_visible()
    expect(page.get_by_role("link", name="116 123")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="contact us").click()
    expect(page).to_have_url(re.compile(r"/contact-us/$"))


@pytest.mark.parametrize("path", ["/", "/search/?q=therapy"])
def test_header_search_and_results_fit_a_320_pixel_screen(page, site_content, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = page.locator("#site-search").bounding_box()
    button = page.locator(".site-search button").bounding_box()
    assert box["width"] >= 120
    assert button["height"] >= 44 and button["x"] + button["width"] <= 320


def test_search_pages_break_no_content_security_rule(page, site_content):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )

    page.goto(THERAPY_URL)
    page.locator("#site-search").fill("cravings")
    page.locator("#site-search").press("Enter")
    page.get_by_role("link", name=QUESTION).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()

    assert violations == []
