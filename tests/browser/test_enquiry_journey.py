"""From a therapy page's call to action to a closed enquiry: the visitor's side and the
handler's side, each in its own browser session."""

import re
from datetime import timedelta
from urllib.parse import quote_plus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import AttemptOutcome, Enquiry, Status
from enquiries.services import enquiry_assign, enquiry_change_status, enquiry_record_attempt, enquiry_submit
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
    site_content,
    page,
    csp_violations,
    handler_page,
    handler,
    settings,
    assert_no_serious_accessibility_violations,
):
    """On a desktop screen, with the mouse (the keyboard journey below runs on a phone)."""
    # The browser types faster than a person: no minimum fill time here.
    settings.ENQUIRY_MIN_FILL_SECONDS = 0

    reference = send_enquiry_from_therapy_page(page)

    admin = handler_page
    desk_violations = record_csp_violations(admin)
    admin.goto("/admin/")
    expect(admin.get_by_role("row", name="New 1")).to_be_visible()
    assert_no_serious_accessibility_violations(admin)
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
    assert_no_serious_accessibility_violations(admin)
    enquiry = Enquiry.objects.get(reference=reference)
    assert (enquiry.status, enquiry.assigned_to) == (Status.CLOSED, handler)
    assert csp_violations == desk_violations == []


def test_a_clinic_administrator_sees_who_opened_an_enquiry_but_not_what_it_says(
    site_content, page, handler_page, sign_in, clinic_administrator, settings
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
    auditor.goto(admin_change_url(reference))
    expect(auditor.get_by_text("Access denied")).to_be_visible()
    assert violations == []


PHONE = {"width": 390, "height": 844}
NARROWEST_PHONE = {"width": 320, "height": 640}


def press(page, locator, key="Enter"):
    """Keyboard only: move the focus to the control, then press it."""
    locator.focus()
    page.keyboard.press(key)


def assert_fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.fixture
def shift(handler):
    """A handler's shift: a retry that has come round, a caller held by a colleague, and spam."""
    now = timezone.now()
    colleague = get_user_model().objects.create_user(
        "kim", email="kim@clinic.example", password="a-long-test-password", is_staff=True
    )
    colleague.groups.add(Group.objects.get(name="Enquiry handlers"))
    retry = submit_enquiry(name="Pat", phone="+447400111222", received_at=now - timedelta(hours=5))
    enquiry_assign(enquiry=retry, assignee=handler, by=handler)
    enquiry_record_attempt(
        enquiry=retry,
        outcome=AttemptOutcome.NO_ANSWER,
        next_attempt_at=now - timedelta(minutes=20),
        by=handler,
    )
    enquiry_change_status(enquiry=retry, status=Status.IN_PROGRESS, by=handler)
    caller = submit_enquiry(name="Siobh\u00e1n O\u2019N\u00e9ill", phone="+447400881234", received_at=now)
    enquiry_assign(enquiry=caller, assignee=colleague, by=colleague)
    junk = submit_enquiry(name="Cheap pills", phone="+447400999000", received_at=now)
    return {"retry": retry.reference, "caller": caller.reference, "junk": junk.reference}


def submit_enquiry(*, name, phone, received_at):
    details = {
        "name": name,
        "contact_method": "phone",
        "phone": phone,
        "email": "",
        "best_time_to_call": "After 6pm",
        "voicemail_safe": "no",
        "text_safe": "yes",
        "preferred_language": "",
        "enquirer": "myself",
        "topics": ["alcohol"],
        "message": "",
    }
    return enquiry_submit(details=details, submission_key=name, now=received_at).enquiry


def test_a_handlers_shift_by_keyboard_on_a_phone(
    browser, base_url, shift, assert_no_serious_accessibility_violations, mailoutbox
):
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    admin = context.new_page()
    violations = record_csp_violations(admin)
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("robin")
    admin.get_by_label("Password").fill("a-long-test-password")
    admin.keyboard.press("Enter")

    # Signed in, the handler lands on what needs them now: their retry is overdue.
    queue = admin.locator("#needs-action")
    retry_card = queue.get_by_role("listitem").filter(has_text=shift["retry"])
    expect(retry_card).to_contain_text("overdue by 20 min")
    expect(retry_card).to_contain_text("In progress, yours")
    expect(retry_card).to_contain_text("Voicemail safe: NO")
    assert_no_serious_accessibility_violations(admin)
    assert_fits_the_screen(admin)

    # A voicemail, with the suggested next attempt.
    press(admin, retry_card.get_by_role("link", name=re.compile("Open the enquiry")))
    admin.get_by_label("Contact attempt").select_option(label="Left a voicemail")
    press(admin, admin.get_by_role("button", name="Save and continue editing"))
    expect(admin.locator(".field-timeline")).to_contain_text(
        "contact attempt: Left a voicemail; next attempt"
    )
    expect(admin.locator(".field-at_a_glance")).to_contain_text("due in 1 h")
    assert_no_serious_accessibility_violations(admin)
    assert_fits_the_screen(admin)

    # The caller is found without accents, and by part of their number.
    admin.goto("/admin/enquiries/enquiry/")
    for term in ("O'Neill", "7400 88"):
        admin.locator("#searchbar").fill(term)
        admin.keyboard.press("Enter")
        admin.wait_for_url(re.compile(r"\?q=" + re.escape(quote_plus(term))))
        expect(admin.locator("#result_list")).to_contain_text(shift["caller"])
        expect(admin.locator("#result_list")).not_to_contain_text(shift["retry"])
    assert_fits_the_screen(admin)

    # Taking it from a colleague asks first, and the colleague is told.
    press(admin, admin.locator("#result_list").get_by_role("link", name=shift["caller"]))
    take = admin.get_by_role("button", name="Assign to me and save")
    press(admin, take)
    expect(admin.get_by_text("kim has this enquiry. Tick the box to take it over")).to_be_visible()
    press(admin, admin.get_by_label("Yes, take this enquiry over from my colleague"), " ")
    press(admin, admin.get_by_role("button", name="Assign to me and save"))
    expect(admin.get_by_text("changed successfully")).to_be_visible()
    [email] = mailoutbox
    assert email.to == ["kim@clinic.example"] and shift["caller"] in email.subject
    assert "Siobh" not in email.body

    # A colleague saves meanwhile; the clash is recovered without retyping the note.
    press(admin, admin.locator("#result_list").get_by_role("link", name=shift["caller"]))
    admin.wait_for_url(re.compile(r"/change/"))
    other_tab = context.new_page()
    other_tab.goto(admin.url)
    other_tab.get_by_label("Status").select_option(label="In progress")
    press(other_tab, other_tab.get_by_role("button", name="Save and continue editing"))
    expect(other_tab.get_by_text("changed successfully")).to_be_visible()
    admin.get_by_label("Add a note").fill("Asked for a call after six")
    admin.get_by_label("Status").select_option(label="Contacted")
    press(admin, admin.get_by_role("button", name="Save and continue editing"))
    expect(admin.get_by_text("Someone else saved this enquiry after you opened it")).to_be_visible()
    expect(admin.get_by_label("Status")).to_have_value("in_progress")
    press(admin, admin.get_by_role("button", name="Load the latest and keep my note"))
    expect(admin.get_by_label("Add a note")).to_have_value("Asked for a call after six")
    press(admin, admin.get_by_role("button", name="Save and continue editing"))
    expect(admin.locator(".field-timeline")).to_contain_text("note: Asked for a call after six")

    # Spam, confirmed, then undone.
    admin.goto("/admin/enquiries/enquiry/")
    junk_row = admin.get_by_role("row", name=re.compile(shift["junk"]))
    press(admin, junk_row.get_by_role("checkbox"), " ")
    admin.get_by_label("Action:").select_option(label="Mark as spam")
    press(admin, admin.get_by_role("button", name="Go"))
    expect(admin.get_by_role("heading", name="Mark as spam?")).to_be_visible()
    assert_no_serious_accessibility_violations(admin)
    press(admin, admin.get_by_role("button", name="Yes, mark as spam"))
    expect(admin.locator("#result_list")).not_to_contain_text(shift["junk"])
    press(admin, admin.locator("#changelist-filter").get_by_role("link", name="Spam", exact=True))
    press(admin, admin.get_by_role("row", name=re.compile(shift["junk"])).get_by_role("checkbox"), " ")
    admin.get_by_label("Action:").select_option(label="Not spam: restore to New")
    press(admin, admin.get_by_role("button", name="Go"))
    expect(admin.get_by_text("1 enquiry restored to New.")).to_be_visible()
    assert Enquiry.objects.get(reference=shift["junk"]).status == Status.NEW

    # The narrowest phones still get every page without sideways scrolling.
    admin.set_viewport_size(NARROWEST_PHONE)
    for address in ("/admin/", "/admin/enquiries/enquiry/", admin_change_url(shift["caller"])):
        admin.goto(address)
        assert_fits_the_screen(admin)
    assert violations == []
    context.close()


def admin_change_url(reference):
    return f"/admin/enquiries/enquiry/{Enquiry.objects.get(reference=reference).pk}/change/"
