"""Nothing lost and nothing down when Redis, the mail server or the task worker fails.

Each outage is real: the portal's own settings pointed at a loopback port that refuses
connections, or at a server that accepts them and never answers (tests/outages.py)."""

import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from enquiries.models import Enquiry
from tests.enquiries.conftest import valid_form_data
from tests.enquiries.test_sending import hidden_value

pytestmark = pytest.mark.django_db

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
THERAPY_TEXT = "Psychodynamic therapy for addiction focuses on the causes of drug, alcohol"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


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
def worker_down(settings):
    """Tasks are kept in the database, and no worker runs them until the test says so."""
    settings.TASKS = DATABASE_TASKS


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


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


# The worker closes database connections between tasks, so it runs outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_an_enquiry_sent_while_the_mail_server_is_down_waits_for_it_without_the_visitor(
    contact_page, smtp_down, worker_down, notify_staff, settings, handler_client
):
    response = send_from_the_contact_page(Client(enforce_csrf_checks=True))

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    # The request only queued the email: it never spoke to the mail server.
    assert enquiry.notification_attempts == 0
    assert DBTaskResult.objects.get().status == "READY"

    run_worker()

    enquiry.refresh_from_db()
    assert (enquiry.notification_attempts, enquiry.staff_notified_at) == (1, None)
    assert staff_desk_lists(handler_client, enquiry)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_enquiry_notifications", verbosity=0)

    enquiry.refresh_from_db()
    assert enquiry.staff_notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_while_the_worker_is_down(
    client, worker_down, notify_staff, mailoutbox, enquiry_data
):
    sent = [client.post("/enquiries/send/", enquiry_data(name=f"Sender {n}")) for n in range(3)]

    assert [response.status_code for response in sent] == [302, 302, 302]
    assert mailoutbox == []
    assert Enquiry.objects.awaiting_notification().count() == 3

    run_worker()

    assert sorted(email.subject for email in mailoutbox) == sorted(
        f"New enquiry {reference}" for reference in Enquiry.objects.values_list("reference", flat=True)
    )
    assert not Enquiry.objects.awaiting_notification().exists()


def assert_logged_not_queued_with_its_cause(caplog, enquiry):
    """One error, naming the enquiry by its reference, with the queue's own error attached
    for whoever mends the queue."""
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.getMessage() == f"Staff notification for enquiry {enquiry.reference} not queued"
    assert error.exc_info is not None


def test_an_enquiry_whose_task_was_never_queued_is_saved_and_sent_by_the_retry_command(
    client, settings, notify_staff, mailoutbox, enquiry_data, caplog
):
    """The task goes into the enquiry's own transaction, in a savepoint of its own: a queue
    that fails takes only the task down with it."""
    settings.TASKS = {"default": {**DATABASE_TASKS["default"], "QUEUES": ["elsewhere"]}}

    with caplog.at_level(logging.ERROR):
        response = client.post("/enquiries/send/", enquiry_data(name="Robin"))

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert not DBTaskResult.objects.exists()
    assert_logged_not_queued_with_its_cause(caplog, enquiry)
    assert "Robin" not in caplog.text
    call_command("retry_enquiry_notifications", verbosity=0)
    [email] = mailoutbox
    assert email.subject == f"New enquiry {enquiry.reference}"


def test_an_enquiry_whose_task_the_database_refuses_is_saved_and_sent_by_the_retry_command(
    client, settings, notify_staff, mailoutbox, enquiry_data, caplog
):
    """The task goes into the enquiry's own transaction without a savepoint: a database that
    refuses the task spoils the transaction, and the enquiry is saved again without it."""
    settings.TASKS = DATABASE_TASKS
    tasks_table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{tasks_table}" RENAME TO "tasks_out_of_reach"')

    with caplog.at_level(logging.ERROR):
        response = client.post("/enquiries/send/", enquiry_data(name="Robin"))

    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "tasks_out_of_reach" RENAME TO "{tasks_table}"')
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.name == "Robin"
    assert not DBTaskResult.objects.exists()
    assert_logged_not_queued_with_its_cause(caplog, enquiry)
    assert "Robin" not in caplog.text
    call_command("retry_enquiry_notifications", verbosity=0)
    [email] = mailoutbox
    assert email.subject == f"New enquiry {enquiry.reference}"
