import pytest
from django.test import RequestFactory

from portal.views import bad_request, server_error


def test_server_error_page_renders_without_database(settings):
    # No database fixture: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert settings.CLINIC_PHONE in html
    assert "116 123" in html
    assert "/static/css/portal.css" in html


def test_bad_request_page_says_what_to_do_without_database(settings):
    response = bad_request(RequestFactory().get("/"), exception=None)

    html = response.content.decode()
    assert response.status_code == 400
    assert "shorten your message" in html
    assert settings.CLINIC_PHONE in html


@pytest.mark.urls("tests.portal.raising_urls")
def test_a_failing_view_is_answered_with_the_clinic_s_error_page(client, settings):
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert settings.CLINIC_PHONE in response.text
    assert "116 123" in response.text
