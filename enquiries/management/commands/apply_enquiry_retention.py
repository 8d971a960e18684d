from django.conf import settings
from django.core.management.base import BaseCommand

from enquiries.services import enquiries_apply_retention


class Command(BaseCommand):
    help = (
        "Blank the personal details of enquiries closed more than ENQUIRY_RETENTION_DAYS ago, "
        "and delete spam kept more than ENQUIRY_SPAM_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, dry_run, **options):
        summary = enquiries_apply_retention(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {summary.anonymised} closed enquiries older than "
            f"{settings.ENQUIRY_RETENTION_DAYS} days; "
            f"{'would delete' if dry_run else 'deleted'} {summary.spam_deleted} spam enquiries older than "
            f"{settings.ENQUIRY_SPAM_RETENTION_DAYS} days."
        )
