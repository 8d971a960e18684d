"""The sign-in pages run only the portal's own script files, so they work under a policy
that forbids inline script and style."""

import re

import pytest

from tests.portal.staff_access.conftest import LOGIN_URL, current_code, sign_in_with_password

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_HANDLER_OR_STYLE = re.compile(r"<[^>]+\s(on[a-z]+|style)\s*=", re.IGNORECASE)


def assert_no_inline_script_or_style(html):
    for tag in SCRIPT_TAG.findall(html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not INLINE_HANDLER_OR_STYLE.search(html)


def assert_pages_need_no_inline_script(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_script_or_style(response.text)


def test_setting_up_a_second_factor_needs_no_inline_script(client, staff_user):
    sign_in_with_password(client)

    assert_pages_need_no_inline_script(client, ["/admin/sign-in/", "/admin/sign-in/authenticator-app/"])


def test_passing_the_second_factor_needs_no_inline_script(client, authenticator_app):
    sign_in_with_password(client)
    assert_pages_need_no_inline_script(client, ["/admin/sign-in/verify/"])

    client.post("/admin/sign-in/verify/", {"code": current_code(authenticator_app)})

    assert_pages_need_no_inline_script(client, ["/admin/sign-in/", "/admin/sign-in/backup-codes/"])


def test_the_locked_out_page_needs_no_inline_script(client, staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post(LOGIN_URL, {"username": "handler", "password": "wrong"})

    assert response.status_code == 429
    assert_no_inline_script_or_style(response.text)
