"""Many people sending at once: every enquiry is saved, each with its own reference."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from enquiries.models import Enquiry
from tests.enquiries.conftest import valid_form_data

SENDERS = 50


def post_all_at_once(forms):
    """POST each form from its own thread, with its own client and database connection,
    all released at the same moment. The response codes, and the seconds it all took."""
    start_together = threading.Barrier(len(forms))
    statuses = []

    def send(number, data):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{number}")
            start_together.wait()
            statuses.append(client.post("/enquiries/send/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(number, data)) for number, data in enumerate(forms)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, time.perf_counter() - started


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_enquiries_are_all_saved_with_distinct_references(mailoutbox, notify_staff):
    statuses, elapsed = post_all_at_once([valid_form_data(name=f"Sender {n}") for n in range(SENDERS)])

    print(f"\n{SENDERS} simultaneous enquiries on {connection.vendor}: {elapsed:.2f} s")
    assert statuses == [302] * SENDERS
    references = list(Enquiry.objects.values_list("reference", flat=True))
    assert len(references) == SENDERS
    assert len(set(references)) == SENDERS
    assert sorted(Enquiry.objects.values_list("name", flat=True)) == sorted(
        f"Sender {n}" for n in range(SENDERS)
    )
    assert len(mailoutbox) == SENDERS
    assert not Enquiry.objects.awaiting_notification().exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_from_several_tabs_at_once_creates_one_enquiry(mailoutbox, notify_staff):
    same_form = valid_form_data()

    statuses, _elapsed = post_all_at_once([same_form] * 5)

    assert statuses == [302] * 5
    assert Enquiry.objects.count() == 1
    assert len(mailoutbox) == 1
