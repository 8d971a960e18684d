"""Two app instances, separate processes sharing the database and the cache, as behind a
load balancer: a publish through one is seen through the other on its very next request."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from djangocms_versioning.models import Version

from tests.conftest import LANGUAGE
from tests.instances import running_instances, staff_headers
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages.nesting import add_nested_plugin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]


def publish_through(instance, version, user):
    """Press "Publish" as the editor does, in the admin of `instance`."""
    path = reverse("admin:djangocms_versioning_pagecontentversion_publish", args=[version.pk])
    status, _ = instance.request(
        "POST",
        path,
        body=urlencode({}),
        headers={"Content-Type": "application/x-www-form-urlencoded", **staff_headers(user)},
    )
    assert status == 302


def test_publish_through_one_instance_is_seen_through_the_other_at_once(tmp_path, make_page, admin_user):
    page = make_page("Opening hours")
    with running_instances(2, tmp_path) as (first, second):
        for instance in (first, second, second):
            status, html = instance.get("/opening-hours/")
            assert status == 200
            assert "Open on Sundays" not in html
        draft = new_draft(page, admin_user)
        add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body="<p>Open on Sundays</p>")

        publish_through(first, Version.objects.get_for_content(draft), admin_user)

        status, html = second.get("/opening-hours/")
    assert status == 200
    assert "Open on Sundays" in html
