"""The record of who read what: opening, changing, assigning, exporting and anonymising an
enquiry each leave a line on its timeline, and the audit list shows them across enquiries,
without the enquirer's details."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from enquiries.models import EnquiryEvent, Status
from enquiries.services import enquiries_apply_retention, enquiry_add_note
from portal.roles import ensure_clinic_administrators_group
from tests.enquiries.conftest import EnquiryFactory
from tests.enquiries.test_triage import change_url, triage_data

pytestmark = pytest.mark.django_db

AUDIT_LIST = "/admin/enquiries/auditentry/"
EXPORT = "/admin/enquiries/enquiry/export/"
PERSONAL = {"name": "Zebedee Quill", "email": "zebedee@example.com", "message": "I drink every night."}
NOTE = "Said their partner must not find out."


@pytest.fixture
def enquiry():
    enquiry = EnquiryFactory(**PERSONAL, phone="+447400999888")
    enquiry.topics.add("alcohol")
    return enquiry


def record(enquiry, kind):
    return list(enquiry.events.filter(kind=kind).values_list("author__username", "detail"))


def assert_no_personal_details(html):
    for value in [*PERSONAL.values(), "07400 999888", "+447400999888", "Alcohol", NOTE]:
        assert value not in html


def test_opening_an_enquiry_is_recorded_and_shown_on_its_timeline(handler_client, enquiry):
    assert record(enquiry, EnquiryEvent.Kind.VIEWED) == []

    handler_client.get(change_url(enquiry))
    html = handler_client.get(change_url(enquiry)).text

    assert record(enquiry, EnquiryEvent.Kind.VIEWED) == [("handler", ""), ("handler", "")]
    assert "<strong>handler</strong>" in html and "opened the enquiry" in html


def test_a_save_sent_back_with_a_message_is_not_another_opening(handler_client, enquiry):
    handler_client.get(change_url(enquiry))

    refused = handler_client.post(change_url(enquiry), triage_data(enquiry, status="no-such-status"))

    assert refused.status_code == 200
    assert record(enquiry, EnquiryEvent.Kind.VIEWED) == [("handler", "")]


def test_a_refused_or_missing_enquiry_records_nothing(client, content_editor, enquiry):
    client.force_login(content_editor)

    assert client.get(change_url(enquiry)).status_code == 403

    assert not enquiry.events.filter(kind=EnquiryEvent.Kind.VIEWED).exists()


def test_reading_an_enquiry_does_not_make_a_colleagues_edit_conflict(handler_client, second_handler, enquiry):
    opened_at_version = enquiry.version
    colleague = Client()
    colleague.force_login(second_handler)
    colleague.get(change_url(enquiry))

    response = handler_client.post(
        change_url(enquiry), triage_data(enquiry, status=Status.CONTACTED, version=opened_at_version)
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CONTACTED


def test_changing_and_assigning_are_recorded_with_who(handler_client, handler, enquiry):
    handler_client.post(
        change_url(enquiry),
        triage_data(enquiry, status=Status.IN_PROGRESS, assigned_to=handler.pk, note=NOTE),
    )

    kinds = list(enquiry.events.exclude(author=None).values_list("kind", "author__username"))
    assert (EnquiryEvent.Kind.ASSIGNMENT, "handler") in kinds
    assert (EnquiryEvent.Kind.STATUS, "handler") in kinds
    assert (EnquiryEvent.Kind.NOTE, "handler") in kinds


def test_an_export_is_recorded_on_each_exported_enquiry_with_the_filter_and_row_count(client, exporter):
    closed = [EnquiryFactory(status=Status.CLOSED) for _ in range(2)]
    still_new = EnquiryFactory(status=Status.NEW)
    client.force_login(exporter)

    client.get(EXPORT, {"status": "closed"})

    for enquiry in closed:
        assert record(enquiry, EnquiryEvent.Kind.EXPORTED) == [("handler", "2 rows; filter: status=closed")]
    assert record(still_new, EnquiryEvent.Kind.EXPORTED) == []


def test_an_export_record_keeps_no_search_text(client, exporter, enquiry):
    client.force_login(exporter)

    client.get(EXPORT, {"q": "Zebedee"})

    assert record(enquiry, EnquiryEvent.Kind.EXPORTED) == [
        ("handler", "1 rows; filter: search (text not kept)")
    ]


def test_an_export_with_the_search_box_left_empty_records_no_search(client, exporter, enquiry):
    client.force_login(exporter)

    client.get(EXPORT, {"q": ""})

    assert record(enquiry, EnquiryEvent.Kind.EXPORTED) == [("handler", "1 rows; filter: none")]


def test_an_export_record_keeps_the_filter_beside_a_search_but_not_its_text(client, exporter, enquiry):
    client.force_login(exporter)

    client.get(EXPORT, {"status": "new", "q": "Zebedee"})

    assert record(enquiry, EnquiryEvent.Kind.EXPORTED) == [
        ("handler", "1 rows; filter: status=new&search (text not kept)")
    ]


def test_anonymising_is_recorded(settings, enquiry):
    settings.ENQUIRY_RETENTION_DAYS = 30
    enquiry.status = Status.CLOSED
    enquiry.status_changed_at = timezone.now() - timedelta(days=31)
    enquiry.save()

    enquiries_apply_retention()

    assert record(enquiry, EnquiryEvent.Kind.ANONYMISED) == [(None, "")]


def test_audit_list_shows_every_kind_of_entry_without_personal_details(
    handler_client, handler, exporter, auditor_client, settings, enquiry
):
    enquiry_add_note(enquiry=enquiry, text=NOTE, by=handler)
    handler_client.get(change_url(enquiry))
    handler_client.get(EXPORT)
    settings.ENQUIRY_RETENTION_DAYS = 0
    enquiry.refresh_from_db()
    handler_client.post(
        change_url(enquiry), triage_data(enquiry, status=Status.CLOSED, assigned_to=handler.pk)
    )
    enquiries_apply_retention(now=timezone.now() + timedelta(seconds=1))

    response = auditor_client.get(AUDIT_LIST)

    assert response.status_code == 200
    html = response.text
    for line in [
        "opened the enquiry",
        "exported as CSV (1 rows; filter: none)",
        "assigned to handler",
        "status Closed",
        "note added",
        "personal details removed under the retention rules",
        "Retention rules",
    ]:
        assert line in html, line
    assert html.count(enquiry.reference) >= 6
    assert_no_personal_details(html)


def test_audit_list_is_for_clinic_administrators_and_superusers_only(
    handler_client, auditor_client, admin_client, client, content_editor, enquiry
):
    handler_client.get(change_url(enquiry))
    entry = enquiry.events.first()
    client.force_login(content_editor)

    assert handler_client.get(AUDIT_LIST).status_code == 403
    assert client.get(AUDIT_LIST).status_code == 403
    assert admin_client.get(AUDIT_LIST).status_code == 200
    assert auditor_client.get(AUDIT_LIST).status_code == 200
    assert auditor_client.get(f"{AUDIT_LIST}{entry.pk}/change/").status_code == 404
    assert auditor_client.get(change_url(enquiry)).status_code == 403


def test_audit_entries_go_with_deleted_spam_and_stay_without_personal_data(settings, handler):
    settings.ENQUIRY_SPAM_RETENTION_DAYS = 30
    old_spam = EnquiryFactory(status=Status.SPAM, status_changed_at=timezone.now() - timedelta(days=31))
    EnquiryEvent.objects.create(enquiry=old_spam, kind=EnquiryEvent.Kind.VIEWED, author=handler)

    enquiries_apply_retention()

    assert not EnquiryEvent.objects.filter(enquiry_id=old_spam.pk).exists()


# Session, user, the auditor's permissions (2), the count for the pages, one page of entries
# with their enquiry, author and assignee.
AUDIT_LIST_QUERIES = 6


@pytest.mark.parametrize("entry_count", [10, 500])
def test_audit_list_query_count_is_pinned(
    auditor_client, handler, entry_count, django_assert_max_num_queries
):
    enquiries = [EnquiryFactory() for _ in range(5)]
    EnquiryEvent.objects.bulk_create(
        EnquiryEvent(enquiry=enquiries[number % 5], kind=EnquiryEvent.Kind.VIEWED, author=handler)
        for number in range(entry_count)
    )

    with django_assert_max_num_queries(AUDIT_LIST_QUERIES) as queries:
        response = auditor_client.get(AUDIT_LIST)

    assert response.text.count("opened the enquiry") == min(entry_count, 100)
    entries_query = queries.captured_queries[-1]["sql"]
    assert '"enquiries_enquiry"."reference"' in entries_query
    assert '"enquiries_enquiry"."message"' not in entries_query
    assert '"enquiries_enquiryevent"."text"' not in entries_query


def test_setup_gives_the_audit_list_to_clinic_administrators_only():
    call_command("create_enquiry_handlers_group", verbosity=0)
    permission = Permission.objects.get(codename="view_auditentry")

    assert list(permission.group_set.values_list("name", flat=True)) == []
    assert list(ensure_clinic_administrators_group().permissions.filter(pk=permission.pk)) == [permission]
