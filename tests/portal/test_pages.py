import pytest

pytestmark = pytest.mark.django_db


def test_published_page_renders_for_anonymous_visitor(client, make_page):
    make_page("Opening hours", in_navigation=True)

    response = client.get("/opening-hours/")

    assert response.status_code == 200
    assert "<h1>Opening hours</h1>" in response.text
    assert '<a href="/opening-hours/" aria-current="page">Opening hours</a>' in response.text


def test_unpublished_draft_is_not_found(client, make_page):
    make_page("Draft notice", published=False)

    response = client.get("/draft-notice/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Draft notice" not in response.text


def test_public_page_sets_no_cookie_and_does_not_vary_on_language(client, make_page):
    make_page("About us")

    response = client.get("/about-us/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response.cookies == {}
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="en-GB">' in response.text


def test_base_template_gives_landmarks_and_skip_link(client, make_page):
    make_page("Contact")

    html = client.get("/contact/").text

    assert '<a class="skip-link" href="#main-content">Skip to main content</a>' in html
    assert '<main id="main-content"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    assert 'name="viewport"' in html


def test_unknown_address_gives_styled_404_with_crisis_numbers(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "/static/css/portal.css" in response.text
    assert "116 123" in response.text
