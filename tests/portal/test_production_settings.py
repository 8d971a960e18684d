"""The settings production ends up with when DEBUG is off and nothing else is said: every
safeguard on by default, none of them left to someone remembering a variable."""

import json

import pytest

from tests.portal.test_settings import run_django_setup

NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "STAFF_REQUIRE_2FA",
    "STAFF_IDLE_MINUTES",
    "MIDDLEWARE",
    "ENQUIRY_NOTIFY_DURING_REQUEST",
]
PRINT_SETTINGS = f"""
import json
from django.conf import settings
print(json.dumps({{name: getattr(settings, name, None) for name in {NAMES!r}}}))
"""


@pytest.fixture(scope="module")
def production():
    result = run_django_setup(
        script=PRINT_SETTINGS,
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghij",
        ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_only_with_a_year_of_hsts(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True


def test_cookies_only_over_https_and_out_of_scripts_reach(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True


def test_headers_and_their_middleware_first_in_line(production):
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production["X_FRAME_OPTIONS"] == "SAMEORIGIN"
    # The page cache answers first, with the headers these gave a page when it was stored
    # (tests/portal/test_page_cache.py: a hit carries the same headers as the miss).
    assert production["MIDDLEWARE"][:4] == [
        "portal.page_cache.PageCacheMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "portal.middleware.ContentSecurityPolicyMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
    ]


def test_short_staff_sessions_and_a_second_factor_required(production):
    assert production["STAFF_REQUIRE_2FA"] is True
    assert production["STAFF_IDLE_MINUTES"] == 30
    assert production["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert production["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_no_visitor_waits_for_the_mail_server(production):
    # The running sender emails staff (README, "Running in production").
    assert production["ENQUIRY_NOTIFY_DURING_REQUEST"] is False
