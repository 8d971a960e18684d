"""An enquiry's timeline and the audit list, word for word, as handlers and auditors read
them: who did each thing, and what they did."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from enquiries.models import AttemptOutcome, Status
from enquiries.services import (
    enquiry_add_note,
    enquiry_assign,
    enquiry_change_status,
    enquiry_record_attempt,
    enquiry_restore_from_spam,
)
from tests.enquiries.conftest import EnquiryFactory, change_url, triage_data
from tests.enquiries.test_audit import AUDIT_LIST

pytestmark = pytest.mark.django_db

TIMELINE = re.compile(r'<ol class="enquiry-timeline">(.*?)</ol>', re.DOTALL)
TIMELINE_LINE = re.compile(r"<li><strong>[^<]*</strong>, ([^:<]*): (.*?)</li>", re.DOTALL)
AUDIT_WHAT = re.compile(r'<td class="field-what">(.*?)</td>', re.DOTALL)


def timeline_lines(page):
    """(who, what) for each line of the timeline on an enquiry's page, oldest first."""
    (timeline,) = TIMELINE.findall(page)
    return [(html.unescape(who), html.unescape(what)) for who, what in TIMELINE_LINE.findall(timeline)]


def test_each_change_reads_as_one_line_naming_who_made_it(handler_client, handler, second_handler):
    enquiry = EnquiryFactory()
    next_attempt = datetime(2030, 1, 15, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))

    enquiry_assign(enquiry=enquiry, assignee=second_handler, by=second_handler)
    enquiry_assign(enquiry=enquiry, assignee=handler, by=handler, take_over=True)
    enquiry_record_attempt(
        enquiry=enquiry, outcome=AttemptOutcome.NO_ANSWER, next_attempt_at=next_attempt, by=handler
    )
    enquiry_record_attempt(enquiry=enquiry, outcome=AttemptOutcome.SPOKE, next_attempt_at=None, by=handler)
    enquiry_add_note(enquiry=enquiry, text="Call after 6 & not before", by=handler)
    enquiry_change_status(enquiry=enquiry, status=Status.SPAM, by=handler)
    enquiry_restore_from_spam(enquiry=enquiry, by=second_handler)
    enquiry_assign(enquiry=enquiry, assignee=None, by=handler)

    lines = timeline_lines(handler_client.get(change_url(enquiry)).text)

    assert lines[:-1] == [
        ("colleague", "assigned to colleague"),
        ("handler", "assigned to handler (taken over from colleague)"),
        ("handler", "contact attempt: Rang, no answer; next attempt 15 Jan 2030 09:30"),
        ("handler", "contact attempt: Spoke to them; no further attempt"),
        ("handler", "note: Call after 6 & not before"),
        ("handler", "status Spam (from New)"),
        ("colleague", "status New (restored from spam)"),
        ("handler", "unassigned"),
    ]
    # Opening the page is itself a line, the last.
    assert lines[-1] == ("handler", "opened the enquiry")


def test_everything_saved_at_once_on_the_enquiry_page_is_on_the_timeline_under_the_handler(
    handler_client, handler
):
    enquiry = EnquiryFactory()

    handler_client.post(
        change_url(enquiry),
        triage_data(
            enquiry,
            assigned_to=handler.pk,
            attempt_outcome=AttemptOutcome.SPOKE,
            status=Status.CONTACTED,
            note="Booked an assessment.",
        ),
    )

    lines = timeline_lines(handler_client.get(change_url(enquiry)).text)
    assert lines[:4] == [
        ("handler", "assigned to handler"),
        ("handler", "contact attempt: Spoke to them; no further attempt"),
        ("handler", "status Contacted (from New)"),
        ("handler", "note: Booked an assessment."),
    ]


def test_a_colleague_is_told_by_email_when_their_enquiry_is_taken_over(
    handler, second_handler, django_capture_on_commit_callbacks
):
    second_handler.email = "colleague@clinic.test"
    second_handler.save()
    enquiry = EnquiryFactory(assigned_to=second_handler)

    with django_capture_on_commit_callbacks(execute=True):
        enquiry_assign(enquiry=enquiry, assignee=handler, by=handler, take_over=True)

    (email,) = mail.outbox
    assert email.to == ["colleague@clinic.test"]
    assert email.subject == f"Enquiry {enquiry.reference} has been taken over"
    assert f"handler has taken over enquiry {enquiry.reference}, which was assigned to you." in email.body


def test_a_take_over_stands_when_the_colleague_cannot_be_emailed(
    handler, second_handler, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.failing_email_backend.EmailBackend"
    second_handler.email = "colleague@clinic.test"
    second_handler.save()
    enquiry = EnquiryFactory(assigned_to=second_handler)

    # The email goes after the commit; its failure must not reach the handler as an error.
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_assign(enquiry=enquiry, assignee=handler, by=handler, take_over=True)

    enquiry.refresh_from_db()
    assert enquiry.assigned_to == handler


def test_the_audit_list_says_what_happened_without_a_notes_words(auditor_client, handler):
    enquiry = EnquiryFactory()
    enquiry_assign(enquiry=enquiry, assignee=handler, by=handler)
    enquiry_add_note(enquiry=enquiry, text="Said their partner must not find out.", by=handler)
    enquiry_assign(enquiry=enquiry, assignee=None, by=handler)

    page = auditor_client.get(AUDIT_LIST).text

    # Newest first.
    assert [html.unescape(what) for what in AUDIT_WHAT.findall(page)] == [
        "unassigned",
        "note added",
        "assigned to handler",
    ]


def test_the_admin_index_counts_new_and_overdue_enquiries(handler_client):
    now = timezone.now()
    EnquiryFactory.create_batch(2, status=Status.NEW, received_at=now - timedelta(hours=1))
    EnquiryFactory(status=Status.IN_PROGRESS, received_at=now - timedelta(days=3))
    EnquiryFactory(status=Status.CLOSED, received_at=now - timedelta(days=3))

    page = handler_client.get("/admin/").text

    counts = page[page.index('id="enquiry-counts"') :]
    assert re.findall(r"<td>(?:<strong>)?(\d+)", counts[: counts.index("</table>")]) == ["2", "1"]


def test_an_attempt_that_did_not_reach_them_is_not_the_first_contact(handler):
    enquiry = EnquiryFactory()

    enquiry_record_attempt(
        enquiry=enquiry, outcome=AttemptOutcome.NO_ANSWER, next_attempt_at=None, by=handler
    )

    enquiry.refresh_from_db()
    assert (enquiry.attempt_count, enquiry.first_contact_at) == (1, None)
