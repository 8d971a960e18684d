from django.core.management import call_command
from django.core.management.base import BaseCommand

# In this order: the pages are indexed once they are loaded.
STEPS = (
    "configure_site",
    "load_site_content",
    "rebuild_search_index",
    "create_enquiry_handlers_group",
    "create_clinic_administrators_group",
    "create_clinical_reviewers_group",
)


class Command(BaseCommand):
    help = (
        "Bring everything but the tables up to date with this release, in one process: the site "
        f"record, the clinic's pages, the search index and the staff groups ({', '.join(STEPS)}). "
        "Safe to repeat; run it after migrate."
    )

    def handle(self, *args, verbosity, **options):
        for step in STEPS:
            call_command(step, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
