import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from enquiries.services import Notification, enquiries_notify_staff_of_waiting

logger = logging.getLogger(__name__)

# What a service manager (SIGTERM) or a person at the terminal (Ctrl-C) stops the sender with.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Email staff about every enquiry they have not yet been told about: once (from cron, "
        "exiting 1 while any email fails), or with --every, round after round until stopped (the "
        "sender that runs beside gunicorn). An enquiry being sent by another run is skipped, so "
        "any number may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="keep sending, a round every SECONDS, until stopped with SIGTERM or Ctrl-C",
        )

    def handle(self, *args, every=None, **options):
        if every is None:
            self.send_once()
        else:
            self.keep_sending(every)

    def send_once(self):
        outcomes = enquiries_notify_staff_of_waiting()
        self.report(outcomes)
        if outcomes[Notification.FAILED]:
            # A non-zero exit lets cron or monitoring see that mail is still failing.
            raise SystemExit(1)

    def keep_sending(self, seconds):
        """Rounds until a signal to stop, which lets the email being sent finish first. A
        round the database refuses is logged and the next one tried: a sender that gave up
        would leave every enquiry after it unannounced."""
        stopping = threading.Event()
        previous = {number: signal.signal(number, lambda *_: stopping.set()) for number in STOP_SIGNALS}
        self.stdout.write(f"Sending staff notifications every {seconds:g} s.")
        try:
            while not stopping.is_set():
                self.send_round()
                stopping.wait(seconds)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write("Stopped.")

    def send_round(self):
        # A long-running process must drop a connection the database closed, as a request does.
        close_old_connections()
        try:
            outcomes = enquiries_notify_staff_of_waiting()
        except DatabaseError as error:
            logger.warning(
                "Staff notifications not sent this round: database unavailable (%s)", type(error).__name__
            )
            return
        if outcomes[Notification.SENT] or outcomes[Notification.FAILED]:
            self.report(outcomes)

    def report(self, outcomes):
        self.stdout.write(
            f"Staff notified of {outcomes[Notification.SENT]} enquiries; "
            f"{outcomes[Notification.FAILED]} failed; {outcomes[Notification.SKIPPED]} being sent elsewhere."
        )
