"""Repeated failures, with a password or a second-factor code, pause sign-in for one user
from one client address (django-axes), whatever forwarding headers say."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.portal.staff_access.conftest import current_code, sign_in_with_password

pytestmark = pytest.mark.django_db

VISITOR = "203.0.113.7"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3


def fail_passwords(client, times, **extra):
    return [
        sign_in_with_password(client, password="wrong-password", **extra).status_code for _ in range(times)
    ]


def assert_locked_out(response):
    assert response.status_code == 429
    assert "Signing in is paused" in response.text
    assert "ask a clinic administrator" in response.text
    assert "_auth_user_id" not in response.client.session


def test_repeated_wrong_passwords_lock_out_even_the_right_one(client, staff_user):
    assert fail_passwords(client, 3, REMOTE_ADDR=VISITOR) == [200, 200, 429]

    response = sign_in_with_password(client, REMOTE_ADDR=VISITOR)

    assert_locked_out(response)
    assert "handler" in response.text
    assert "15 minutes" in response.text
    assert client.get("/admin/", REMOTE_ADDR=VISITOR).status_code == 302


def test_the_lockout_is_for_that_user_from_that_address(client, staff_user, settings):
    settings.STAFF_REQUIRE_2FA = False
    fail_passwords(client, 3, REMOTE_ADDR=VISITOR)

    from_elsewhere = sign_in_with_password(type(client)(), REMOTE_ADDR="198.51.100.1")

    assert from_elsewhere.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff_user, settings):
    settings.STAFF_REQUIRE_2FA = False
    fail_passwords(client, 3, REMOTE_ADDR=VISITOR)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert sign_in_with_password(client, REMOTE_ADDR=VISITOR).status_code == 302


def test_rotating_forwarding_headers_does_not_escape_the_lockout(client, staff_user):
    statuses = [
        sign_in_with_password(
            client,
            password="wrong",
            REMOTE_ADDR=VISITOR,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert_locked_out(
        sign_in_with_password(client, REMOTE_ADDR=VISITOR, HTTP_X_FORWARDED_FOR="198.51.100.99")
    )


def test_forging_someone_elses_address_does_not_lock_them_out(client, staff_user, settings):
    settings.STAFF_REQUIRE_2FA = False
    fail_passwords(
        client, 3, REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=VISITOR, HTTP_X_REAL_IP=VISITOR
    )

    assert sign_in_with_password(type(client)(), REMOTE_ADDR=VISITOR).status_code == 302


def test_behind_a_trusted_proxy_the_lockout_follows_the_client_not_the_proxy(client, staff_user, settings):
    settings.STAFF_REQUIRE_2FA = False
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(3):
        sign_in_with_password(
            client,
            password="wrong",
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {VISITOR}",
        )

    locked = sign_in_with_password(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=VISITOR)
    other_client = sign_in_with_password(
        type(client)(), REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )

    assert locked.status_code == 429
    assert other_client.status_code == 302


def test_wrong_second_factor_codes_lock_out_and_end_the_session(client, authenticator_app):
    wrong = "000000" if current_code(authenticator_app) != "000000" else "111111"
    sign_in_with_password(client, REMOTE_ADDR=VISITOR)
    statuses = []
    for _ in range(3):
        authenticator_app.throttle_reset()
        statuses.append(
            client.post("/admin/sign-in/verify/", {"code": wrong}, REMOTE_ADDR=VISITOR).status_code
        )

    assert statuses == [200, 200, 429]
    assert "_auth_user_id" not in client.session
    assert_locked_out(sign_in_with_password(client, REMOTE_ADDR=VISITOR))


def test_a_correct_password_does_not_forgive_wrong_codes(client, authenticator_app):
    wrong = "000000" if current_code(authenticator_app) != "000000" else "111111"
    for _ in range(3):
        sign_in_with_password(client, REMOTE_ADDR=VISITOR)
        authenticator_app.throttle_reset()
        last = client.post("/admin/sign-in/verify/", {"code": wrong}, REMOTE_ADDR=VISITOR)

    assert last.status_code == 429


def test_passing_both_factors_forgives_earlier_failures(client, authenticator_app):
    fail_passwords(client, 2, REMOTE_ADDR=VISITOR)
    sign_in_with_password(client, REMOTE_ADDR=VISITOR)
    client.post("/admin/sign-in/verify/", {"code": current_code(authenticator_app)}, REMOTE_ADDR=VISITOR)
    client.post("/admin/logout/", REMOTE_ADDR=VISITOR)

    assert fail_passwords(client, 2, REMOTE_ADDR=VISITOR) == [200, 200]
