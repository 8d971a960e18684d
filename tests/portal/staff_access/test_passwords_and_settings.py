import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.portal.test_settings import run_django_setup

pytestmark = pytest.mark.django_db


def test_a_password_needs_at_least_12_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")
    validate_password("Tr0ub4dor&3x")


def test_a_common_password_is_refused_however_long():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")


def test_the_admin_refuses_a_short_password_beside_the_field(admin_client, settings):
    settings.STAFF_REQUIRE_2FA = False
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": "password", "new_password1": "short-pass", "new_password2": "short-pass"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in str(response.context["form"].errors["new_password2"])


PRINT_SETTINGS = (
    "import json, sys; from django.conf import settings; "
    "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
)
PRODUCTION_SETTINGS = [
    "STAFF_REQUIRE_2FA",
    "STAFF_IDLE_MINUTES",
    "STAFF_SESSION_HOURS",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "LOGIN_REDIRECT_URL",
    "TRUSTED_PROXIES",
]


def settings_with(**environment):
    result = run_django_setup(*PRODUCTION_SETTINGS, script=PRINT_SETTINGS, SECRET_KEY="x" * 60, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_requires_the_second_factor_and_short_sessions():
    production = settings_with(DEBUG="0")

    assert production == {
        "STAFF_REQUIRE_2FA": True,
        "STAFF_IDLE_MINUTES": 30,
        "STAFF_SESSION_HOURS": 8,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_AGE": 1800,
        "AXES_FAILURE_LIMIT": 5,
        "LOGIN_REDIRECT_URL": "admin:index",
        "TRUSTED_PROXIES": [],
    }


def test_a_development_machine_may_sign_in_with_a_password_alone():
    assert settings_with(DEBUG="1")["STAFF_REQUIRE_2FA"] is False
    assert settings_with(DEBUG="1", STAFF_REQUIRE_2FA="1")["STAFF_REQUIRE_2FA"] is True
