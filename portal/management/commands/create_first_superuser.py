import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "On a development machine's first run, create a superuser with a random password "
        "and print how to log in. Does nothing when DEBUG is off or a superuser exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the portal is served.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no superuser created. Use `manage.py createsuperuser`.")
            return
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=USERNAME, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff login: {url}/admin/  username: {USERNAME}  password: {password}\n"
                "This password is shown once. Change it with `.venv/bin/python manage.py "
                f"changepassword {USERNAME}`."
            )
        )
