"""
Settings for the test suite: the portal's own settings, made explicit for tests.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and on
PostgreSQL. Nothing here leaves the machine: email goes to Django's locmem outbox.
"""

import os

# A developer's .env (written by `make run`) must not change what the tests see, here or
# in the commands they start.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-deployment-0123456789")
# A machine busy with a browser, a database and the suite can hold up a healthy Redis longer
# than production's short timeouts; the outage tests set their own (tests/outages.py).
os.environ.setdefault("REDIS_CONNECT_TIMEOUT", "2")
os.environ.setdefault("REDIS_TIMEOUT", "2")

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The portal's cache as configured: Redis when REDIS_URL is set (CI runs the PostgreSQL
# suite that way, as production runs), local memory otherwise. Tests clear it freely, so
# REDIS_URL must name a database kept for tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files come straight from the apps' folders; no collectstatic before a test run.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Staff are emailed from the request, as with DEBUG on; tests of the sender turn it off.
ENQUIRY_NOTIFY_DURING_REQUEST = True
# The suite signs staff in without a second factor, as a development machine does; the
# tests of staff sign-in turn it on (tests/portal/staff_access/).
STAFF_REQUIRE_2FA = False
# Publishing is not held for clinical sign-off, except in the tests of sign-off itself
# (tests/therapy_pages/test_clinical_sign_off.py turn it on).
CLINICAL_SIGN_OFF = False
