"""The explainer pages in a real browser: accessibility, keyboard use, and disclosures without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
FIRST_SECTION = "What is psychodynamic therapy for addiction?"
FIRST_QUESTION = "How does psychodynamic therapy support recovery from addiction?"
FIRST_ANSWER = "Psychodynamic therapy helps you understand the unconscious reasons"
MAX_TABS = 40


@pytest.mark.parametrize("url", ["/", "/therapies/", THERAPY_URL, "/frequently-asked-questions/"])
def test_page_has_no_serious_accessibility_violations(
    page, site_content, assert_no_serious_accessibility_violations, url
):
    page.goto(url)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_open_disclosures_have_no_serious_accessibility_violations(
    page, site_content, assert_no_serious_accessibility_violations
):
    page.goto(THERAPY_URL)
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")

    assert_no_serious_accessibility_violations(page)


def tab_to(page, accessible_text):
    """Press Tab until the focused element reads `accessible_text`; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == accessible_text:
            return page.locator(":focus")
    pytest.fail(f"Tab never reached {accessible_text!r}")


def test_keyboard_user_follows_the_contents_list_and_opens_an_answer(page, site_content):
    page.goto(THERAPY_URL)

    tab_to(page, FIRST_SECTION)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#what-is-psychodynamic-therapy-for-addiction$"))
    expect(page.get_by_role("heading", level=2, name=FIRST_SECTION)).to_be_in_viewport()

    question = tab_to(page, FIRST_QUESTION)
    answer = page.get_by_text(FIRST_ANSWER)
    expect(answer).to_be_hidden()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    expect(page.locator("details", has=question)).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(answer).to_be_hidden()


def test_answers_open_without_javascript(browser, base_url, site_content):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(THERAPY_URL)

    answer = page.get_by_text(FIRST_ANSWER)
    expect(answer).to_be_hidden()
    page.get_by_text(FIRST_QUESTION).click()
    expect(answer).to_be_visible()
    context.close()


def test_faq_index_links_to_each_question_on_its_page(page, site_content):
    page.goto("/frequently-asked-questions/")

    page.get_by_role("link", name=FIRST_QUESTION).click()

    expect(page).to_have_url(re.compile(r"/psychodynamic-therapy-for-addiction/#how-does-psychodynamic"))
    expect(page.get_by_text(FIRST_QUESTION, exact=True)).to_be_in_viewport()


def test_therapy_page_fits_a_320_pixel_screen(page, site_content):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(THERAPY_URL)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
