"""The staff email's sender as it runs in production: `send_enquiry_notifications --every`,
a process of its own beside the app, on the same database."""

import contextlib
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from enquiries.models import Enquiry
from tests.enquiries.conftest import EnquiryFactory
from tests.instances import BASE_DIR, instance_environment
from tests.outages import refusing_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]

ROUND_SECONDS = "0.2"
# The test settings run with DEBUG off; the system checks then ask for an https origin.
ENVIRONMENT = {"ENQUIRY_NOTIFY_EMAILS": "triage@clinic.example", "STAFF_PASSKEY_ORIGIN": "https://localhost"}


class Sender:
    """The sender's process, with what it has written so far."""

    def __init__(self, tmp_path, environment):
        self.stdout_path, self.stderr_path = tmp_path / "sender.out", tmp_path / "sender.err"
        with self.stdout_path.open("w") as stdout, self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
                [sys.executable, "manage.py", "send_enquiry_notifications", "--every", ROUND_SECONDS],
                cwd=BASE_DIR,
                env=instance_environment(tmp_path, **ENVIRONMENT, **environment),
                stdout=stdout,
                stderr=stderr,
            )

    @property
    def stdout(self):
        return self.stdout_path.read_text()

    @property
    def stderr(self):
        return self.stderr_path.read_text()

    def stop(self):
        """As the service manager stops it: SIGTERM. Its exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def wait_until(self, condition, seconds=30):
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"the sender stopped by itself:\n{self.stderr}"
            assert time.monotonic() < deadline, "the sender did not get there in time"
            time.sleep(0.1)


@contextlib.contextmanager
def running_sender(tmp_path, **environment):
    sender = Sender(tmp_path, environment)
    try:
        yield sender
    finally:
        if sender.process.poll() is None:
            sender.process.kill()


def notified(enquiry):
    return Enquiry.objects.get(pk=enquiry.pk).staff_notified_at is not None


def test_an_enquiry_saved_while_the_sender_runs_is_sent_at_once_and_the_sender_stops_cleanly(tmp_path):
    with running_sender(tmp_path) as sender:
        sender.wait_until(lambda: "Sending staff notifications every" in sender.stdout)
        enquiry = EnquiryFactory(name="Robin")
        sender.wait_until(lambda: notified(enquiry))

        assert sender.stop() == 0

    assert "Staff notified of 1 enquiries; 0 failed" in sender.stdout
    assert sender.stdout.rstrip().endswith("Stopped.")
    assert "Robin" not in sender.stdout + sender.stderr


def test_the_sender_keeps_going_while_the_database_is_down_and_says_why(tmp_path):
    unreachable = f"postgres://postgres@127.0.0.1:{refusing_port()}/portal"
    refusal = "Staff notifications not sent this round: database unavailable (OperationalError)"
    with running_sender(tmp_path, DATABASE_URL=unreachable) as sender:
        sender.wait_until(lambda: sender.stderr.count(refusal) >= 2)

        assert sender.stop() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server's restart")
def test_the_sender_reconnects_when_the_database_drops_its_connection(tmp_path):
    with running_sender(tmp_path) as sender:
        first = EnquiryFactory()
        sender.wait_until(lambda: notified(first))
        with connection.cursor() as cursor:
            # What a restart of the server does to every connection but this one.
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        second = EnquiryFactory()
        sender.wait_until(lambda: notified(second))

        assert sender.stop() == 0
