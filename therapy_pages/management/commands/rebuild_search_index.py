from django.core.management.base import BaseCommand
from django.db import transaction

from therapy_pages import search


class Command(BaseCommand):
    help = (
        "Rebuild the site search from the published pages. Publishing keeps it up to date; "
        "run this after a release or a database restore."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = search.rebuild_index()
        self.stdout.write(f"Search index: {count} entries from published pages and FAQ entries.")
