"""Staff screens speak the clinic's language and keep staff inside the admin."""

import logging

import pytest

from tests.therapy_pages.conftest import content_editor  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ENQUIRIES = "/admin/enquiries/enquiry/"


def test_admin_is_titled_with_the_site_name(client, content_editor, settings):  # noqa: F811
    client.force_login(content_editor)

    html = client.get("/admin/").text

    assert f"{settings.SITE_NAME} staff" in html
    assert "Django administration" not in html
    assert "Therapy pages" in html
    assert "Pages due for review" in html


def test_refused_screen_keeps_staff_in_the_admin_with_a_way_back(client, content_editor, caplog):  # noqa: F811
    client.force_login(content_editor)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(ENQUIRIES, headers={"referer": "http://testserver/admin/"})

    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.text
    assert '<a class="button" href="http://testserver/admin/">Go back</a>' in response.text
    assert 'href="/admin/">Staff home</a>' in response.text
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {ENQUIRIES}"
    assert record.exc_info is None


def test_way_back_never_leads_off_the_site(client, content_editor):  # noqa: F811
    client.force_login(content_editor)

    response = client.get(ENQUIRIES, headers={"referer": "https://elsewhere.example/"})

    assert response.status_code == 403
    assert "https://elsewhere.example/" not in response.text


def test_crisis_support_box_is_listed_by_name_and_leads_to_its_versions(
    client,
    site_content,
    content_editor,  # noqa: F811
):
    client.force_login(content_editor)

    assert "Crisis support box" in client.get("/admin/").text
    response = client.get("/admin/therapy_pages/crisissupportbox/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/djangocms_versioning/aliascontentversion/")
