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


@pytest.mark.parametrize("visit", ["first", "served from the page cache"])
def test_public_page_is_cacheable_by_any_shared_cache(client, make_page, visit):
    make_page("About us")
    if visit == "served from the page cache":
        client.get("/about-us/")

    response = client.get("/about-us/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response.cookies == {}
    # It varies on nothing of the visitor's: only on whether their browser takes gzip.
    assert response["Vary"] == "Accept-Encoding"
    # Kept only while revalidated: a publish is seen on the next visit.
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"]
    assert '<html lang="en-GB">' in response.text


def test_page_for_signed_in_staff_varies_on_their_cookie(client, make_page, staff_author):
    make_page("About us")
    client.force_login(staff_author)

    response = client.get("/about-us/")

    assert "Cookie" in response["Vary"]


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
