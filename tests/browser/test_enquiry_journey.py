"""From a therapy page's call to action to a closed enquiry: the visitor's side and the
handler's side, each in its own browser session."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from enquiries.models import Enquiry, Status
from portal.roles import ensure_clinic_administrators_group
from tests.browser.conftest import record_csp_violations
from tests.browser.enquiry_steps import send_enquiry

THERAPY_PAGE = "/therapies/psychodynamic-therapy-for-addiction/"


@pytest.fixture
def handler():
    call_command("create_enquiry_handlers_group", verbosity=0)
    user = get_user_model().objects.create_user("robin", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Enquiry handlers"))
    return user


@pytest.fixture
def clinic_administrator():
    user = get_user_model().objects.create_user("sasha", password="a-long-test-password", is_staff=True)
    user.groups.add(ensure_clinic_administrators_group())
    return user


@pytest.fixture
def sign_in(browser, base_url):
    """A browser session of its own for a member of staff, signed in to the admin."""
    contexts = []

    def signed_in(username):
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("a-long-test-password")
        page.get_by_role("button", name="Log in").click()
        return page

    yield signed_in
    for context in contexts:
        context.close()


@pytest.fixture
def handler_page(sign_in, handler):
    return sign_in("robin")


def send_enquiry_from_therapy_page(page):
    page.goto(THERAPY_PAGE)
    page.get_by_role("link", name="Contact us today").last.click()
    expect(page).to_have_url(re.compile(r"/contact-us/$"))
    send_enquiry(page, name="Alex")
    reference = page.locator(".enquiry-reference")
    expect(reference).to_have_text(re.compile(r"^ENQ-\w{6}$"))
    return reference.inner_text()


def test_visitor_asks_for_help_and_a_handler_assigns_notes_and_closes_it(
    page, csp_violations, handler_page, handler, site_content, settings
):
    # The browser types faster than a person: no minimum fill time here.
    settings.ENQUIRY_MIN_FILL_SECONDS = 0

    reference = send_enquiry_from_therapy_page(page)

    admin = handler_page
    desk_violations = record_csp_violations(admin)
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
    expect(timeline).to_contain_text("opened the enquiry")
    enquiry = Enquiry.objects.get(reference=reference)
    assert (enquiry.status, enquiry.assigned_to) == (Status.CLOSED, handler)
    assert csp_violations == desk_violations == []


def test_a_clinic_administrator_sees_who_opened_an_enquiry_but_not_what_it_says(
    page, handler_page, sign_in, clinic_administrator, site_content, settings
):
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    reference = send_enquiry_from_therapy_page(page)
    handler_page.goto("/admin/enquiries/enquiry/")
    handler_page.get_by_role("link", name=reference).click()
    expect(handler_page.locator(".field-timeline")).to_contain_text("opened the enquiry")

    auditor = sign_in("sasha")
    violations = record_csp_violations(auditor)
    auditor.goto("/admin/")
    auditor.get_by_role("link", name="Audit entries").click()
    auditor.get_by_role("searchbox").fill(reference)
    auditor.keyboard.press("Enter")

    entry = auditor.get_by_role("row", name=re.compile("opened the enquiry"))
    expect(entry).to_contain_text(reference)
    expect(entry).to_contain_text("robin")
    expect(auditor.locator("#result_list")).not_to_contain_text("Alex")
    auditor.goto(f"/admin/enquiries/enquiry/{Enquiry.objects.get(reference=reference).pk}/change/")
    expect(auditor.get_by_text("Access denied")).to_be_visible()
    assert violations == []
