import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.text import slugify

SUPERUSER_NAME = "admin"


class Command(BaseCommand):
    help = (
        "On a development machine, create a superuser and one demo user per staff group, "
        "each with a random password printed once. Existing users are left alone; nothing "
        "happens when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the portal is served.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo users created. Use `manage.py createsuperuser`.")
            return
        created = [
            self.create_superuser(),
            *(self.create_group_member(group) for group in Group.objects.all()),
        ]
        created = [login for login in created if login]
        if created:
            self.stdout.write(self.style.SUCCESS(f"Staff log in at {url}/admin/ (passwords shown once):"))
            for username, password, role in created:
                self.stdout.write(f"  {username:<24} {password}  {role}")

    def create_superuser(self):
        users = get_user_model().objects
        if users.filter(username=SUPERUSER_NAME).exists():
            return None
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=SUPERUSER_NAME, email="", password=password)
        return SUPERUSER_NAME, password, "superuser"

    def create_group_member(self, group):
        users = get_user_model().objects
        username = f"demo-{slugify(group.name)}"
        if users.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        user = users.create_user(username=username, password=password, is_staff=True)
        user.groups.add(group)
        return username, password, group.name
