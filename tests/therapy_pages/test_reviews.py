import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import draft_of, publish
from tests.therapy_pages.conftest import main_text
from therapy_pages import selectors
from therapy_pages.models import PageReview

pytestmark = pytest.mark.django_db

DUE_LIST_URL = reverse("admin:therapy_pages_pagereviewdue_changelist")
# Session, user, permissions, counts, and one page of reviews with their pages and addresses.
REVIEW_LIST_QUERIES = 8


@pytest.fixture
def reviewed_page(make_faq_page, staff_author):
    """A published page whose review falls due `days` from today."""

    def make(title, days, *, published=True):
        page = make_faq_page(title, 1, published=False)
        today = timezone.localdate()
        PageReview.objects.create(
            extended_object=draft_of(page),
            last_reviewed=today - datetime.timedelta(days=365),
            reviewer_name="Dr A Reviewer",
            reviewer_role="Consultant psychiatrist",
            next_review_due=today + datetime.timedelta(days=days),
        )
        if published:
            publish(draft_of(page), staff_author)
        return page

    return make


def test_review_due_list_holds_overdue_and_soon_due_published_pages(reviewed_page):
    reviewed_page("Overdue", -1)
    reviewed_page("Due today", 0)
    reviewed_page("Due in thirty days", 30)
    reviewed_page("Due in thirty one days", 31)
    reviewed_page("Overdue draft", -5, published=False)

    titles = {review.extended_object.title for review in selectors.reviews_due()}

    assert titles == {"Overdue", "Due today", "Due in thirty days"}


def test_staff_see_the_review_due_list_in_the_admin(client, reviewed_page, content_editor):
    reviewed_page("Overdue", -1)
    reviewed_page("Due soon", 10)
    reviewed_page("Not yet due", 200)
    client.force_login(content_editor)

    response = client.get(DUE_LIST_URL)

    assert response.status_code == 200
    html = response.text
    assert html.index("Overdue") < html.index("Due soon")
    assert "Not yet due" not in html
    assert '<a href="/overdue/">Overdue</a>' in html


def test_review_due_list_cannot_be_added_to_changed_or_deleted_even_by_a_superuser(client, reviewed_page):
    review = PageReview.objects.get(extended_object__page=reviewed_page("Overdue", -1))
    admin_user = get_user_model().objects.create_superuser("admin", "", "admin-password")
    client.force_login(admin_user)
    change_url = reverse("admin:therapy_pages_pagereviewdue_change", args=[review.pk])

    listed = client.get(DUE_LIST_URL)
    changed = client.post(change_url, {"reviewer_name": "Someone else", "next_review_due": "2099-01-01"})
    deleted = client.post(
        reverse("admin:therapy_pages_pagereviewdue_delete", args=[review.pk]), {"post": "yes"}
    )
    bulk_deleted = client.post(DUE_LIST_URL, {"action": "delete_selected", "_selected_action": [review.pk]})

    assert listed.status_code == 200 and "Overdue" in listed.text
    assert client.get(reverse("admin:therapy_pages_pagereviewdue_add")).status_code == 403
    assert 'name="_save"' not in client.get(change_url).text
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert bulk_deleted.status_code in (200, 302)
    review.refresh_from_db()
    assert (review.reviewer_name, review.next_review_due) != ("Someone else", datetime.date(2099, 1, 1))


def test_page_without_a_review_shows_no_review_line(client, make_faq_page):
    make_faq_page("Unreviewed", 1)

    html = client.get("/unreviewed/").text

    assert "Page last reviewed" not in html
    assert '"@type": "MedicalWebPage"' in html
    assert "lastReviewed" not in html


@pytest.mark.parametrize("pages_due", [1, 6])
def test_review_due_list_query_count_does_not_grow_with_pages(
    client, reviewed_page, content_editor, django_assert_max_num_queries, pages_due
):
    for number in range(pages_due):
        reviewed_page(f"Due page {number}", 5)
    client.force_login(content_editor)

    with django_assert_max_num_queries(REVIEW_LIST_QUERIES):
        response = client.get(DUE_LIST_URL)

    assert response.text.count("Due soon") == pages_due


def review_errors(last_days_ago, due_days_after_last):
    last = timezone.localdate() - datetime.timedelta(days=last_days_ago)
    return dated_review_errors(last, last + datetime.timedelta(days=due_days_after_last))


def dated_review_errors(last, due):
    review = PageReview(
        last_reviewed=last,
        reviewer_name="Dr A Reviewer",
        reviewer_role="Consultant psychiatrist",
        next_review_due=due,
    )
    try:
        review.clean()
    except ValidationError as error:
        return {field: " ".join(messages) for field, messages in error.message_dict.items()}
    return {}


def test_review_dates_must_be_believable():
    assert review_errors(10, 365) == {}
    assert review_errors(-1, 365) == {
        "last_reviewed": "The last review cannot be in the future. Use the day it happened."
    }
    after_the_last = {"next_review_due": "The next review must come after the last review."}
    assert review_errors(10, -30) == after_the_last
    assert review_errors(10, 0) == after_the_last
    assert "at most 3 years" in review_errors(10, 3 * 365 + 2)["next_review_due"]


def test_the_next_review_may_be_due_three_years_on_to_the_day_and_no_later():
    leap_day = datetime.date(2024, 2, 29)

    assert dated_review_errors(leap_day, datetime.date(2027, 2, 28)) == {}
    assert dated_review_errors(leap_day, datetime.date(2027, 3, 1)) == {
        "next_review_due": "The next review must be at most 3 years after the last one (by 28 February 2027)."
    }
    assert dated_review_errors(datetime.date(2024, 3, 1), datetime.date(2027, 3, 1)) == {}


def test_page_shows_who_reviewed_it_beside_the_dates(client, reviewed_page):
    page = reviewed_page("Counselling", 200)

    text = main_text(client.get(page.get_absolute_url()))

    assert "Reviewed by Dr A Reviewer, Consultant psychiatrist · Page last reviewed:" in text


def test_weekly_reminder_lists_due_pages_for_editors_and_the_clinical_lead(
    reviewed_page, content_editor, settings, mailoutbox
):
    settings.REVIEW_REMINDER_EMAILS = ["clinical-lead@clinic.example"]
    content_editor.email = "editor@clinic.example"
    content_editor.save()
    reviewed_page("Counselling", 10)
    reviewed_page("Overdue page", -5)
    reviewed_page("Not yet", 90)

    call_command("send_review_reminders", stdout=StringIO())

    (email,) = mailoutbox
    assert sorted(email.to) == ["clinical-lead@clinic.example", "editor@clinic.example"]
    assert "Counselling: due" in email.body
    assert "Overdue page: overdue since" in email.body
    assert "Not yet" not in email.body
    assert f"{settings.SITE_URL}/counselling/" in email.body


def test_no_reminder_when_nothing_is_due(reviewed_page, content_editor, settings, mailoutbox):
    settings.REVIEW_REMINDER_EMAILS = ["clinical-lead@clinic.example"]
    reviewed_page("Not yet", 90)

    call_command("send_review_reminders", stdout=StringIO())

    assert mailoutbox == []
