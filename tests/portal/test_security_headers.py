"""Every response carries the portal's security headers, and each kind of page its whole
Content-Security-Policy: a policy that grows looser by one source fails here."""

import pytest
from cms.toolbar.utils import get_object_edit_url, get_object_preview_url, get_object_structure_url

from tests.conftest import draft_of
from tests.enquiries.conftest import create_contact_page, valid_form_data

pytestmark = pytest.mark.django_db

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
VISITOR_POLICY = ADMIN_POLICY = CMS_EDITOR_POLICY = STRICT_POLICY
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), fullscreen=(self), geolocation=(), gyroscope=(), hid=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), publickey-credentials-create=(self), "
    "publickey-credentials-get=(self), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)


def directives(policy):
    """The policy as a set of directives: django-csp writes them in no fixed order."""
    return set(policy.split("; "))


def assert_policy(response, expected):
    assert directives(response["Content-Security-Policy"]) == directives(expected)


def test_public_page(client, make_page):
    make_page("About us")

    assert_policy(client.get("/about-us/"), VISITOR_POLICY)


def test_contact_form_and_its_answers(client, make_page, staff_author):
    create_contact_page(make_page, staff_author)

    assert_policy(client.get("/contact-us/"), VISITOR_POLICY)
    refused = client.post("/enquiries/send/", valid_form_data(name=""))
    assert refused.status_code == 200
    assert_policy(refused, VISITOR_POLICY)
    sent = client.post("/enquiries/send/", valid_form_data())
    assert sent.status_code == 302
    assert_policy(sent, VISITOR_POLICY)
    thanks = client.get(sent["Location"])
    assert "Thank you" in thanks.text
    assert_policy(thanks, VISITOR_POLICY)


def test_not_found_page(client, make_page):
    make_page("Home")

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_policy(response, VISITOR_POLICY)


def test_signed_in_staff_get_the_visitors_policy_on_public_pages(client, make_page, staff_author):
    make_page("About us")
    client.force_login(staff_author)

    assert_policy(client.get("/about-us/"), VISITOR_POLICY)


def test_admin_and_enquiry_desk(admin_client):
    for url in ["/admin/", "/admin/enquiries/enquiry/", "/admin/login/", "/admin/no-such-page/"]:
        assert_policy(admin_client.get(url), ADMIN_POLICY)


def test_cms_edit_structure_and_preview(admin_client, make_page):
    content = draft_of(make_page("About us", published=False))

    for url in (
        get_object_edit_url(content),
        get_object_structure_url(content),
        get_object_preview_url(content),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert_policy(response, CMS_EDITOR_POLICY)


def test_static_files_served_ahead_of_every_view_carry_the_headers_too(client):
    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert_policy(response, VISITOR_POLICY)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_every_response_carries_the_other_security_headers(client, make_page, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    make_page("About us")

    for response in (client.get("/about-us/", secure=True), client.get("/admin/login/", secure=True)):
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_each_kind_of_page_gets_the_policy_meant_for_it(client, admin_client, make_page, settings):
    """The three policies read alike today; each kind of page must still get its own, so that
    loosening the editor's policy one day loosens no other page. None is only reported."""
    strict = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY_ADMIN = {"DIRECTIVES": {**strict, "worker-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_CMS_EDITOR = {"DIRECTIVES": {**strict, "connect-src": ["'self'"]}}
    make_page("About us")
    draft = draft_of(make_page("Opening hours", published=False))

    responses = {
        STRICT_POLICY: [client.get("/about-us/"), admin_client.get("/about-us/")],
        f"{STRICT_POLICY}; worker-src 'none'": [admin_client.get("/admin/")],
        f"{STRICT_POLICY}; connect-src 'self'": [admin_client.get(get_object_edit_url(draft))],
    }

    for policy, answers in responses.items():
        for response in answers:
            assert response.status_code == 200
            assert_policy(response, policy)
            assert "Content-Security-Policy-Report-Only" not in response
