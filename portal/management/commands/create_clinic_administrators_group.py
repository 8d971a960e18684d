from django.core.management.base import BaseCommand

from portal.roles import ensure_clinic_administrators_group


class Command(BaseCommand):
    help = 'Create or update the "Clinic administrators" group: staff accounts and roles, no enquiries.'

    def handle(self, *args, **options):
        group = ensure_clinic_administrators_group()
        names = ", ".join(sorted(group.permissions.values_list("codename", flat=True)))
        self.stdout.write(f'Group "{group.name}" has: {names}.')
