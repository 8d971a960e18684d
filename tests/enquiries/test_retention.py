"""Closed enquiries lose their personal details after the retention period; old spam goes."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquiries.management.commands.apply_enquiry_retention import Command as ApplyEnquiryRetention
from enquiries.models import Enquiry, EnquiryEvent, Status
from enquiries.services import enquiries_apply_retention, enquiry_add_note
from tests.enquiries.conftest import EnquiryFactory, change_url, triage_data

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def closed(days_ago, *, now=NOW, **fields):
    when = now - timedelta(days=days_ago)
    return EnquiryFactory(
        status=Status.CLOSED, received_at=when - timedelta(days=3), status_changed_at=when, **fields
    )


def spam(days_ago, *, now=NOW):
    when = now - timedelta(days=days_ago)
    return EnquiryFactory(status=Status.SPAM, received_at=when, status_changed_at=when)


@pytest.fixture
def retention_days(settings):
    settings.ENQUIRY_RETENTION_DAYS = 365
    settings.ENQUIRY_SPAM_RETENTION_DAYS = 30


def test_closed_enquiries_past_retention_are_anonymised(retention_days, handler):
    old = closed(366, best_time_to_call="evenings", message="about my drinking")
    old.topics.add("alcohol")
    enquiry_add_note(enquiry=old, text="Spoke to Sam's mother", by=handler, now=NOW - timedelta(days=370))
    recent = closed(364)
    still_open = EnquiryFactory(received_at=NOW - timedelta(days=800), status=Status.CONTACTED)

    summary = enquiries_apply_retention(now=NOW)

    assert (summary.anonymised, summary.spam_deleted) == (1, 0)
    old.refresh_from_db()
    assert (old.name, old.phone, old.email, old.best_time_to_call, old.message) == ("", "", "", "", "")
    assert old.anonymised_at == NOW
    assert old.status == Status.CLOSED
    assert list(old.topics.values_list("slug", flat=True)) == ["alcohol"]
    assert old.reference and old.received_at == NOW - timedelta(days=369)
    assert not old.events.filter(kind=EnquiryEvent.Kind.NOTE).exclude(text="").exists()
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.name and kept.anonymised_at is None


def test_anonymising_leaves_the_notes_of_every_other_enquiry(retention_days, handler):
    closed(366)
    recent, still_open = closed(364), EnquiryFactory(status=Status.CONTACTED)
    for kept in (recent, still_open):
        enquiry_add_note(enquiry=kept, text="Call back on Tuesday", by=handler, now=NOW - timedelta(days=1))

    enquiries_apply_retention(now=NOW)

    for kept in (recent, still_open):
        assert list(kept.events.filter(kind=EnquiryEvent.Kind.NOTE).values_list("text", flat=True)) == [
            "Call back on Tuesday"
        ]


def test_spam_older_than_thirty_days_is_deleted(retention_days):
    old_spam, recent_spam = spam(31), spam(29)

    summary = enquiries_apply_retention(now=NOW)

    assert (summary.anonymised, summary.spam_deleted) == (0, 1)
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [recent_spam.pk]
    assert not EnquiryEvent.objects.filter(enquiry_id=old_spam.pk).exists()


def test_dry_run_counts_and_changes_nothing(retention_days):
    closed(400)
    spam(60)

    summary = enquiries_apply_retention(now=NOW, dry_run=True)

    assert (summary.anonymised, summary.spam_deleted) == (1, 1)
    assert Enquiry.objects.filter(anonymised_at__isnull=True).count() == 2


def test_running_twice_changes_nothing_more(retention_days):
    closed(400)
    enquiries_apply_retention(now=NOW)

    assert enquiries_apply_retention(now=NOW) == enquiries_apply_retention(now=NOW, dry_run=True)
    assert enquiries_apply_retention(now=NOW).anonymised == 0


def test_command_prints_a_summary(retention_days):
    # The command runs on the real clock.
    closed(400, now=timezone.now())
    spam(400, now=timezone.now())
    output = io.StringIO()

    call_command("apply_enquiry_retention", "--dry-run", stdout=output)
    assert output.getvalue().startswith(
        "Would anonymise 1 closed enquiries older than 365 days; would delete 1"
    )
    assert Enquiry.objects.count() == 2

    call_command("apply_enquiry_retention", stdout=output)
    assert "Anonymised 1 closed enquiries older than 365 days; deleted 1 spam" in output.getvalue()
    assert Enquiry.objects.count() == 1


def test_a_page_opened_before_anonymising_cannot_write_the_details_back(retention_days, handler_client):
    enquiry = closed(366)
    opened = triage_data(enquiry, note="Rang back")

    enquiries_apply_retention(now=NOW)
    response = handler_client.post(change_url(enquiry), opened)

    assert response.status_code == 200
    assert "Someone else saved this enquiry after you opened it" in response.text
    assert not enquiry.events.filter(kind=EnquiryEvent.Kind.NOTE).exists()


def test_the_command_explains_its_dry_run():
    parser = ApplyEnquiryRetention().create_parser("manage.py", "apply_enquiry_retention")

    assert "--dry-run Count what would change; change nothing." in " ".join(parser.format_help().split())
