"""From a therapy page's call to action to a closed enquiry: the visitor's side and the
handler's side, each in its own browser session."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from enquiries.models import Enquiry, Status
from tests.browser.enquiry_steps import send_enquiry

THERAPY_PAGE = "/therapies/psychodynamic-therapy-for-addiction/"


@pytest.fixture
def handler():
    call_command("create_enquiry_handlers_group", verbosity=0)
    user = get_user_model().objects.create_user("robin", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Enquiry handlers"))
    return user


@pytest.fixture
def handler_page(browser, base_url, handler):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    yield page
    context.close()


def send_enquiry_from_therapy_page(page):
    page.goto(THERAPY_PAGE)
    page.get_by_role("link", name="Contact us today").last.click()
    expect(page).to_have_url(re.compile(r"/contact-us/$"))
    send_enquiry(page, name="Alex")
    reference = page.locator(".enquiry-reference")
    expect(reference).to_have_text(re.compile(r"^ENQ-\w{6}$"))
    return reference.inner_text()


def test_visitor_asks_for_help_and_a_handler_assigns_notes_and_closes_it(
    page, handler_page, handler, site_content, settings
):
    # The browser types faster than a person: no minimum fill time here.
    settings.ENQUIRY_MIN_FILL_SECONDS = 0

    reference = send_enquiry_from_therapy_page(page)

    admin = handler_page
    admin.goto("/admin/")
    expect(admin.get_by_role("row", name="New 1")).to_be_visible()
    admin.goto("/admin/enquiries/enquiry/")
    admin.get_by_role("searchbox").fill(reference)
    admin.keyboard.press("Enter")
    row = admin.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("Alex")
    row.get_by_role("checkbox").check()
    admin.get_by_label("Action:").select_option(label="Assign to me")
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("1 enquiry assigned to you.")).to_be_visible()

    admin.get_by_role("link", name=reference).click()
    admin.get_by_label("Add a note").fill("Called back; booked an assessment.")
    admin.get_by_label("Status").select_option(label="Closed")
    admin.get_by_role("button", name="Save and continue editing").click()

    timeline = admin.locator(".field-timeline")
    expect(timeline).to_contain_text("Called back; booked an assessment.")
    expect(timeline).to_contain_text("robin")
    enquiry = Enquiry.objects.get(reference=reference)
    assert (enquiry.status, enquiry.assigned_to) == (Status.CLOSED, handler)
