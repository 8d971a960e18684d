"""The triage desk's shift: what needs action now, contact attempts, hand-overs, forgiving
search, clash recovery, spam with care and one history."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from enquiries.models import AttemptOutcome, Enquiry, EnquiryEvent, SafeToContact, Status
from enquiries.services import (
    EnquiryHeldByColleague,
    enquiries_apply_retention,
    enquiry_assign,
    enquiry_record_attempt,
)
from tests.enquiries.conftest import CHANGELIST, EnquiryFactory, change_url, triage_data, valid_form_data

pytestmark = pytest.mark.django_db


def queue_html(client):
    html = client.get("/admin/").text
    start = html.index('id="needs-action"')
    return html[start : html.index("</section>", start)]


def test_a_voicemail_sets_the_suggested_next_attempt_and_shows_on_the_list(handler_client, handler):
    enquiry = EnquiryFactory(assigned_to=handler)
    before = timezone.now()

    response = handler_client.post(
        change_url(enquiry),
        triage_data(enquiry, attempt_outcome=AttemptOutcome.VOICEMAIL, status=Status.IN_PROGRESS),
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.attempt_count == 1
    assert timedelta(hours=2) <= enquiry.next_attempt_at - before < timedelta(hours=2, minutes=1)
    assert enquiry.events.filter(kind=EnquiryEvent.Kind.ATTEMPT, outcome=AttemptOutcome.VOICEMAIL).exists()
    html = handler_client.get(CHANGELIST).text
    assert "1 attempt; last: Status In progress" in html
    assert "Next: try again" in html
    assert "contact attempt: Left a voicemail; next attempt" in handler_client.get(change_url(enquiry)).text


def test_speaking_to_them_suggests_no_next_attempt_and_ends_the_promise(handler_client, handler):
    enquiry = EnquiryFactory(received_at=timezone.now() - timedelta(days=3), status=Status.IN_PROGRESS)
    assert Enquiry.objects.overdue().filter(pk=enquiry.pk).exists()

    handler_client.post(change_url(enquiry), triage_data(enquiry, attempt_outcome=AttemptOutcome.SPOKE))

    enquiry.refresh_from_db()
    assert (enquiry.next_attempt_at, enquiry.due_at) == (None, None)
    assert enquiry.first_contact_at is not None
    assert not Enquiry.objects.overdue().filter(pk=enquiry.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"next_attempt": "at", "next_attempt_time": ""},
            "attempt_outcome",
            "Choose what happened on this attempt, so the next one can be set.",
        ),
        (
            {"attempt_outcome": "no_answer", "next_attempt": "at", "next_attempt_time": ""},
            "next_attempt_time",
            "Enter the date and time of the next attempt.",
        ),
        (
            {"attempt_outcome": "no_answer", "next_attempt": "at", "next_attempt_time": "2020-01-01T10:00"},
            "next_attempt_time",
            "Choose a time from now on.",
        ),
        (
            {"attempt_outcome": "no_answer", "next_attempt": "at", "next_attempt_time": "tomorrow"},
            "next_attempt_time",
            "Enter a date and time like 02/12/2026 14:30.",
        ),
        (
            {
                "attempt_outcome": "no_answer",
                "next_attempt": "at",
                "next_attempt_time": f"{timezone.localtime() + timedelta(days=91):%Y-%m-%dT%H:%M}",
            },
            "next_attempt_time",
            "Choose a time within the next 90 days.",
        ),
        (
            {"attempt_outcome": "shouted"},
            "attempt_outcome",
            "Select a valid choice. shouted is not one of the available choices.",
        ),
    ],
)
def test_a_wrong_next_attempt_is_explained_next_to_its_field(handler_client, changes, field, message):
    enquiry = EnquiryFactory()

    response = handler_client.post(change_url(enquiry), triage_data(enquiry, **changes))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    enquiry.refresh_from_db()
    assert enquiry.version == 1


def test_a_chosen_next_attempt_time_is_kept(handler_client):
    enquiry = EnquiryFactory()
    typed = f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}"

    response = handler_client.post(
        change_url(enquiry),
        triage_data(
            enquiry, attempt_outcome=AttemptOutcome.NO_ANSWER, next_attempt="at", next_attempt_time=typed
        ),
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert f"{timezone.localtime(enquiry.next_attempt_at):%Y-%m-%dT%H:%M}" == typed


def test_an_attempt_with_no_further_attempt_sets_none(handler_client, handler):
    enquiry = EnquiryFactory(assigned_to=handler)

    handler_client.post(
        change_url(enquiry),
        triage_data(enquiry, attempt_outcome=AttemptOutcome.NO_ANSWER, next_attempt="none"),
    )

    enquiry.refresh_from_db()
    assert (enquiry.attempt_count, enquiry.next_attempt_at) == (1, None)
    assert (
        "contact attempt: Rang, no answer; no further attempt" in handler_client.get(change_url(enquiry)).text
    )


def test_overdue_covers_every_open_status_and_a_passed_next_attempt(handler, second_handler):
    now = timezone.now()
    quiet = EnquiryFactory(received_at=now - timedelta(days=3), status=Status.CONTACTED)
    retry_passed = EnquiryFactory(received_at=now - timedelta(hours=1), assigned_to=handler)
    enquiry_record_attempt(
        enquiry=retry_passed,
        outcome=AttemptOutcome.NO_ANSWER,
        next_attempt_at=now - timedelta(minutes=5),
        by=handler,
    )
    fresh = EnquiryFactory(received_at=now - timedelta(hours=1), assigned_to=second_handler)
    closed = EnquiryFactory(received_at=now - timedelta(days=3), status=Status.CLOSED)

    overdue = set(Enquiry.objects.overdue())

    assert {quiet, retry_passed} <= overdue
    assert not {fresh, closed} & overdue


def test_the_queue_holds_new_unassigned_overdue_and_due_retries_most_urgent_first(
    handler_client, handler, second_handler
):
    now = timezone.now()
    unassigned = EnquiryFactory(received_at=now - timedelta(hours=21), name="Una")
    overdue = EnquiryFactory(
        received_at=now - timedelta(days=3),
        status=Status.IN_PROGRESS,
        assigned_to=second_handler,
        name="Olly",
    )
    mine = EnquiryFactory(received_at=now - timedelta(hours=2), assigned_to=handler, name="Mina")
    enquiry_record_attempt(
        enquiry=mine,
        outcome=AttemptOutcome.VOICEMAIL,
        next_attempt_at=now - timedelta(minutes=30),
        by=handler,
    )
    not_yet = EnquiryFactory(received_at=now - timedelta(hours=1), assigned_to=second_handler, name="Nate")
    EnquiryFactory(received_at=now - timedelta(days=3), status=Status.CLOSED, name="Cleo")

    html = queue_html(handler_client)

    assert [name in html for name in ("Una", "Olly", "Mina", "Nate", "Cleo")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert html.index(overdue.reference) < html.index(mine.reference) < html.index(unassigned.reference)
    assert "overdue by 2 days" in html
    assert "overdue by 30 min" in html
    assert "due in 2 h" in html
    assert not_yet.reference not in html


def test_the_queue_row_shows_safety_details_before_the_phone_number(handler_client):
    EnquiryFactory(
        phone="+447400123456",
        voicemail_safe=SafeToContact.NO,
        text_safe=SafeToContact.YES,
        preferred_language="Welsh",
        best_time_to_call="After 6pm",
    )

    html = queue_html(handler_client)

    assert html.index("Voicemail safe") < html.index("NO") < html.index("Welsh") < html.index("07400 123456")
    assert '<a href="tel:+447400123456">07400 123456</a>' in html
    assert "After 6pm" in html


def test_taking_a_colleagues_enquiry_asks_first_then_records_it_and_tells_them(
    handler_client, handler, second_handler, mailoutbox, django_capture_on_commit_callbacks
):
    second_handler.email = "colleague@clinic.example"
    second_handler.save()
    enquiry = EnquiryFactory(name="Zebedee", assigned_to=second_handler, phone="+447400123456")

    refused = handler_client.post(
        change_url(enquiry), {**triage_data(enquiry), "_assign_to_me": "Assign to me and save"}
    )
    assert "colleague has this enquiry. Tick the box to take it over" in str(
        refused.context["adminform"].form.errors["take_over"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        handler_client.post(
            change_url(enquiry),
            {**triage_data(enquiry), "_assign_to_me": "Assign to me and save", "take_over": "on"},
        )

    enquiry.refresh_from_db()
    assert enquiry.assigned_to == handler
    assert enquiry.events.filter(
        kind=EnquiryEvent.Kind.ASSIGNMENT, detail="taken over from colleague"
    ).exists()
    [email] = mailoutbox
    assert email.to == ["colleague@clinic.example"]
    assert enquiry.reference in email.subject and "handler" in email.body
    assert "Zebedee" not in email.body + email.subject and "7400" not in email.body


def test_bulk_assign_to_me_confirms_before_taking_from_a_colleague(handler_client, handler, second_handler):
    theirs = EnquiryFactory(assigned_to=second_handler)
    free = EnquiryFactory()
    chosen = {"action": "assign_to_me", "_selected_action": [theirs.pk, free.pk]}

    asked = handler_client.post(CHANGELIST, chosen)

    assert asked.status_code == 200
    assert "Take over enquiries from colleagues?" in asked.text
    assert f"{theirs.reference}: assigned to colleague" in asked.text
    assert Enquiry.objects.filter(assigned_to=handler).count() == 0
    handler_client.post(CHANGELIST, {**chosen, "take_over": "yes"})
    assert Enquiry.objects.filter(assigned_to=handler).count() == 2


def test_list_filters_by_any_handler(handler_client, handler, second_handler):
    theirs = EnquiryFactory(assigned_to=second_handler, status=Status.CONTACTED)
    mine = EnquiryFactory(assigned_to=handler)

    html = handler_client.get(CHANGELIST, {"assigned": second_handler.pk}).text

    assert theirs.reference in html and mine.reference not in html
    assert f'?assigned={second_handler.pk}"' in handler_client.get(CHANGELIST).text


@pytest.mark.parametrize(
    "term",
    [
        "Siobhan O'Neill",
        "siobhan o\u2019neill",
        "O'NEILL",
        "oneill",
        "07400 88",
        "0 7 4 0 0 8 8 1 2 3 4",
        "+44 7400 881234",
        "00447400881234",
        "881234",
        "234",
    ],
)
def test_search_forgives_accents_apostrophes_case_and_phone_spacing(handler_client, term):
    wanted = EnquiryFactory(name="Siobh\u00e1n O'N\u00e9ill", phone="+447400881234")
    # Every digit of the wanted number, but scattered across phone and email.
    scattered = EnquiryFactory(name="Other", phone="+447410028834", email="0740088@example.com")

    html = handler_client.get(CHANGELIST, {"q": term}).text

    assert wanted.reference in html
    assert scattered.reference not in html


@pytest.mark.parametrize("term", ["Siobhán", "siobhan.k@example.org", "881234", "reference"])
def test_an_enquiry_sent_through_the_form_is_found_by_name_email_number_and_reference(client, handler, term):
    sent = valid_form_data(name="Siobhán Kelly", email="siobhan.k@example.org", phone="07400 881234")
    other = valid_form_data(name="Robin Hood", email="robin@example.org", phone="07400 123123")
    for data in (sent, other):
        assert Client().post("/enquiries/send/", data).status_code == 302
    wanted, unwanted = Enquiry.objects.get(name="Siobhán Kelly"), Enquiry.objects.get(name="Robin Hood")
    client.force_login(handler)

    html = client.get(CHANGELIST, {"q": wanted.reference if term == "reference" else term}).text
    results = re.search(r'<table id="result_list">.*?</table>', html, re.DOTALL).group()

    assert wanted.reference in results
    assert unwanted.reference not in results


def test_a_search_of_several_words_finds_only_enquiries_with_all_of_them(handler_client):
    both = EnquiryFactory(name="Robin Hood", email="robin@example.com")
    first_only = EnquiryFactory(name="Robin Smith", email="smith@example.com")
    second_only = EnquiryFactory(name="Maid Hood", email="hood@example.com")

    html = handler_client.get(CHANGELIST, {"q": "robin hood"}).text

    assert both.reference in html
    assert first_only.reference not in html and second_only.reference not in html


def test_digits_that_start_with_44_are_part_of_a_number_unless_typed_as_a_country_code(handler_client):
    wanted = EnquiryFactory(phone="+447444123456")

    assert wanted.reference in handler_client.get(CHANGELIST, {"q": "444123"}).text
    assert wanted.reference in handler_client.get(CHANGELIST, {"q": "+44 7444 123"}).text


def test_anonymised_enquiries_can_no_longer_be_found_by_name_or_number(handler, settings):
    settings.ENQUIRY_RETENTION_DAYS = 1
    enquiry = EnquiryFactory(name="Quentin", phone="+447400881234", status=Status.CLOSED)
    Enquiry.objects.filter(pk=enquiry.pk).update(status_changed_at=timezone.now() - timedelta(days=2))

    enquiries_apply_retention()

    enquiry.refresh_from_db()
    assert (enquiry.search_text, enquiry.phone_digits) == (enquiry.reference.lower(), "")


def test_a_clash_shows_the_saved_choices_and_reloads_keeping_the_note(client, handler, second_handler):
    enquiry = EnquiryFactory()
    opened_by_both = triage_data(enquiry)
    client.force_login(second_handler)
    client.post(
        change_url(enquiry), {**opened_by_both, "status": Status.CONTACTED, "assigned_to": second_handler.pk}
    )

    client.force_login(handler)
    refused = client.post(
        change_url(enquiry),
        {**opened_by_both, "status": Status.CLOSED, "assigned_to": handler.pk, "note": "Rang at 3"},
    )

    assert '<option value="contacted" selected>' in refused.text
    assert '<option value="closed" selected>' not in refused.text
    assignee = refused.text.split('name="assigned_to"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d+)"[^>]* selected>', assignee) == [str(second_handler.pk)]
    assert 'name="_load_latest"' in refused.text and 'name="_save"' not in refused.text
    reloaded = client.post(change_url(enquiry), {**opened_by_both, "note": "Rang at 3", "_load_latest": "1"})
    assert reloaded.status_code == 302 and reloaded["Location"] == change_url(enquiry)
    page = client.get(change_url(enquiry)).text
    assert "Rang at 3</textarea>" in page
    enquiry.refresh_from_db()
    saved = client.post(change_url(enquiry), triage_data(enquiry, note="Rang at 3"))
    assert saved.status_code == 302
    assert enquiry.events.filter(kind=EnquiryEvent.Kind.NOTE, text="Rang at 3").count() == 1
    assert "Rang at 3</textarea>" not in client.get(change_url(enquiry)).text


def test_spam_confirmed_on_the_enquiry_page_is_marked(handler_client):
    enquiry = EnquiryFactory()

    response = handler_client.post(
        change_url(enquiry), triage_data(enquiry, status=Status.SPAM, confirm_spam="on")
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.SPAM


def test_marking_spam_asks_first_and_can_be_undone(handler_client, handler):
    enquiry = EnquiryFactory()

    refused = handler_client.post(change_url(enquiry), triage_data(enquiry, status=Status.SPAM))
    assert "Tick the box to confirm this is spam" in str(
        refused.context["adminform"].form.errors["confirm_spam"]
    )
    asked = handler_client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [enquiry.pk]})
    assert "Mark as spam?" in asked.text
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW

    handler_client.post(
        CHANGELIST, {"action": "mark_spam", "_selected_action": [enquiry.pk], "confirm_spam": "yes"}
    )
    assert enquiry.reference not in handler_client.get(CHANGELIST).text
    assert enquiry.reference in handler_client.get(CHANGELIST, {"status": "spam"}).text
    handler_client.post(
        f"{CHANGELIST}?status=spam", {"action": "restore_from_spam", "_selected_action": [enquiry.pk]}
    )

    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW
    assert "status New (restored from spam)" in handler_client.get(change_url(enquiry)).text


def test_saving_nothing_says_so_and_the_history_is_the_timeline(handler_client):
    enquiry = EnquiryFactory()

    response = handler_client.post(change_url(enquiry), triage_data(enquiry), follow=True)

    assert '<li class="info">Nothing was changed, so nothing was saved.</li>' in response.text
    assert "changed successfully" not in response.text
    enquiry.refresh_from_db()
    assert enquiry.version == 1
    history = handler_client.get(f"{CHANGELIST}{enquiry.pk}/history/")
    assert history.status_code == 302 and history["Location"].startswith(change_url(enquiry))
    assert "/history/" not in handler_client.get(change_url(enquiry)).text


def test_bulk_changes_are_on_the_timeline_with_their_values(handler_client, handler):
    enquiry = EnquiryFactory(status=Status.IN_PROGRESS)

    handler_client.post(CHANGELIST, {"action": "close", "_selected_action": [enquiry.pk]})

    assert "status Closed (from In progress)" in handler_client.get(change_url(enquiry)).text


@pytest.mark.parametrize(
    ("emails", "shown"),
    [
        ([], "Staff notifications are not configured"),
        (["triage@clinic.example"], "Not yet. When staff were emailed"),
    ],
)
def test_the_enquiry_page_explains_staff_notified_at(handler_client, settings, emails, shown):
    settings.ENQUIRY_NOTIFY_EMAILS = emails

    assert shown in handler_client.get(change_url(EnquiryFactory())).text


def test_the_enquiry_page_puts_safety_and_the_promise_first(handler_client):
    enquiry = EnquiryFactory(
        received_at=timezone.now() - timedelta(hours=30),
        voicemail_safe=SafeToContact.NO,
        preferred_language="Welsh",
        message="Long message",
    )

    html = handler_client.get(change_url(enquiry)).text

    assert "overdue by 6 h" in html
    assert html.index("Voicemail safe") < html.index('name="status"') < html.index("Long message")


def test_the_enquiry_page_opens_with_an_empty_note_box_that_saves_to_the_same_page(handler_client):
    enquiry = EnquiryFactory()

    html = handler_client.get(change_url(enquiry)).text

    assert re.search(r'<textarea name="note"[^>]*>\s*</textarea>', html)
    assert '<form method="post" id="enquiry_form" novalidate>' in html


def test_a_content_editor_sees_no_queue(client, content_editor):
    EnquiryFactory(name="Zebedee")
    client.force_login(content_editor)

    html = client.get("/admin/").text

    assert "Needs action now" not in html and "Zebedee" not in html


def test_an_assignment_service_refuses_a_silent_take_over(handler, second_handler):
    enquiry = EnquiryFactory(assigned_to=second_handler)

    with pytest.raises(EnquiryHeldByColleague):
        enquiry_assign(enquiry=enquiry, assignee=handler, by=handler)
    enquiry.refresh_from_db()
    assert enquiry.assigned_to == second_handler


def test_the_list_speaks_plainly(handler_client):
    EnquiryFactory(received_at=timezone.now())

    html = handler_client.get(CHANGELIST).text

    assert "<h1>Enquiries</h1>" in html
    assert "Select enquiry to change" not in html
    assert "0\xa0minutes" not in html and "received just now" in html
    topics_filter = html[html.index("By topics") :]
    topics_filter = topics_filter[: topics_filter.index("</details>")]
    assert ">-</a>" not in topics_filter and ">Alcohol</a>" in topics_filter


def test_each_row_has_a_box_named_by_its_reference_that_picks_it_for_an_action(handler_client, handler):
    picked, other = EnquiryFactory(), EnquiryFactory()
    document = lxml_html.fromstring(handler_client.get(CHANGELIST).content)
    (box,) = document.xpath(f'//input[@aria-label="Select {picked.reference}"]')
    assert box.get("type") == "checkbox" and "action-select" in box.classes
    assert box.getparent().text_content() == "", "the box's cell shows nothing but the box"

    handler_client.post(CHANGELIST, {"action": "assign_to_me", box.get("name"): [box.get("value")]})

    picked.refresh_from_db()
    other.refresh_from_db()
    assert (picked.assigned_to, other.assigned_to) == (handler, None)


def test_needs_action_holds_new_unassigned_and_due_enquiries_most_urgent_first(handler):
    now = timezone.now()
    soon, later = now + timedelta(hours=1), now + timedelta(hours=3)
    # Created newest first, so that the order cannot come from the order of creation.
    undated_new = EnquiryFactory(received_at=now - timedelta(minutes=1), due_at=None)
    new_later = EnquiryFactory(received_at=now - timedelta(minutes=2), due_at=later)
    new_soon_received_second = EnquiryFactory(received_at=now - timedelta(minutes=3), due_at=soon)
    new_soon_received_first = EnquiryFactory(received_at=now - timedelta(minutes=4), due_at=soon)
    attempt_due = EnquiryFactory(
        status=Status.IN_PROGRESS, assigned_to=handler, due_at=now - timedelta(minutes=5)
    )
    EnquiryFactory(status=Status.IN_PROGRESS, due_at=later)  # Nobody has it, but it is not new.
    EnquiryFactory(assigned_to=handler, due_at=later)  # New, and taken.
    EnquiryFactory(status=Status.CLOSED, due_at=None)

    assert list(Enquiry.objects.needing_action(now=now)) == [
        attempt_due,
        new_soon_received_first,
        new_soon_received_second,
        new_later,
        undated_new,
    ]
