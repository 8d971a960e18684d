"""The desk's words for time: how long until an enquiry is due (or how long it is overdue) and
how long ago it arrived, exact at every step from minutes to hours to days; and the summary of
who an enquiry is for and how it is safe to reach them."""

from datetime import UTC, datetime, timedelta

import pytest
from lxml import html as lxml_html

from enquiries.models import Enquirer, Enquiry, SafeToContact, Status
from enquiries.templatetags.enquiry_admin import age, contact_summary, phone_link, time_left

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OVERDUE = '<strong class="enquiry-overdue">overdue by {}</strong>'


@pytest.mark.parametrize(
    ("due_in", "words"),
    [
        (timedelta(0), "due in 1 min"),
        (timedelta(seconds=30), "due in 1 min"),
        (timedelta(minutes=59, seconds=59), "due in 59 min"),
        (timedelta(hours=1), "due in 1 h"),
        (timedelta(hours=47, minutes=59), "due in 47 h"),
        (timedelta(days=2), "due in 2 days"),
        (timedelta(hours=60), "due in 2 days"),
        (timedelta(days=9, hours=23), "due in 9 days"),
    ],
)
def test_time_until_due(due_in, words):
    enquiry = Enquiry(status=Status.NEW, due_at=NOW + due_in)

    assert time_left(enquiry, now=NOW) == words


@pytest.mark.parametrize(
    ("overdue_by", "words"),
    [
        (timedelta(seconds=1), "1 min"),
        (timedelta(minutes=90), "1 h"),
        (timedelta(days=3, hours=12), "3 days"),
    ],
)
def test_time_overdue_stands_out(overdue_by, words):
    enquiry = Enquiry(status=Status.IN_PROGRESS, due_at=NOW - overdue_by)

    assert time_left(enquiry, now=NOW) == OVERDUE.format(words)


def test_an_enquiry_no_longer_open_shows_its_status_instead():
    enquiry = Enquiry(status=Status.CLOSED, due_at=NOW - timedelta(days=1))

    assert time_left(enquiry, now=NOW) == "Closed"


def test_an_open_enquiry_with_nothing_due_says_so():
    assert time_left(Enquiry(status=Status.CONTACTED, due_at=None), now=NOW) == "no time set"


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(hours=25), "25 h ago"),
        (timedelta(days=4), "4 days ago"),
    ],
)
def test_how_long_ago_it_arrived(ago, words):
    assert age(NOW - ago, now=NOW) == words


def summary_rows(enquiry, **options):
    """The summary as a handler reads it: each term with its answer, in order."""
    summary = lxml_html.fragment_fromstring(contact_summary(enquiry, **options))
    assert summary.get("class") == "enquiry-safety"
    rows = [(row.findtext("dt"), row.find("dd").text_content()) for row in summary]
    assert summary.text_content() == "".join(f"{term} {answer}" for term, answer in rows)
    return rows


def test_the_summary_says_who_it_is_for_and_what_is_safe_before_the_number():
    enquiry = Enquiry(
        enquirer=Enquirer.SOMEONE_I_CARE_ABOUT,
        voicemail_safe=SafeToContact.NO,
        text_safe=SafeToContact.YES,
        preferred_language="Welsh",
        best_time_to_call="After 6pm",
        phone="+447400123456",
        email="ana@example.org",
    )

    assert summary_rows(enquiry) == [
        ("For:", "someone i care about"),
        ("Voicemail safe:", "NO"),
        ("Text all right:", "yes"),
        ("Language:", "Welsh"),
        ("Best time:", "After 6pm"),
        ("Phone:", "07400 123456"),
    ]
    assert '<a href="tel:+447400123456">07400 123456</a>' in contact_summary(enquiry)


def test_the_summary_says_what_was_not_said_and_leaves_out_what_was_not_given():
    enquiry = Enquiry(enquirer=Enquirer.MYSELF, voicemail_safe="", text_safe="", email="ana@example.org")

    assert summary_rows(enquiry) == [
        ("For:", "myself"),
        ("Voicemail safe:", "not said"),
        ("Text all right:", "not said"),
        ("Email:", "ana@example.org"),
    ]


def test_the_full_summary_on_the_enquiry_page_gives_the_email_beside_the_phone():
    enquiry = Enquiry(
        enquirer=Enquirer.PROFESSIONAL,
        voicemail_safe=SafeToContact.YES,
        text_safe=SafeToContact.NO,
        phone="+33123456789",
        email="ana@example.org",
    )

    assert summary_rows(enquiry, full=True) == [
        ("For:", "a client (i am a professional)"),
        ("Voicemail safe:", "yes"),
        ("Text all right:", "NO"),
        ("Phone:", "+33 1 23 45 67 89"),
        ("Email:", "ana@example.org"),
    ]


@pytest.mark.parametrize("no_number", [None, ""])
def test_an_enquiry_without_a_phone_number_shows_no_link(no_number):
    assert phone_link(no_number) == ""
