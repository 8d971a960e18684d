"""A content editor builds a therapy page like the seed's with the create wizard and
publishes it, within the action budget: every click, fill and key press counts."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.actions import Actions
from tests.browser.toolbar import toolbar
from therapy_pages.editors import ensure_content_editors_group

ACTION_BUDGET = 25
TITLE = "Cognitive behavioural therapy for addiction"
SUMMARY = "How CBT helps you notice and change the thoughts that keep an addiction going."
SECTIONS = "What is CBT?\nHow does CBT work?\n- Spotting triggers\n- Trying new responses"
QUESTIONS = "How long does CBT take?\nCan I do CBT online?"


@pytest.fixture
def editor(page, site_content):
    user = get_user_model().objects.create_user(username="editor", password="editor-password", is_staff=True)
    user.groups.add(ensure_content_editors_group())
    page.goto("/admin/login/?next=/therapies/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".cms-toolbar")).to_be_visible()
    return page


def modal(page):
    return page.frame_locator(".cms-modal-frame iframe")


def save_modal(actions, page):
    actions.click(page.locator(".cms-modal-buttons").get_by_text("Save", exact=True))
    expect(page.locator(".cms-modal")).to_be_hidden()


def test_editor_builds_and_publishes_a_therapy_page_within_the_budget(editor, browser, base_url):
    page, actions = editor, Actions()

    actions.click(toolbar(page).get_by_role("link", name="Create"))
    actions.click(modal(page).get_by_text("New therapy page", exact=True))
    actions.click(page.locator(".cms-modal-buttons").get_by_text("Next", exact=True))
    form = modal(page)
    actions.fill(form.get_by_label("Title"), TITLE)
    actions.fill(form.get_by_label("Summary"), SUMMARY)
    actions.type_into(page, form.locator("[contenteditable=true]"), "CBT is a talking therapy.")
    actions.fill(form.get_by_label('Sections under "On this page"'), SECTIONS)
    actions.fill(form.get_by_label("Frequently asked questions"), QUESTIONS)
    actions.click(page.locator(".cms-modal-buttons").get_by_text("Create", exact=True))
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    for point in ("Spotting triggers", "Trying new responses"):
        actions.open_plugin(page, page.locator(".titled-point", has_text=point).first)
        actions.type_into(page, modal(page).locator("[contenteditable=true]"), f"About {point.lower()}.")
        save_modal(actions, page)
    for question in ("How long does CBT take?", "Can I do CBT online?"):
        actions.open_plugin(page, page.locator("summary", has_text=question))
        actions.type_into(page, modal(page).locator("[contenteditable=true]"), f"Answer to {question}")
        save_modal(actions, page)
    actions.click(toolbar(page).get_by_text("Publish", exact=True))
    expect(page.locator(".cms-toolbar").get_by_text(re.compile(r"\(Published\)"))).to_be_visible()

    print(f"\nactions to build and publish a seed-like therapy page: {actions.count}")
    assert actions.count <= ACTION_BUDGET
    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto("/therapies/")
    expect(visitor.locator("main")).to_contain_text(SUMMARY)
    visitor.get_by_role("link", name=TITLE).click()
    main = visitor.locator("main")
    for text in (
        "What is CBT?",
        "About spotting triggers.",
        "Answer to Can I do CBT online?",
        "Contact us today",
    ):
        expect(main).to_contain_text(text)
    expect(visitor.get_by_role("link", name="Contact us today")).to_have_attribute("href", "/contact-us/")
