from django.core.management.base import BaseCommand

from enquiries.services import Notification, enquiries_retry_notifications


class Command(BaseCommand):
    help = (
        "Email staff about every enquiry they have not yet been told about. Safe to run every "
        "minute from cron: an enquiry being sent by another run or request is skipped."
    )

    def handle(self, *args, **options):
        outcomes = enquiries_retry_notifications()
        sent, failed = outcomes[Notification.SENT], outcomes[Notification.FAILED]
        skipped = outcomes[Notification.SKIPPED]
        self.stdout.write(
            f"Staff notified of {sent} enquiries; {failed} failed; {skipped} being sent elsewhere."
        )
        if failed:
            # A non-zero exit lets cron or monitoring see that mail is still failing.
            raise SystemExit(1)
