"""The sign-off path in the browser, with neither person a superuser: a content editor changes
a therapy page and submits it, a clinical reviewer approves it from the link in their email,
and visitors then see the change with the review on the page."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_content_editing import (
    NEW_ANSWER,
    THERAPY_URL,
    draft_new_answer,
    faq_answer,
    press_until_shown,
    toolbar,
)
from therapy_pages.editors import ensure_clinical_reviewers_group, ensure_content_editors_group

PASSWORD = "a-long-test-password"


@pytest.fixture
def sign_off_on(settings):
    settings.CLINICAL_SIGN_OFF = True


def staff_member(username, group, **names):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, email=f"{username}@clinic.test", **names
    )
    user.groups.add(group)


def sign_in(page, username, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")


def press(locator):
    """Use a control from the keyboard, as someone who does not use a mouse would."""
    locator.focus()
    locator.press("Enter")


def test_editor_submits_reviewer_approves_and_visitors_see_the_reviewed_change(
    sign_off_on, site_content, page, browser, base_url, assert_no_serious_accessibility_violations
):
    staff_member("editor", ensure_content_editors_group())
    staff_member("reviewer", ensure_clinical_reviewers_group(), first_name="Dr Asha", last_name="Rao")

    sign_in(page, "editor", THERAPY_URL)
    draft_new_answer(page)
    expect(toolbar(page).get_by_text("Publish", exact=True)).to_have_count(0)
    # Saving the answer makes django CMS replace its toolbar: a press on the old one is lost.
    press_until_shown(
        lambda: toolbar(page).get_by_role("link", name="Submit for clinical review").click(),
        page.get_by_role("heading", level=1, name="Submit for clinical review"),
        attempts=3,
        timeout=5000,
    )
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Note for the reviewer (optional)").fill("The answer on cravings is new.")
    press(page.get_by_role("button", name="Submit for clinical review"))
    expect(toolbar(page).get_by_text("Awaiting clinical review")).to_be_visible()

    (email,) = mail.outbox
    link = re.search(r"https?://\S+/review/", email.body).group()
    reviewer = browser.new_context(base_url=base_url).new_page()
    sign_in(reviewer, "reviewer", urlsplit(link).path)
    expect(reviewer.get_by_text("Their note: “The answer on cravings is new.”")).to_be_visible()
    assert_no_serious_accessibility_violations(reviewer)
    expect(reviewer.get_by_label("Your name, as the page shows it")).to_have_value("Dr Asha Rao")
    reviewer.get_by_label("Your role").fill("Consultant psychiatrist")
    press(reviewer.get_by_role("button", name="Approve and publish"))
    expect(reviewer.get_by_text("Approved and published")).to_be_visible()

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(THERAPY_URL)
    expect(faq_answer(visitor)).to_contain_text(NEW_ANSWER)
    expect(visitor.locator(".page-review")).to_contain_text(
        "Reviewed by Dr Asha Rao, Consultant psychiatrist · Page last reviewed: "
        f"{timezone.localdate():%-d %B %Y}"
    )
