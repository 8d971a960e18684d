"""A content editor, not a superuser, edits, publishes, compares and reverts on the page itself."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.toolbar import toolbar
from therapy_pages.editors import ensure_content_editors_group

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
QUESTION = "Can psychodynamic therapy assist with managing cravings?"
OLD_ANSWER = "Yes, but indirectly."
NEW_ANSWER = "Yes. Your therapist can talk this through with you at your first session."


@pytest.fixture
def editor_page(page, site_content):
    editor = get_user_model().objects.create_user(
        username="editor", password="editor-password", is_staff=True
    )
    editor.groups.add(ensure_content_editors_group())
    page.goto(f"/admin/login/?next={THERAPY_URL}")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".cms-toolbar")).to_be_visible()
    return page


@pytest.fixture
def visitor_reads(browser, base_url):
    """Open a page as a visitor who never logged in, in a fresh browser each time: pages
    may be kept by the browser for the CMS's cache lifetime, which would hide a change."""
    contexts = []

    def read(url):
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield read
    for context in contexts:
        context.close()


def faq_answer(page):
    return page.locator("details.faq", has_text=QUESTION).locator(".faq__answer")


def press_until(press, arrived, *, attempts):
    """Press, and again while `arrived` (which waits, then raises Playwright's timeout) says
    the press did not take: a press that lands while django CMS is still binding the page,
    or replacing its toolbar, does nothing."""
    for _attempt in range(attempts - 1):
        press()
        try:
            arrived()
            return
        except PlaywrightTimeoutError:
            continue
    press()
    arrived()


def press_until_shown(press, shown, *, attempts, timeout):
    press_until(press, lambda: shown.wait_for(state="visible", timeout=timeout), attempts=attempts)


def preview(page):
    """Press the toolbar's Preview, and land on the preview."""
    press_until(
        toolbar(page).get_by_role("link", name="Preview", exact=True).click,
        lambda: page.wait_for_url(re.compile(r"/preview/"), timeout=5000),
        attempts=4,
    )


def open_plugin_window(page, plugin):
    """Double-click a plugin to open its editing window."""
    press_until_shown(plugin.dblclick, page.locator(".cms-modal"), attempts=5, timeout=3000)


def draft_new_answer(page):
    """Start a draft from the toolbar and rewrite the answer in the plugin's editor."""
    toolbar(page).get_by_role("link", name=re.compile("new draft", re.IGNORECASE)).click()
    expect(toolbar(page).get_by_text("Version #2 (Draft)")).to_be_visible()
    open_plugin_window(page, page.locator("summary", has_text=QUESTION))
    editor = page.frame_locator(".cms-modal-frame iframe").locator("[contenteditable=true]")
    # The plugin window loads its editor in a frame: slow when the machine is busy.
    expect(editor).to_contain_text(OLD_ANSWER, timeout=20_000)
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_ANSWER)
    page.locator(".cms-modal-buttons").get_by_text("Save", exact=True).click()
    expect(faq_answer(page)).to_contain_text(NEW_ANSWER)


def publish(page, version_number):
    """Press the toolbar's Publish; after a save, the one on the toolbar that replaced it."""

    def press_publish():
        button = toolbar(page).get_by_text("Publish", exact=True)
        if button.is_visible():
            button.click()

    published = toolbar(page).get_by_text(f"Version #{version_number} (Published)")
    press_until_shown(press_publish, published, attempts=4, timeout=8000)


def versions_menu_link(page, name):
    """Where the version menu's link `name` leads. A click that lands while django CMS is
    still binding the toolbar, or replacing it after a save, opens nothing: try again."""
    link = toolbar(page).get_by_role("link", name=name)
    for _attempt in range(10):
        if not link.is_visible():
            toolbar(page).get_by_text(re.compile(r"^Version #")).click()
        try:
            link.wait_for(state="visible", timeout=2000)
            return link.get_attribute("href", timeout=2000)
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"The version menu never showed {name!r}")


def test_editor_changes_an_faq_answer_and_visitors_see_it_only_once_published(
    editor_page, visitor_reads, csp_violations
):
    draft_new_answer(editor_page)
    preview(editor_page)
    expect(faq_answer(editor_page)).to_contain_text(NEW_ANSWER)
    toolbar(editor_page).get_by_role("link", name="Edit", exact=True).click()

    before_publishing = visitor_reads(THERAPY_URL)
    expect(faq_answer(before_publishing)).to_contain_text(OLD_ANSWER)
    expect(faq_answer(before_publishing)).not_to_contain_text(NEW_ANSWER)

    publish(editor_page, 2)

    after_publishing = visitor_reads(THERAPY_URL)
    expect(faq_answer(after_publishing)).to_contain_text(NEW_ANSWER)
    expect(faq_answer(after_publishing)).not_to_contain_text(OLD_ANSWER)
    assert csp_violations == []


def test_editor_compares_versions_and_publishes_an_earlier_one_in_one_step(
    editor_page, visitor_reads, csp_violations
):
    page = editor_page
    draft_new_answer(page)
    publish(page, 2)

    page.goto(versions_menu_link(page, "Compare to Version #1"))
    expect(page.get_by_text("Comparing Version #1")).to_be_visible()

    page.goto(THERAPY_URL)
    page.goto(versions_menu_link(page, "Manage Versions..."))
    first_version = page.locator(
        "#result_list tr", has=page.locator("td.field-state", has_text="Unpublished")
    )
    first_version.get_by_title("Revert").click()
    page.get_by_role("button", name="Publish this version").click()
    expect(
        page.get_by_text("Version #1 is published again, as Version #3: visitors see it now.")
    ).to_be_visible()

    expect(faq_answer(visitor_reads(THERAPY_URL))).to_contain_text(OLD_ANSWER)
    assert csp_violations == []


def test_editor_opens_the_crisis_box_from_any_page_and_cannot_unpublish_it(editor_page, visitor_reads):
    page = editor_page
    toolbar(page).get_by_role("link", name="Crisis support box").click()

    expect(page.get_by_role("heading", level=1, name="Crisis support box")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Samaritans: call 116 123")
    assert page.locator("main").inner_text().count("Samaritans") == 1
    page.goto(versions_menu_link(page, "Manage Versions..."))
    published = page.locator("#result_list tr", has=page.locator("td.field-state", has_text="Published"))
    expect(published.locator(".cms-action-unpublish")).to_have_class(re.compile("inactive"))

    expect(visitor_reads(THERAPY_URL).locator("aside.crisis-support")).to_contain_text("116 123")
