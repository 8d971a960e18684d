"""Only people with enquiry permissions see anything of enquiries."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from enquiries.models import Enquiry, Status
from enquiries.services import HANDLERS_GROUP_NAME
from tests.enquiries.conftest import EnquiryFactory, enquiry_admin_urls

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/enquiries/enquiry/"
EXPORT = "/admin/enquiries/enquiry/export/"


def test_content_editor_gets_403_on_every_enquiry_address(client, content_editor):
    enquiry = EnquiryFactory()
    client.force_login(content_editor)

    statuses = {url: client.get(url).status_code for url in enquiry_admin_urls(enquiry)}
    statuses["post change"] = client.post(f"/admin/enquiries/enquiry/{enquiry.pk}/change/", {}).status_code

    assert set(statuses.values()) == {403}, statuses


def test_refused_staff_see_a_plain_access_denied_page_that_names_nothing(client, content_editor):
    enquiry = EnquiryFactory(name="Zebedee")
    client.force_login(content_editor)

    response = client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/")

    assert response.status_code == 403
    assert "Access denied" in response.text
    assert enquiry.reference not in response.text
    assert "Zebedee" not in response.text


def test_content_editor_sees_no_enquiry_counts_on_the_admin_index(client, content_editor):
    EnquiryFactory()
    client.force_login(content_editor)

    html = client.get("/admin/").text

    assert "Enquiries" not in html
    assert "enquiry-counts" not in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    enquiry = EnquiryFactory()

    for url in enquiry_admin_urls(enquiry):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_handler_may_triage_but_not_add_delete_or_export(handler_client):
    enquiry = EnquiryFactory()

    assert handler_client.get(CHANGELIST).status_code == 200
    assert handler_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").status_code == 200
    assert handler_client.get("/admin/enquiries/enquiry/add/").status_code == 403
    assert handler_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/delete/").status_code == 403
    assert handler_client.get(EXPORT).status_code == 403
    assert "Export these as CSV" not in handler_client.get(CHANGELIST).text


def test_export_gives_the_filtered_list_as_csv(client, exporter):
    closed = EnquiryFactory(status=Status.CLOSED, name="=HYPERLINK(1)")
    closed.topics.add("drugs")
    EnquiryFactory(status=Status.NEW)
    client.force_login(exporter)

    assert 'href="export/?status=closed"' in client.get(CHANGELIST, {"status": "closed"}).text
    response = client.get(EXPORT, {"status": "closed"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["reference", "received", "name"]
    assert [row[0] for row in rows[1:]] == [closed.reference]
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][6] == "Drugs"


def test_export_of_my_enquiries_holds_only_those_assigned_to_me(client, exporter, second_handler):
    mine = EnquiryFactory(assigned_to=exporter)
    EnquiryFactory(assigned_to=second_handler)
    EnquiryFactory()
    client.force_login(exporter)

    response = client.get(EXPORT, {"assigned": "me"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == [mine.reference]


# Session, user, the handler's permissions (2), count, one page of enquiries with their
# assignees, their topics, the topic filter's choices, the handlers the assignment filter
# offers and the permission that names them.
LIST_QUERIES = 10


@pytest.mark.parametrize("enquiry_count", [10, 1000])
def test_list_query_count_is_pinned_and_does_not_grow(
    handler_client, handler, enquiry_count, django_assert_max_num_queries
):
    enquiries = Enquiry.objects.bulk_create(
        EnquiryFactory.build(assigned_to=handler if number % 2 else None) for number in range(enquiry_count)
    )
    Enquiry.topics.through.objects.bulk_create(
        Enquiry.topics.through(enquiry_id=enquiry.pk, topic_id=topic)
        for enquiry in enquiries
        for topic in ("alcohol", "drugs")
    )

    with django_assert_max_num_queries(LIST_QUERIES) as queries:
        response = handler_client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.text.count("Alcohol, Drugs") == min(enquiry_count, 50)
    assert len(queries) == LIST_QUERIES


def test_handlers_group_command_is_idempotent_and_exact():
    call_command("create_enquiry_handlers_group", stdout=io.StringIO())
    group = Group.objects.get(name=HANDLERS_GROUP_NAME)
    group.permissions.add(*group.permissions.model.objects.filter(codename="export_enquiry"))

    call_command("create_enquiry_handlers_group", stdout=io.StringIO())

    output = io.StringIO()
    call_command("create_enquiry_handlers_group", stdout=output)

    assert output.getvalue() == 'Group "Enquiry handlers" has: change_enquiry, view_enquiry.\n'
    assert Group.objects.filter(name=HANDLERS_GROUP_NAME).count() == 1
    assert sorted(group.permissions.values_list("codename", flat=True)) == ["change_enquiry", "view_enquiry"]


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("+447400123456", "07400 123456"),
        ("+442079460000", "020 7946 0000"),
        ("+33123456789", "00 33 1 23 45 67 89"),
    ],
)
def test_export_writes_phone_numbers_as_text_a_spreadsheet_keeps(client, exporter, stored, exported):
    EnquiryFactory(phone=stored)
    client.force_login(exporter)

    rows = list(csv.reader(io.StringIO(client.get(EXPORT).content.decode())))

    phone = rows[1][4]
    assert phone == exported
    assert " " in phone and phone[0] not in "=+-@"
    with pytest.raises(ValueError):
        float(phone)
