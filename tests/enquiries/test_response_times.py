"""The clinic manager's response-time figures: from the timelines, without spam, and still
right after retention has anonymised old enquiries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries import selectors
from enquiries.models import AttemptOutcome, Enquiry, EnquiryEvent, Status
from enquiries.services import enquiries_apply_retention, enquiry_change_status, enquiry_record_attempt
from tests.enquiries.conftest import EnquiryFactory

pytestmark = pytest.mark.django_db

RESPONSE_TIMES = "/admin/enquiries/enquiry/response-times/"
# Session, user, the handler's permissions (2), and the weeks' enquiries with their first contact.
RESPONSE_TIMES_QUERIES = 5


def reached_after(hours, *, by, received_at, outcome=AttemptOutcome.SPOKE, status=Status.NEW):
    enquiry = EnquiryFactory(received_at=received_at, status=status)
    EnquiryEvent.objects.create(
        enquiry=enquiry, kind=EnquiryEvent.Kind.STATUS, status=Status.NEW, created_at=received_at
    )
    enquiry_record_attempt(
        enquiry=enquiry,
        outcome=outcome,
        next_attempt_at=None,
        by=by,
        now=received_at + timedelta(hours=hours),
    )
    return enquiry


def last_monday_noon():
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    return timezone.make_aware(timezone.datetime(monday.year, monday.month, monday.day, 12))


def test_weekly_count_median_p90_and_share_within_the_promise(handler, settings):
    settings.ENQUIRY_RESPONSE_HOURS = 24
    received = last_monday_noon()
    for hours in (2, 4, 6, 30):
        reached_after(hours, by=handler, received_at=received)
    # A missed call is not a contact; the status "Contacted" is.
    missed = reached_after(1, by=handler, received_at=received, outcome=AttemptOutcome.NO_ANSWER)
    enquiry_change_status(
        enquiry=missed, status=Status.CONTACTED, by=handler, now=received + timedelta(hours=8)
    )
    EnquiryFactory(received_at=received, status=Status.SPAM)

    week = selectors.response_times()[-2]

    assert week.starts == received.date()
    assert (week.count, week.contacted, week.within_promise) == (5, 5, 4)
    assert week.median_hours == 6
    assert week.p90_hours == pytest.approx(21.2)
    assert week.share_within_promise == 0.8
    assert len(selectors.response_times()) == 12


def test_an_enquiry_counts_in_the_week_it_arrived_and_a_reply_at_the_promise_is_within_it(handler, settings):
    settings.ENQUIRY_RESPONSE_HOURS = 24
    wednesday = last_monday_noon() + timedelta(days=2)
    reached_after(24, by=handler, received_at=wednesday)

    week = selectors.response_times()[-2]

    assert week.starts == last_monday_noon().date()
    assert (week.count, week.within_promise) == (1, 1)


def test_anonymised_enquiries_still_count(handler, settings):
    settings.ENQUIRY_RETENTION_DAYS = 1
    enquiry = reached_after(3, by=handler, received_at=last_monday_noon())
    enquiry_change_status(enquiry=enquiry, status=Status.CLOSED, by=handler)
    Enquiry.objects.filter(pk=enquiry.pk).update(status_changed_at=timezone.now() - timedelta(days=2))
    enquiries_apply_retention()

    week = selectors.response_times()[-2]

    assert (week.count, week.median_hours) == (1, 3)


@pytest.mark.parametrize("enquiry_count", [3, 60])
def test_page_shows_a_chart_and_a_table_with_flat_queries(
    handler_client, handler, enquiry_count, django_assert_max_num_queries
):
    for _ in range(enquiry_count):
        reached_after(5, by=handler, received_at=last_monday_noon())

    with django_assert_max_num_queries(RESPONSE_TIMES_QUERIES):
        response = handler_client.get(RESPONSE_TIMES)

    html = response.text
    assert "<h1>Response times</h1>" in html
    # The staff header, as on every admin page: who is signed in, and a way out that works.
    assert re.search(r"Welcome,\s*<strong>handler</strong>", html)
    assert re.search(r'<form id="logout-form"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert "<title>Response times | " in html
    assert "The promise is 24 hours." in html
    assert '<svg viewBox="0 0 640 240" role="img"' in html
    assert "<caption>Response times by week</caption>" in html
    assert f"<td>{enquiry_count}</td>\n      <td>{enquiry_count}</td>\n      <td>5.0 h</td>" in html
    assert "<script>" not in html.split("<svg")[1].split("</table>")[0]


def test_content_editors_get_403(client, content_editor):
    client.force_login(content_editor)

    assert client.get(RESPONSE_TIMES).status_code == 403
