"""Scheduled publishing: an editor sets a time, and at that time visitors see the page change
(or go), through the page cache, on a fixed clock."""

import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cms.toolbar.utils import get_object_preview_url
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.models import StateTracking, Version

from tests.conftest import LANGUAGE, draft_of
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages import scheduling
from therapy_pages.editors import ensure_content_editors_group
from therapy_pages.models import PublicationSchedule
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 7 December 2026, mid-morning in London (GMT); the page is due on Tuesday at 09:00.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
DUE = datetime(2026, 12, 8, 9, 0, tzinfo=LONDON)
NEW_TEXT = "Open on Sundays from January"


@pytest.fixture
def sam(db):
    user = get_user_model().objects.create_user(
        username="sam.editor", first_name="Sam", email="sam@clinic.example", password="pw", is_staff=True
    )
    user.groups.add(ensure_content_editors_group())
    return user


@pytest.fixture
def opening_hours(make_page):
    return make_page("Opening hours")


def at(moment):
    """The clock stopped at `moment`, for the code under test and the test alike."""
    return time_machine.travel(moment, tick=False)


def draft_with_new_text(page, user):
    draft = new_draft(page, user)
    add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body=f"<p>{NEW_TEXT}</p>")
    return Version.objects.get_for_content(draft)


def state_of(version):
    return Version.objects.get(pk=version.pk).state


def published_version(page):
    return Version.objects.get_for_content(draft_of(page))


def schedule_screen(version):
    return f"/admin/therapy_pages/publicationschedule/{version.pk}/schedule/"


def schedule_through_the_screen(client, user, version, moment):
    with at(NOW):
        client.force_login(user)  # Staff sessions end after a while: sign in on the same clock.
        response = client.post(
            schedule_screen(version), {"day": f"{moment:%Y-%m-%d}", "time": f"{moment:%H:%M}"}
        )
    client.logout()
    return response


def run_scheduled(moment):
    with at(moment):
        call_command("publish_scheduled")


def test_before_the_time_visitors_see_the_page_as_it_was_and_after_it_the_draft(client, sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)
    response = schedule_through_the_screen(client, sam, draft, DUE)
    assert response.headers["Location"] == get_object_preview_url(draft.content)
    with at(DUE - timedelta(minutes=3)):
        assert NEW_TEXT not in client.get("/opening-hours/").text  # now in the page cache

    run_scheduled(DUE - timedelta(minutes=1))
    with at(DUE - timedelta(seconds=30)):
        assert NEW_TEXT not in client.get("/opening-hours/").text
    assert state_of(draft) == DRAFT

    run_scheduled(DUE + timedelta(seconds=20))
    with at(DUE + timedelta(seconds=30)):
        assert NEW_TEXT in client.get("/opening-hours/").text
    assert state_of(draft) == PUBLISHED
    done = PublicationSchedule.objects.get()
    assert (done.outcome, done.carried_out_at) == ("done", DUE + timedelta(seconds=20))
    publish = StateTracking.objects.get(version=draft, new_state=PUBLISHED)
    assert publish.user == sam


def test_the_search_finds_the_new_words_once_it_is_published(client, sam, opening_hours):
    scheduling.schedule(
        version=draft_with_new_text(opening_hours, sam), action="publish", due_at=DUE, user=sam
    )

    run_scheduled(DUE)

    assert "Opening hours" in client.get("/search/", {"q": "Sundays January"}).text


def test_a_page_unpublished_at_a_set_time_is_gone_for_visitors_from_then_on(client, sam, opening_hours):
    scheduling.schedule(version=published_version(opening_hours), action="unpublish", due_at=DUE, user=sam)
    with at(DUE - timedelta(minutes=2)):
        assert client.get("/opening-hours/").status_code == 200

    run_scheduled(DUE - timedelta(minutes=1))
    with at(DUE - timedelta(seconds=50)):
        assert client.get("/opening-hours/").status_code == 200

    run_scheduled(DUE + timedelta(minutes=1))
    with at(DUE + timedelta(minutes=1)):
        assert client.get("/opening-hours/").status_code == 404


def test_unpublishing_takes_down_whatever_version_is_live_then(client, sam, opening_hours):
    first = published_version(opening_hours)
    scheduling.schedule(version=first, action="unpublish", due_at=DUE, user=sam)
    second = draft_with_new_text(opening_hours, sam)
    second.publish(sam)

    run_scheduled(DUE)

    assert state_of(second) == "unpublished"
    assert client.get("/opening-hours/").status_code == 404


def test_a_refused_publish_is_recorded_and_the_editor_is_told_by_email(client, sam, opening_hours, caplog):
    draft = draft_with_new_text(opening_hours, sam)
    scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    sam.groups.clear()  # Sam moved to another role before the time came.
    caplog.set_level(logging.INFO, logger="therapy_pages.scheduling")

    run_scheduled(DUE)

    refused = PublicationSchedule.objects.get()
    assert refused.outcome == "refused"
    assert refused.refusal_reason == "You do not have publish permissions"
    assert state_of(draft) == DRAFT
    assert NEW_TEXT not in client.get("/opening-hours/").text
    [email] = mail.outbox
    assert email.to == ["sam@clinic.example"]
    assert email.subject == 'Not published: "Opening hours"'
    assert (
        'You asked for the page "Opening hours" to be published on Tue 8 Dec 2026 at 09:00 GMT.' in email.body
    )
    assert "You do not have publish permissions" in email.body
    assert "/opening-hours/" in email.body
    [line] = [record.getMessage() for record in caplog.records]
    assert line == f"Scheduled publish of page {opening_hours.pk} (version {draft.pk}): refused"


def test_a_draft_published_by_hand_before_the_time_is_not_published_again(sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)
    scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    draft.publish(sam)

    run_scheduled(DUE)

    refused = PublicationSchedule.objects.get()
    assert refused.outcome == "refused"
    assert "no longer a draft" in refused.refusal_reason
    assert StateTracking.objects.filter(version=draft, new_state=PUBLISHED).count() == 1


def test_running_again_does_nothing_more(sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)
    scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)

    run_scheduled(DUE)
    run_scheduled(DUE + timedelta(minutes=1))

    assert StateTracking.objects.filter(version=draft, new_state=PUBLISHED).count() == 1
    assert mail.outbox == []


def test_an_email_that_cannot_be_sent_makes_the_run_fail_for_cron_to_report(sam, opening_hours, settings):
    settings.EMAIL_BACKEND = "tests.enquiries.failing_email_backend.EmailBackend"
    scheduling.schedule(
        version=draft_with_new_text(opening_hours, sam), action="publish", due_at=DUE, user=sam
    )
    sam.groups.clear()

    with pytest.raises(CommandError, match="1 failed"):
        run_scheduled(DUE)

    assert PublicationSchedule.objects.get().outcome == "refused"


def test_cancelled_schedule_is_not_carried_out(client, sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)
    pending = scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    client.force_login(sam)

    response = client.post(f"/admin/therapy_pages/publicationschedule/{pending.pk}/cancel/", follow=True)

    assert "Cancelled: the page will not be published then." in response.text
    run_scheduled(DUE)
    assert state_of(draft) == DRAFT


def test_a_page_has_at_most_one_publish_and_one_unpublish_waiting(client, sam, opening_hours):
    live = published_version(opening_hours)
    draft = draft_with_new_text(opening_hours, sam)
    scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    scheduling.schedule(version=live, action="unpublish", due_at=DUE + timedelta(days=7), user=sam)

    with pytest.raises(scheduling.AlreadyScheduled):
        scheduling.schedule(version=draft, action="publish", due_at=DUE + timedelta(hours=1), user=sam)
    with at(NOW):
        client.force_login(sam)
        screen = client.get(schedule_screen(draft)).text
    assert "Will be published on Tue 8 Dec 2026 at 09:00 GMT by Sam." in screen
    assert "Will be unpublished on Tue 15 Dec 2026 at 09:00 GMT by Sam." in screen
    assert "To choose another time, cancel this one first." in screen
    assert 'name="day"' not in screen


# The screen and the toolbar


def test_the_toolbar_offers_scheduling_and_shows_what_is_waiting(client, sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)
    client.force_login(sam)

    preview = client.get(get_object_preview_url(draft.content)).text
    assert "Schedule publishing…" in preview
    assert schedule_screen(draft) in preview

    scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    live = client.get("/opening-hours/").text
    assert "Schedule unpublishing…" in live
    assert "Will be published on Tue 8 Dec 2026 at 09:00 GMT by Sam · Cancel…" in live
    assert "Publishing Tue 8 Dec, 09:00" in live


def test_times_in_summer_are_shown_in_british_summer_time():
    assert (
        scheduling.when(datetime(2027, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC"))) == "Thu 1 Jul 2027 at 09:00 BST"
    )


def test_only_those_who_may_publish_the_page_can_schedule_or_cancel(client, sam, opening_hours):
    reader = get_user_model().objects.create_user(username="reader", password="pw", is_staff=True)
    draft = draft_with_new_text(opening_hours, sam)
    pending = scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    client.force_login(reader)

    assert client.get(schedule_screen(draft)).status_code == 403
    assert client.post(f"/admin/therapy_pages/publicationschedule/{pending.pk}/cancel/").status_code == 403
    assert "Schedule publishing" not in client.get(get_object_preview_url(draft.content)).text
    assert PublicationSchedule.objects.filter(outcome="pending").count() == 1


@pytest.mark.parametrize(
    ("day", "time", "field", "error"),
    [
        ("", "09:00", "day", "Enter the date."),
        ("2026-12-08", "", "time", "Enter the time."),
        ("31/02/2027", "09:00", "day", "Enter a real date, for example 08/12/2026."),
        ("2026-12-08", "25:00", "time", "Enter a time on the 24-hour clock, for example 09:00."),
        ("2026-12-06", "09:00", "day", "That date has passed. Choose today or a later date."),
        ("2026-12-07", "09:59", "time", "That time has passed. Choose a time after 10:00 today."),
        ("2027-12-08", "09:00", "day", "Choose a date within a year from today: 07/12/2027 at the latest."),
        ("2027-03-28", "01:30", "time", "The clocks go forward at that time, so it never happens."),
        ("x" * 5000, "9" * 5000, "day", "Enter a real date, for example 08/12/2026."),
    ],
)
def test_the_form_says_in_plain_words_what_is_wrong_next_to_the_field(
    client, sam, opening_hours, day, time, field, error
):
    draft = draft_with_new_text(opening_hours, sam)

    with at(NOW):
        client.force_login(sam)
        response = client.post(schedule_screen(draft), {"day": day, "time": time})

    assert response.status_code == 200
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{error}' in response.text
    assert not PublicationSchedule.objects.exists()


def test_the_form_accepts_a_date_typed_without_the_date_picker(client, sam, opening_hours):
    draft = draft_with_new_text(opening_hours, sam)

    with at(NOW):
        client.force_login(sam)
        response = client.post(schedule_screen(draft), {"day": "08/12/2026", "time": "09:00"})

    assert response.status_code == 302
    assert PublicationSchedule.objects.get().due_at == DUE


def test_the_screen_is_a_bounded_number_of_queries(client, sam, opening_hours, django_assert_max_num_queries):
    draft = draft_with_new_text(opening_hours, sam)
    scheduling.schedule(version=published_version(opening_hours), action="unpublish", due_at=DUE, user=sam)
    client.force_login(sam)
    client.get(schedule_screen(draft))

    with django_assert_max_num_queries(20):
        assert client.get(schedule_screen(draft)).status_code == 200


def test_a_version_of_something_other_than_a_page_cannot_be_scheduled(client, sam, site_content):
    from therapy_pages.crisis_support import editable_version

    client.force_login(sam)

    assert client.get(schedule_screen(editable_version())).status_code == 404


# The run


def queries_to_carry_out(pages, user):
    for page in pages:
        scheduling.schedule(version=draft_with_new_text(page, user), action="publish", due_at=DUE, user=user)
    with at(DUE), CaptureQueriesContext(connection) as queries:
        call_command("publish_scheduled")
    return len(queries)


def test_each_due_schedule_costs_the_same_number_of_queries(make_page, sam):
    one = queries_to_carry_out([make_page("Page one")], sam)
    three = queries_to_carry_out([make_page(f"Page {n}") for n in ("two", "three", "four")], sam)

    per_schedule = one - queries_to_carry_out([], sam)
    assert per_schedule <= 45  # The publish itself: versioning, the search index, the page cache.
    assert three <= one + 2 * per_schedule


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_carry_out_each_schedule_once(make_page, sam):
    pages = [make_page(f"Service {n}") for n in range(4)]
    drafts = [draft_with_new_text(page, sam) for page in pages]
    for draft in drafts:
        scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)

    start_together = threading.Barrier(2)
    carried_out = []

    def run():
        try:
            start_together.wait()
            carried_out.extend(scheduling.carry_out_due(now=DUE)[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(schedule.version_id for schedule in carried_out) == sorted(draft.pk for draft in drafts)
    for draft in drafts:
        assert StateTracking.objects.filter(version=draft, new_state=PUBLISHED).count() == 1
    assert set(PublicationSchedule.objects.values_list("outcome", flat=True)) == {"done"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks: its runs wait for each other"
)
def test_a_schedule_another_run_is_carrying_out_is_skipped_not_waited_for(opening_hours, sam):
    draft = draft_with_new_text(opening_hours, sam)
    pending = scheduling.schedule(version=draft, action="publish", due_at=DUE, user=sam)
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                PublicationSchedule.objects.select_for_update().get(pk=pending.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    other_run = threading.Thread(target=hold_the_row)
    other_run.start()
    holding.wait(10)
    try:
        assert scheduling.carry_out_due(now=DUE) == ([], [])
    finally:
        release.set()
        other_run.join()
    assert state_of(draft) == DRAFT
