"""What the triage desk costs the database: pinned, and flat in the number of enquiries and
of timeline lines."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enquiries import services
from enquiries.models import Enquiry
from tests.enquiries.conftest import EnquiryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/enquiries/enquiry/"
# Session, user, the handler's permissions (2), the enquiry, its topics, its timeline with
# authors, the handlers it can be assigned to, and the permission that names them.
ENQUIRY_PAGE_QUERIES = 10


def add_enquiries(count):
    enquiries = Enquiry.objects.bulk_create(EnquiryFactory.build() for _ in range(count))
    Enquiry.topics.through.objects.bulk_create(
        Enquiry.topics.through(enquiry_id=enquiry.pk, topic_id="alcohol") for enquiry in enquiries
    )


@pytest.mark.parametrize("notes", [1, 30])
def test_enquiry_page_query_count_is_pinned_and_does_not_grow_with_its_timeline(
    handler_client, handler, notes, django_assert_max_num_queries
):
    enquiry = EnquiryFactory()
    for number in range(notes):
        services.enquiry_add_note(enquiry=enquiry, by=handler, text=f"Called back, attempt {number}.")

    address = f"{CHANGELIST}{enquiry.pk}/change/"
    # The first request of a process fills its content-type cache; the pin is for the rest.
    handler_client.get(address)
    with django_assert_max_num_queries(ENQUIRY_PAGE_QUERIES):
        response = handler_client.get(address)

    assert response.status_code == 200
    assert response.text.count("Called back, attempt") == notes


def test_desk_never_counts_past_its_limit(handler_client):
    add_enquiries(1001)

    with CaptureQueriesContext(connection) as queries:
        response = handler_client.get(CHANGELIST)

    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts
    assert all("LIMIT 1001" in sql for sql in counts)
    # Any 1001 rows count the same: sorting every open enquiry first would only slow it.
    assert not any("ORDER BY" in sql for sql in counts)
    assert "More than 1000 enquiries: filter or search to narrow them down" in response.text
    assert "Select all matching enquiries (more than 1000)" in response.text
    # The exact figure never shows (row ids and phone numbers may hold the same digits).
    assert not re.search(r"\b1,?001 (enquir|total|result)", response.text)


def test_desk_gives_the_exact_count_below_its_limit(handler_client):
    add_enquiries(12)

    response = handler_client.get(CHANGELIST)

    assert "12 enquiries" in response.text


# Session, user, the handler's permissions (2), the queue with assignees, the New and overdue
# counts, and the admin home's recent actions.
QUEUE_QUERIES = 7


@pytest.mark.parametrize("count", [3, 120])
def test_the_queue_query_count_is_pinned_and_flat(handler_client, count, django_assert_max_num_queries):
    add_enquiries(count)

    with django_assert_max_num_queries(QUEUE_QUERIES) as queries:
        response = handler_client.get("/admin/")

    assert response.text.count("Open the enquiry ") == min(count, 50)
    assert len(queries) == QUEUE_QUERIES
