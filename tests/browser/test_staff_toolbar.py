import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.test_content_editing import preview
from tests.browser.toolbar import toolbar


@pytest.fixture
def staff_page(page):
    get_user_model().objects.create_superuser("webmaster", "", "a-long-test-password")
    page.goto("/admin/login/?next=/")
    page.get_by_label("Username").fill("webmaster")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    return page


def open_new_draft_of_home(page):
    page.goto("/")
    toolbar(page).get_by_role("link", name=re.compile("new draft", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/edit/"))


def test_staff_can_edit_see_structure_and_preview_through_the_toolbar(
    site_content, staff_page, csp_violations
):
    page = staff_page
    open_new_draft_of_home(page)
    expect(toolbar(page).get_by_text("Version #2 (Draft)")).to_be_visible()

    toolbar(page).locator(".cms-toolbar-item-cms-mode-switcher a").first.click()
    structure = page.locator(".cms-structure")
    expect(structure).to_be_visible()
    expect(structure).to_contain_text("Content")
    expect(structure).to_contain_text("Information and support")

    preview(page)
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()
    assert csp_violations == []


def test_structure_mode_opened_directly_shows_the_board_with_nothing_blocked(
    site_content, staff_page, csp_violations
):
    page = staff_page
    open_new_draft_of_home(page)
    structure_url = page.locator(".cms-toolbar-item-cms-mode-switcher a").first.get_attribute("href")

    page.goto(structure_url)

    expect(page.locator(".cms-structure")).to_contain_text("Information and support")
    assert csp_violations == []


def test_visitors_never_see_the_toolbar(page, site_content):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".cms-toolbar")).to_have_count(0)
