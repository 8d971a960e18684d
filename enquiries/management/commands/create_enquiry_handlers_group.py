from django.core.management.base import BaseCommand

from enquiries.services import enquiry_handlers_group_ensure


class Command(BaseCommand):
    help = 'Create or update the "Enquiry handlers" group with exactly the permissions triage needs.'

    def handle(self, *args, **options):
        group = enquiry_handlers_group_ensure()
        names = ", ".join(sorted(group.permissions.values_list("codename", flat=True)))
        self.stdout.write(f'Group "{group.name}" has: {names}.')
