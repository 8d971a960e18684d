from django.core.management.base import BaseCommand

from therapy_pages.editors import ensure_clinical_reviewers_group


class Command(BaseCommand):
    help = (
        'Create or update the "Clinical reviewers" group: they read drafts of therapy pages and '
        "approve them (which publishes them) or ask for changes; they edit nothing."
    )

    def handle(self, *args, **options):
        group = ensure_clinical_reviewers_group()
        names = ", ".join(sorted(group.permissions.values_list("codename", flat=True)))
        self.stdout.write(f'Group "{group.name}" has: {names}.')
