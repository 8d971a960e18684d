from django.test import RequestFactory

from portal.views import server_error


def test_server_error_page_renders_without_database(settings):
    # No database fixture: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert settings.CLINIC_PHONE in html
    assert "116 123" in html
    assert "/static/css/portal.css" in html
