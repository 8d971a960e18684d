"""Staff sessions end at browser close, when idle, after an absolute limit, and on
sign-out, password change and deactivation; visitors never get a session row."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from portal.staff_access.services import SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password_alone(settings):
    settings.STAFF_REQUIRE_2FA = False


@pytest.fixture
def signed_in(client, staff_user):
    client.force_login(staff_user)
    return client


def age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_the_session_cookie_ends_with_the_browser(signed_in):
    response = signed_in.get("/admin/")

    cookie = response.client.cookies["sessionid"]
    assert response.status_code == 200
    assert not cookie["expires"] and not cookie["max-age"]


def test_an_idle_session_ends_and_says_why(signed_in, settings):
    age_session(signed_in, **{SEEN_AT: settings.STAFF_IDLE_MINUTES * 60 + 1})

    response = signed_in.get("/admin/enquiries/enquiry/", follow=True)

    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "after 30 minutes without activity" in response.text
    assert not Session.objects.filter(session_key=signed_in.session.session_key).exists()


def test_activity_keeps_a_session_alive(signed_in, settings):
    age_session(signed_in, **{SEEN_AT: settings.STAFF_IDLE_MINUTES * 60 - 5})

    assert signed_in.get("/admin/").status_code == 200
    assert time.time() - signed_in.session[SEEN_AT] < 5


def test_a_session_ends_eight_hours_after_sign_in_however_busy(signed_in):
    age_session(signed_in, **{SIGNED_IN_AT: 8 * 3600 + 1, SEEN_AT: 0})

    response = signed_in.get("/admin/", follow=True)

    assert "8 hours after signing in" in response.text
    assert signed_in.get("/admin/").status_code == 302


def test_stored_sessions_expire_with_idleness(signed_in, settings):
    signed_in.get("/admin/")
    stored = Session.objects.get(session_key=signed_in.session.session_key)

    assert settings.SESSION_COOKIE_AGE == settings.STAFF_IDLE_MINUTES * 60
    assert (stored.expire_date.timestamp() - time.time()) <= settings.STAFF_IDLE_MINUTES * 60


def test_signing_out_deletes_the_session(signed_in):
    key = signed_in.session.session_key

    signed_in.post("/admin/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert signed_in.get("/admin/").status_code == 302


def test_changing_the_password_ends_the_users_other_sessions(client, staff_user):
    other_browser = type(client)()
    other_browser.force_login(staff_user)
    client.force_login(staff_user)

    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "a-new-long-passphrase-41",
            "new_password2": "a-new-long-passphrase-41",
        },
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other_browser.get("/admin/").status_code == 302


def test_deactivating_a_user_ends_their_sessions(client, staff_user):
    client.force_login(staff_user)
    admin = type(client)()
    admin.force_login(get_user_model().objects.create_superuser("boss", "", "another-long-password"))

    get_user_model().objects.filter(pk=staff_user.pk).update(is_active=False)

    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path", ["/?toolbar_on", "/?edit", "/?toolbar_off", "/contact-us/", "/admin/login/", "/cms_login/"]
)
def test_an_anonymous_visit_creates_no_session_row(client, site_content, path):
    for _ in range(5):
        client.get(path)

    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_an_anonymous_head_request_creates_no_session_row_either(client, site_content):
    response = client.head("/?toolbar_on")

    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies
