"""`set_up_site`, run on each release and by `make run`, leaves a migrated database ready to serve."""

import io

import pytest
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.management import call_command

from enquiries.services import HANDLERS_GROUP_NAME
from portal.roles import CLINIC_ADMINISTRATORS_GROUP
from therapy_pages.editors import CLINICAL_REVIEWERS_GROUP, CONTENT_EDITORS_GROUP
from therapy_pages.models import SearchEntry

pytestmark = pytest.mark.django_db

THERAPY_PAGE = "/therapies/psychodynamic-therapy-for-addiction/"


def set_up_site():
    call_command("set_up_site", stdout=io.StringIO())


def test_a_release_sets_up_the_site_record_pages_search_and_every_role(client, settings):
    settings.SITE_NAME = "Riverside Clinic"
    settings.SITE_URL = "https://www.riverside-clinic.example"

    set_up_site()

    site = Site.objects.get()
    assert (site.name, site.domain) == ("Riverside Clinic", "www.riverside-clinic.example")
    assert "Psychodynamic therapy" in client.get(THERAPY_PAGE).content.decode()
    assert THERAPY_PAGE in client.get("/search/", {"q": "psychodynamic"}).content.decode()
    roles = {group.name: group.permissions.count() for group in Group.objects.all()}
    assert roles.keys() == {
        CONTENT_EDITORS_GROUP,
        HANDLERS_GROUP_NAME,
        CLINIC_ADMINISTRATORS_GROUP,
        CLINICAL_REVIEWERS_GROUP,
    }
    assert all(roles.values()), roles


def test_running_it_again_puts_back_the_search_index_and_the_roles_and_duplicates_nothing(client):
    set_up_site()
    SearchEntry.objects.all().delete()
    Group.objects.get(name=HANDLERS_GROUP_NAME).permissions.clear()

    set_up_site()

    assert THERAPY_PAGE in client.get("/search/", {"q": "psychodynamic"}).content.decode()
    assert Group.objects.get(name=HANDLERS_GROUP_NAME).permissions.exists()
    assert (Site.objects.count(), Group.objects.count()) == (1, 4)
