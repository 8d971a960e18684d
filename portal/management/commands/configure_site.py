from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Record the portal's name and public address (SITE_NAME, SITE_URL) in the sites framework."

    def handle(self, *args, **options):
        domain = urlsplit(settings.SITE_URL).netloc
        site, _ = Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
        )
        self.stdout.write(f"Site {site.pk}: {site.name} at {site.domain}")
