import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command


@pytest.mark.django_db
def test_site_record_takes_the_portal_name_and_public_address(settings):
    settings.SITE_NAME = "Riverside Clinic"
    settings.SITE_URL = "https://www.riverside-clinic.example"

    call_command("configure_site", verbosity=0)
    call_command("configure_site", verbosity=0)

    site = Site.objects.get()
    assert (site.name, site.domain) == ("Riverside Clinic", "www.riverside-clinic.example")
