"""Staff are told an enquiry arrived, with nothing personal in the email; failures are retried."""

import io
import logging
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from enquiries.models import Enquiry, Status
from enquiries.services import Notification, enquiries_notify_staff_of_waiting, enquiry_notify_staff
from tests.enquiries import committed_check_email_backend
from tests.enquiries.conftest import EnquiryFactory, valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"


def send_enquiry(client, capture_on_commit, **overrides):
    with capture_on_commit(execute=True):
        response = client.post(SEND_URL, valid_form_data(**overrides))
    assert response.status_code == 302
    return Enquiry.objects.latest("received_at")


def test_staff_email_carries_only_reference_time_and_link(
    client, mailoutbox, notify_staff, django_capture_on_commit_callbacks
):
    enquiry = send_enquiry(
        client,
        django_capture_on_commit_callbacks,
        name="Zebedee",
        contact_method="either",
        email="zebedee@example.com",
        message="my private words",
        best_time_to_call="teatime",
    )

    [email] = mailoutbox
    assert email.to == ["triage@clinic.example"]
    assert email.subject == f"New enquiry {enquiry.reference}"
    received = timezone.localtime(enquiry.received_at)
    assert email.body == (
        f"A new enquiry, {enquiry.reference}, arrived on {date_format(received, 'j F Y')} at "
        f"{received:%H:%M}.\n\n"
        "Open it here (staff sign-in needed):\n"
        f"https://portal.example/admin/enquiries/enquiry/{enquiry.pk}/change/\n"
    )
    text = email.subject + email.body
    for personal in ["Zebedee", "zebedee", "7400123456", "my private words", "teatime", "Alcohol", "alcohol"]:
        assert personal not in text
    enquiry.refresh_from_db()
    assert enquiry.staff_notified_at is not None


def test_failed_email_keeps_the_enquiry_and_marks_it_not_yet_notified(
    client, mailoutbox, failing_mail_server, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING):
        enquiry = send_enquiry(client, django_capture_on_commit_callbacks, name="Zebedee")

    assert (enquiry.status, enquiry.staff_notified_at, enquiry.notification_attempts) == (Status.NEW, None, 1)
    assert enquiry.notification_claimed_until is None
    assert f"Could not notify staff of enquiry {enquiry.reference}" in caplog.text
    assert "Zebedee" not in caplog.text


def test_retry_command_sends_once_the_mail_server_is_back(
    client, mailoutbox, failing_mail_server, django_capture_on_commit_callbacks, settings
):
    enquiry = send_enquiry(client, django_capture_on_commit_callbacks)
    with pytest.raises(SystemExit):
        call_command("send_enquiry_notifications")
    assert mailoutbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    output = io.StringIO()
    call_command("send_enquiry_notifications", stdout=output)
    call_command("send_enquiry_notifications")

    assert output.getvalue() == "Staff notified of 1 enquiries; 0 failed; 0 being sent elsewhere.\n"

    [email] = mailoutbox
    assert enquiry.reference in email.subject
    enquiry.refresh_from_db()
    assert enquiry.staff_notified_at is not None
    assert enquiry.notification_attempts == 3


def test_retry_skips_an_enquiry_another_sender_has_claimed(mailoutbox, notify_staff):
    now = timezone.now()
    claimed = EnquiryFactory(notification_claimed_until=now + timedelta(minutes=1))
    lapsed = EnquiryFactory(notification_claimed_until=now - timedelta(minutes=1))

    outcomes = enquiries_notify_staff_of_waiting(now=now)

    assert outcomes == {Notification.SENT: 1, Notification.SKIPPED: 1}
    assert [email.subject for email in mailoutbox] == [f"New enquiry {lapsed.reference}"]
    claimed.refresh_from_db()
    assert claimed.staff_notified_at is None


def test_an_email_sent_days_later_says_when_the_enquiry_arrived(mailoutbox, notify_staff):
    """A retried email goes out long after the enquiry came in: its time is the arrival's."""
    arrived = timezone.localtime(timezone.now() - timedelta(days=3, hours=2))
    enquiry = EnquiryFactory(received_at=arrived)

    enquiries_notify_staff_of_waiting()

    [email] = mailoutbox
    assert email.subject == f"New enquiry {enquiry.reference}"
    assert f"arrived on {date_format(arrived, 'j F Y')} at {arrived:%H:%M}.\n" in email.body


@pytest.mark.parametrize("base_url", ["https://portal.example/", "https://portal.example//"])
def test_the_link_is_whole_when_the_address_is_set_with_a_slash(mailoutbox, notify_staff, settings, base_url):
    settings.ENQUIRY_ADMIN_BASE_URL = base_url
    enquiry = EnquiryFactory()

    enquiry_notify_staff(enquiry=enquiry)

    [email] = mailoutbox
    assert f"\nhttps://portal.example/admin/enquiries/enquiry/{enquiry.pk}/change/\n" in email.body


class SecondSenderEmailBackend(LocmemEmailBackend):
    """While the email goes out, a second sender (another sender, or the one from cron) tries
    to notify staff of the same enquiry; what it got is kept in `outcomes`."""

    outcomes = []

    def send_messages(self, email_messages):
        if not self.outcomes:
            enquiry = Enquiry.objects.get(reference=email_messages[0].subject.removeprefix("New enquiry "))
            self.outcomes.append(enquiry_notify_staff(enquiry=enquiry))
        return super().send_messages(email_messages)


def test_a_second_sender_leaves_an_email_already_going_out_alone(mailoutbox, notify_staff, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SecondSenderEmailBackend"
    SecondSenderEmailBackend.outcomes.clear()
    enquiry = EnquiryFactory()

    assert enquiry_notify_staff(enquiry=enquiry) == Notification.SENT

    assert SecondSenderEmailBackend.outcomes == [Notification.SKIPPED]
    assert [email.subject for email in mailoutbox] == [f"New enquiry {enquiry.reference}"]


def test_spam_and_already_notified_enquiries_are_not_emailed(mailoutbox, notify_staff):
    EnquiryFactory(status=Status.SPAM)
    EnquiryFactory(staff_notified_at=timezone.now())

    assert enquiries_notify_staff_of_waiting() == {}
    assert mailoutbox == []


def test_without_recipients_configured_the_enquiry_waits(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_NOTIFY_EMAILS = []

    enquiry = send_enquiry(client, django_capture_on_commit_callbacks)

    assert enquiry.staff_notified_at is None
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_staff_email_is_sent_only_once_the_enquiry_is_committed(client, notify_staff, settings):
    settings.EMAIL_BACKEND = "tests.enquiries.committed_check_email_backend.EmailBackend"
    committed_check_email_backend.sent.clear()

    client.post(SEND_URL, valid_form_data())

    assert committed_check_email_backend.sent == [(Enquiry.objects.get().reference, True)]


def test_a_round_with_nothing_waiting_is_one_query(notify_staff, django_assert_num_queries):
    EnquiryFactory.create_batch(3, staff_notified_at=timezone.now())

    with django_assert_num_queries(1):
        assert enquiries_notify_staff_of_waiting() == {}


# The sender that runs beside the app (`--every`), here in this process; tests/enquiries/
# test_sender.py runs it as a process of its own. Between two enquiries, quiet rounds that
# the sender should not report.
ROUND = 0.05
QUIET_ROUNDS = 5
REFUSED_ROUND = re.compile(
    r"Staff notifications not sent this round: database unavailable \((OperationalError|ProgrammingError)\)"
)


@contextmanager
def table_out_of_reach(model):
    """The model's table under another name: every query of it is refused, as by a database
    that lost it."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_out_of_reach"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}_out_of_reach" RENAME TO "{table}"')


@pytest.mark.django_db(transaction=True)
def test_the_sender_sends_round_after_round_through_a_refused_one_until_told_to_stop(
    notify_staff, mailoutbox, caplog
):
    first = EnquiryFactory()
    later = []

    def database_visitor_and_service_manager():
        """Once the first is sent: the database refuses a round, a few quiet rounds go by,
        and another enquiry arrives; once that one is sent, SIGTERM, as the service manager
        stops the sender."""
        wait_for(lambda: len(mail.outbox) == 1)
        with table_out_of_reach(Enquiry):
            wait_for(lambda: any(REFUSED_ROUND.fullmatch(message) for message in caplog.messages))
        time.sleep(QUIET_ROUNDS * ROUND)
        later.append(EnquiryFactory())
        connection.close()  # This thread's own connection.
        wait_for(lambda: len(mail.outbox) == 2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=database_visitor_and_service_manager, daemon=True).start()
    handler_before = signal.getsignal(signal.SIGTERM)
    output = io.StringIO()
    with caplog.at_level(logging.WARNING):
        call_command("send_enquiry_notifications", "--every", str(ROUND), stdout=output)

    assert [email.subject for email in mailoutbox] == [f"New enquiry {e.reference}" for e in [first, *later]]
    assert output.getvalue().splitlines() == [
        "Sending staff notifications every 0.05 s.",
        "Staff notified of 1 enquiries; 0 failed; 0 being sent elsewhere.",
        "Staff notified of 1 enquiries; 0 failed; 0 being sent elsewhere.",
        "Stopped.",
    ]
    assert any(REFUSED_ROUND.fullmatch(message) for message in caplog.messages)
    assert signal.getsignal(signal.SIGTERM) is handler_before


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_the_sender_says_how_to_keep_it_running(capsys):
    with pytest.raises(SystemExit) as finished:
        call_command("send_enquiry_notifications", "--help")

    assert finished.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert (
        "--every SECONDS keep sending, a round every SECONDS, until stopped with SIGTERM or Ctrl-C"
        in help_text
    )
