"""The enquiry form in a real browser: keyboard only, and checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry, Status
from tests.browser.enquiry_steps import send_enquiry
from tests.enquiries.conftest import create_contact_page

MAX_TAB_PRESSES = 60


@pytest.fixture
def contact_page(make_page, staff_author, settings):
    # The browser types faster than a person: no minimum fill time here.
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    create_contact_page(make_page, staff_author)
    return "/contact-us/"


def tab_to(page, selector):
    """Press Tab until the element is focused, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(MAX_TAB_PRESSES):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_enquiry_with_one_error_corrected(page, contact_page):
    page.goto(contact_page)

    tab_to(page, "#id_name")
    page.keyboard.type("Sam")
    tab_to(page, "#id_contact_method_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_phone")
    page.keyboard.type("12345")
    tab_to(page, "#id_enquirer_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_topics_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_message")
    page.keyboard.type("I would like to talk.")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator(".enquiry-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a phone number we can call")
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value("Sam")
    expect(page.locator("#id_consent")).to_be_checked()

    tab_to(page, ".enquiry-error-summary a[href='#id_phone']")
    page.keyboard.press("Enter")
    tab_to(page, "#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("07400 123456")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your enquiry has reached us")
    enquiry = Enquiry.objects.get()
    expect(page.locator(".enquiry-reference")).to_have_text(enquiry.reference)
    assert re.fullmatch(r"ENQ-[2-9A-HJKMNP-TV-Z]{6}", enquiry.reference)
    assert (enquiry.status, str(enquiry.phone), enquiry.name) == (Status.NEW, "+447400123456", "Sam")


def test_form_has_no_serious_accessibility_violations(
    page, contact_page, assert_no_serious_accessibility_violations
):
    page.goto(contact_page)

    expect(page.get_by_role("button", name="Send enquiry")).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_form_with_errors_has_no_serious_accessibility_violations(
    page, contact_page, assert_no_serious_accessibility_violations
):
    page.goto(contact_page)
    page.get_by_role("button", name="Send enquiry").click()

    expect(page.locator(".enquiry-error-summary")).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_thank_you_page_has_no_serious_accessibility_violations(
    page, contact_page, assert_no_serious_accessibility_violations
):
    page.goto(contact_page)
    send_enquiry(page)

    expect(page.locator(".enquiry-reference")).to_be_visible()
    assert_no_serious_accessibility_violations(page)
