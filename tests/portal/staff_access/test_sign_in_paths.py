"""Every address that signs a user in, found from the URL configuration itself, gives no
staff session on a password alone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LoginView
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from tests.portal.staff_access.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SAMPLE_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
STAFF_PAGES = ["/admin/", "/admin/enquiries/enquiry/", "/admin/auth/user/"]


def url_patterns(patterns=None, prefix=""):
    """(address, pattern) for every pattern in the URL configuration, arguments filled in
    with sample values; None as the address where a regular expression leaves none."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield sample_address(prefix, entry), entry


def sample_address(prefix, entry):
    route = prefix + str(entry.pattern)
    if not isinstance(entry.pattern, RoutePattern) and re.search(r"[()\[\]\\*+?|]", route.strip("^$")):
        return None
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda match: SAMPLE_VALUES[match.group(1) or "str"], route)
    return "/" + route.replace("^", "").replace("$", "")


def is_login_view(entry):
    view = getattr(entry.callback, "view_class", entry.callback)
    return (isinstance(view, type) and issubclass(view, LoginView)) or "login" in getattr(
        view, "__name__", ""
    )


def addresses_that_sign_in(staff_user):
    """Post the staff member's username and password to every address; keep those after
    which someone is signed in."""
    signed_in = []

    def note(sender, request, user, **kwargs):
        signed_in.append(request.path)

    user_logged_in.connect(note)
    try:
        for address, _entry in url_patterns():
            if address is None:
                continue
            client = Client(raise_request_exception=False)
            client.post(address, {"username": staff_user.username, "password": PASSWORD, "next": "/admin/"})
    finally:
        user_logged_in.disconnect(note)
    return sorted(set(signed_in))


@pytest.fixture
def every_address_that_signs_in(staff_user):
    return addresses_that_sign_in(staff_user)


def test_the_sign_in_addresses_found_are_the_admin_sign_in_and_nothing_else(every_address_that_signs_in):
    assert every_address_that_signs_in == ["/admin/login/"]


def test_every_login_view_in_the_configuration_is_one_the_post_reached(every_address_that_signs_in):
    """A login view behind an address the sample values cannot reach must not hide."""
    login_views = {(address, entry.lookup_str) for address, entry in url_patterns() if is_login_view(entry)}

    assert {address for address, _view in login_views} == {"/admin/login/", "/cms_login/"}
    assert None not in {address for address, _view in login_views}


def test_no_sign_in_address_gives_a_staff_session_on_a_password_alone(
    staff_user, every_address_that_signs_in
):
    for address in [*every_address_that_signs_in, "/cms_login/"]:
        client = Client()
        client.post(address, {"username": "handler", "password": PASSWORD, "next": "/admin/"})

        for page in STAFF_PAGES:
            response = client.get(page)
            assert response.status_code == 302, (address, page)
            assert response["Location"].startswith(("/admin/sign-in/", "/admin/login/")), (address, page)


def test_django_cms_sign_in_address_signs_no_one_in(client, db):
    get_user_model().objects.create_user(username="visitor", password=PASSWORD)

    response = client.post("/cms_login/?next=/", {"username": "visitor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2F"
    assert "_auth_user_id" not in client.session
