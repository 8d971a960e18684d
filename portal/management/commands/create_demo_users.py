import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.text import slugify

from enquiries.services import enquiry_handlers_group_ensure
from portal.roles import ensure_clinic_administrators_group
from therapy_pages.editors import ensure_clinical_reviewers_group, ensure_content_editors_group

SUPERUSER_NAME = "admin"


class Command(BaseCommand):
    help = (
        "On a development machine, create a superuser and one demo user per staff role "
        "(content editor, enquiry handler, clinic administrator, clinical reviewer), "
        "each with a random password printed once. Existing users are left alone; nothing "
        "happens when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the portal is served.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo users created. Use `manage.py createsuperuser`.")
            return
        wanted = [(SUPERUSER_NAME, "superuser", None)]
        roles = [
            ensure_content_editors_group(),
            enquiry_handlers_group_ensure(),
            ensure_clinic_administrators_group(),
            ensure_clinical_reviewers_group(),
        ]
        wanted += [(f"demo-{slugify(group.name)}", group.name, group) for group in roles]
        created = [
            (username, password, role)
            for username, role, group in wanted
            if (password := self.create_user(username, group))
        ]
        if created:
            self.stdout.write(self.style.SUCCESS(f"Staff log in at {url}/admin/ (passwords shown once):"))
            for username, password, role in created:
                self.stdout.write(f"  {username:<28} {password}  {role}")

    @staticmethod
    def create_user(username, group):
        """A new staff user, in `group` or a superuser without one; its password, or None
        if the user already exists."""
        users = get_user_model().objects
        if users.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        if group is None:
            users.create_superuser(username=username, email="", password=password)
        else:
            users.create_user(username=username, password=password, is_staff=True).groups.add(group)
        return password
