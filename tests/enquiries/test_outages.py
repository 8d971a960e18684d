"""Nothing lost and nothing down when Redis, the mail server or the staff email's sender fails.

Each outage is real: the portal's own settings pointed at a loopback port that refuses
connections, or at a server that accepts them and never answers (tests/outages.py)."""

import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client

from enquiries.models import Enquiry
from tests.enquiries.conftest import valid_form_data
from tests.enquiries.test_sending import hidden_value

pytestmark = pytest.mark.django_db

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
THERAPY_TEXT = "Psychodynamic therapy for addiction focuses on the causes of drug, alcohol"


def send_from_the_contact_page(visitor, **overrides):
    """Open the contact page and send its form, as a person would. The response."""
    page = visitor.get("/contact-us/")
    assert page.status_code == 200
    data = valid_form_data(
        csrfmiddlewaretoken=hidden_value(page.text, "csrfmiddlewaretoken"),
        form_token=hidden_value(page.text, "form_token"),
        **overrides,
    )
    return visitor.post("/enquiries/send/", data)


def staff_desk_lists(handler_client, enquiry):
    return enquiry.reference in handler_client.get("/admin/enquiries/enquiry/").text


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings):
    """The form is sent straight after the page is opened: not a sign of a program here."""
    settings.ENQUIRY_MIN_FILL_SECONDS = 0


@pytest.fixture
def sender_stopped(settings):
    """Staff are emailed by the sender, not the request, and it runs only when the test says."""
    settings.ENQUIRY_NOTIFY_DURING_REQUEST = False


def run_sender_once():
    call_command("send_enquiry_notifications", verbosity=0)


def test_pages_render_from_the_database_while_redis_is_down(site_content, redis_down, caplog):
    visitor = Client()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        pages = [visitor.get(url) for url in ["/", THERAPY_URL, THERAPY_URL, "/frequently-asked-questions/"]]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert THERAPY_TEXT in pages[1].text
    assert THERAPY_TEXT in pages[2].text
    # Once per pause, not once per cache call or per page.
    assert [record.getMessage()[:17] for record in caplog.records] == ["Cache unavailable"]


def test_an_enquiry_sent_while_redis_is_down_is_saved_and_staff_are_told(
    site_content,
    redis_down,
    notify_staff,
    mailoutbox,
    handler_client,
    caplog,
    django_capture_on_commit_callbacks,
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = send_from_the_contact_page(Client(enforce_csrf_checks=True), name="Robin")

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.name == "Robin"
    assert [email.subject for email in mailoutbox] == [f"New enquiry {enquiry.reference}"]
    # Both steps of the limit say why they were skipped, naming the error and nothing else.
    for step in ["Enquiry rate limit not applied", "Enquiry not counted for the rate limit"]:
        assert any(
            re.fullmatch(rf"{step}: cache unavailable \((?!None)\w+\)", line) for line in caplog.messages
        )
    assert "Robin" not in caplog.text
    assert staff_desk_lists(handler_client, enquiry)


def test_an_enquiry_sent_while_the_mail_server_is_down_waits_for_it_without_the_visitor(
    contact_page, smtp_down, sender_stopped, notify_staff, settings, handler_client
):
    response = send_from_the_contact_page(Client(enforce_csrf_checks=True))

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    # The request only saved the enquiry: it never spoke to the mail server.
    assert enquiry.notification_attempts == 0

    with pytest.raises(SystemExit) as failed:
        run_sender_once()

    assert failed.value.code == 1
    enquiry.refresh_from_db()
    assert (enquiry.notification_attempts, enquiry.staff_notified_at) == (1, None)
    assert staff_desk_lists(handler_client, enquiry)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_sender_once()

    enquiry.refresh_from_db()
    assert enquiry.staff_notified_at is not None


def test_nothing_is_lost_while_the_sender_is_stopped(
    client, sender_stopped, notify_staff, mailoutbox, enquiry_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = [client.post("/enquiries/send/", enquiry_data(name=f"Sender {n}")) for n in range(3)]

    assert [response.status_code for response in sent] == [302, 302, 302]
    assert mailoutbox == []
    assert Enquiry.objects.awaiting_notification().count() == 3

    run_sender_once()

    assert sorted(email.subject for email in mailoutbox) == sorted(
        f"New enquiry {reference}" for reference in Enquiry.objects.values_list("reference", flat=True)
    )
    assert not Enquiry.objects.awaiting_notification().exists()
