from cms.api import add_plugin, create_page
from cms.models import PageContent
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from djangocms_versioning.models import Version

LANGUAGE = "en-gb"
LOADER_USERNAME = "site-content-loader"


class Command(BaseCommand):
    help = "Build and publish the clinic's pages. Safe to run again: existing pages are left alone."

    @transaction.atomic
    def handle(self, *args, **options):
        loader = self.loader_user()
        created = 0
        if not PageContent.admin_manager.filter(page__reverse_id="home").exists():
            self.create_home_page(loader)
            created += 1
        self.stdout.write(f"Site content: {created} page(s) created.")

    def loader_user(self):
        """The user recorded as author of loaded content; it cannot log in."""
        user, created = get_user_model().objects.get_or_create(
            username=LOADER_USERNAME, defaults={"is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    def create_home_page(self, loader):
        page = create_page(
            "Home",
            "pages/default.html",
            LANGUAGE,
            created_by=loader,
            reverse_id="home",
            in_navigation=True,
        )
        content = PageContent.admin_manager.get(page=page, language=LANGUAGE)
        add_plugin(
            content.get_placeholders().get(slot="content"),
            "TextPlugin",
            LANGUAGE,
            body="<p>Information and support for people affected by addiction, and their families.</p>",
        )
        Version.objects.get_for_content(content).publish(loader)
        page.set_as_homepage(loader)
