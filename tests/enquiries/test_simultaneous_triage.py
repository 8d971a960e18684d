"""Two handlers saving the same enquiry at the same moment, each in its own request, thread and
database connection: the row lock taken while the save checks the enquiry's version makes the
second save wait for the first and then refuse, so neither change is silently overwritten."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from enquiries.models import Enquiry, Status
from tests.enquiries.conftest import EnquiryFactory, change_url, triage_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs row locks: SQLite's IMMEDIATE transactions let only one save run at a time, "
        "so two saves can never be inside their transactions together. CI runs this on PostgreSQL.",
    ),
]

CONFLICT = "Someone else saved this enquiry after you opened it"
WAIT_SECONDS = 10


def is_enquiry_write(sql):
    return sql.startswith('UPDATE "enquiries_enquiry"')


def waiting_for_a_lock(backend_pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        (wait_event_type,) = cursor.fetchone()
    return wait_event_type == "Lock"


class Save(threading.Thread):
    """One handler's POST of the enquiry page, on its own connection. `before_write` runs
    just before the request's first write to the enquiry row, after every check."""

    def __init__(self, user, data, enquiry, before_write):
        super().__init__()
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.data, self.enquiry, self.before_write = data, enquiry, before_write
        self.backend_pid = None
        self.response = None
        self.started_request = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (self.backend_pid,) = cursor.fetchone()
            with connection.execute_wrapper(self.pause_before_first_write):
                self.started_request.set()
                self.response = self.client.post(change_url(self.enquiry), self.data)
        finally:
            connection.close()

    def pause_before_first_write(self, execute, sql, params, many, context):
        if is_enquiry_write(sql) and self.before_write:
            before_write, self.before_write = self.before_write, None
            before_write()
        return execute(sql, params, many, context)


def test_two_handlers_saving_at_the_same_moment_the_second_waits_then_is_refused(handler, second_handler):
    enquiry = EnquiryFactory()
    opened_by_both = triage_data(enquiry)
    first_checked, first_may_write, second_reached_write = (threading.Event() for _ in range(3))

    def hold_first_between_check_and_write():
        first_checked.set()
        first_may_write.wait(WAIT_SECONDS)

    first = Save(
        handler,
        {**opened_by_both, "status": Status.CONTACTED, "note": "Booked an assessment"},
        enquiry,
        before_write=hold_first_between_check_and_write,
    )
    second = Save(
        second_handler,
        {**opened_by_both, "status": Status.CLOSED, "note": "Closing this"},
        enquiry,
        before_write=second_reached_write.set,
    )

    first.start()
    assert first_checked.wait(WAIT_SECONDS), "the first save never reached its write"
    second.start()
    second.started_request.wait(WAIT_SECONDS)
    # The second save is now either held by the first one's lock or, with no lock, already
    # past its own check: either way the two saves overlap before the first one writes.
    deadline = time.monotonic() + WAIT_SECONDS
    while not second_reached_write.is_set() and time.monotonic() < deadline:
        if second.backend_pid and waiting_for_a_lock(second.backend_pid):
            break
        time.sleep(0.02)
    second_was_held = not second_reached_write.is_set()
    first_may_write.set()
    first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    assert first.response.status_code == 302
    assert second.response.status_code == 200
    assert CONFLICT in second.response.text
    assert "Closing this" in second.response.text, "the refused handler keeps what they typed"
    assert second_was_held
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    assert enquiry.status == Status.CONTACTED
    assert [event.text for event in enquiry.events.exclude(text="")] == ["Booked an assessment"]
