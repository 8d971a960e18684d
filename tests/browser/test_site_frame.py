import re

from playwright.sync_api import expect


def test_keyboard_user_skips_straight_to_main_content(page, site_content):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_home_page_has_no_serious_accessibility_violations(
    page, site_content, assert_no_serious_accessibility_violations
):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_accessibility_violations(page)


def test_home_page_fits_a_320_pixel_screen(page, site_content):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    body_font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_font_size >= 16


def test_public_pages_break_no_content_security_rule(page, site_content, csp_violations):
    for path in [
        "/",
        "/therapies/",
        "/therapies/psychodynamic-therapy-for-addiction/",
        "/frequently-asked-questions/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/contact-us/")
    page.get_by_role("button", name="Send enquiry").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto("/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    assert csp_violations == []
