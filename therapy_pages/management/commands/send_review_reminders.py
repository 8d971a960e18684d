from django.core.management.base import BaseCommand

from therapy_pages.reviews import send_review_reminder


class Command(BaseCommand):
    help = (
        "Email content editors and REVIEW_REMINDER_EMAILS the pages whose clinical review is "
        "overdue or due within 30 days. Run weekly from cron."
    )

    def handle(self, *args, **options):
        count = send_review_reminder()
        self.stdout.write(
            f"Review reminder: {count} page(s) listed." if count else "Review reminder: nothing due."
        )
