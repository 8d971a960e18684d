"""What staff and monitoring are told when the staff email cannot go."""

import logging

import pytest
from django.core.management import call_command

from enquiries.models import Enquiry
from tests.enquiries.conftest import valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"


def test_retry_command_exits_1_while_an_email_fails_and_0_once_it_goes(
    client, mailoutbox, failing_mail_server, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SEND_URL, valid_form_data())

    with pytest.raises(SystemExit) as failed:
        call_command("send_enquiry_notifications")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_enquiry_notifications")

    assert failed.value.code == 1
    assert len(mailoutbox) == 1


def test_without_recipients_the_log_says_the_enquiry_waits_unnotified(
    client, mailoutbox, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_NOTIFY_EMAILS = []

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        client.post(SEND_URL, valid_form_data())

    enquiry = Enquiry.objects.get()
    assert enquiry.staff_notified_at is None
    assert mailoutbox == []
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.getMessage() == (
        f"Could not notify staff of enquiry {enquiry.reference} (RuntimeError); will retry"
    )
