"""
Settings for the clinic information portal.

Everything that differs between a laptop and production comes from the environment
(see the table in README.md). The defaults are safe for a first run: SQLite beside
manage.py, local-memory cache, email printed to the console, DEBUG off.
"""

import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Development settings: `make run` writes DEBUG and the generated SECRET_KEY to .env on a
# first run, so that `manage.py` run by hand behaves like the server it started. Variables
# set in the environment win over the file. Production has no .env; ENV_FILE may name
# another file, or be empty to read none (the test suite reads none).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key():
    """Production must be given a key; a first run on a laptop makes one and keeps it."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so no "
            "development key is generated)."
        )
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "therapy_pages",
    "enquiries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "cms",
    "menus",
    "treebeard",
    "sekizai",
    "parler",
    "djangocms_versioning",
    "djangocms_alias",
    "djangocms_text",
    "filer",
    "easy_thumbnails",
    "phonenumber_field",
]

# No LocaleMiddleware and no django CMS LanguageCookieMiddleware: the portal has one
# language, and without them anonymous pages set no cookie and do not vary on
# Accept-Language, so a CDN or the CMS page cache can serve them. No
# ApphookReloadMiddleware either: the portal has no apphooks, and it would query the
# database on every request, before the health check could answer.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.user.CurrentUserMiddleware",
    "cms.middleware.page.CurrentPageMiddleware",
    "cms.middleware.toolbar.ToolbarMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sekizai.context_processors.sekizai",
                "cms.context_processors.cms_settings",
                "portal.context_processors.clinic",
            ],
        },
    },
]


# Database: SQLite beside manage.py unless DATABASE_URL says otherwise.
def _database(url):
    database = environ.Env.db_url_config(url)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on during a write; IMMEDIATE takes the write lock at the
        # start of a transaction, so concurrent writers wait (up to the timeout) instead
        # of failing with "database is locked" half-way through.
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # A file, not memory, so tests with several threads share one real database.
        database["TEST"] = {"NAME": str(Path(database["NAME"]).with_suffix(".test.sqlite3"))}
    else:
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        database["CONN_HEALTH_CHECKS"] = True
    return database


# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": _database(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared Redis when several processes serve the site, local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language, British English. LANGUAGES and CMS_LANGUAGES must agree with every
# page the content loader creates.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

SITE_ID = 1
SITE_NAME = env.str("SITE_NAME", default="Clinic information portal")
# The portal's public address, for links that leave the site (staff email) and the
# sites framework's record (`manage.py configure_site`).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Shown wherever a visitor might need to call instead of writing (a fictitious number
# from Ofcom's drama range until the clinic sets its own).
CLINIC_PHONE = env.str("CLINIC_PHONE", default="020 7946 0000")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict unless DEBUG is on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# For visitors (see portal.middleware): the portal's own files only. Inline style attributes
# are allowed because editors' rich text may carry them; inline scripts are not.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
# django CMS shows its editing frames from the same site.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    # Same-origin framing is what django CMS's editor needs.
    "security.W019",
    # A warning about treebeard 6, which requirements.txt keeps out on purpose.
    "treebeard.E001",
]

# django CMS
CMS_CONFIRM_VERSION4 = True
CMS_TEMPLATES = [
    ("pages/default.html", "Standard page"),
    ("pages/therapy.html", "Therapy explainer (contents list, clinical review dates)"),
    ("pages/section_index.html", "Section overview (lists the pages below it)"),
]
CMS_LANGUAGES = {
    SITE_ID: [
        {
            "code": "en-gb",
            "name": "English",
            "public": True,
            "hide_untranslated": False,
            "redirect_on_fallback": True,
        }
    ],
    "default": {"public": True, "hide_untranslated": False},
}
CMS_PERMISSION = False
# The toolbar only on CMS pages: other views (the health check above all) stay free of
# its database queries.
CMS_TOOLBAR_HIDE = True
TEXT_INLINE_EDITING = True
THUMBNAIL_PROCESSORS = (
    "easy_thumbnails.processors.colorspace",
    "easy_thumbnails.processors.autocrop",
    "filer.thumbnail_processors.scale_and_crop_with_subject_location",
    "easy_thumbnails.processors.filters",
)

# Logs go to standard output; no request bodies or personal data are logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The development server logs each request line; search words are cut from them.
    "filters": {"without_query_strings": {"()": "portal.logging.WithoutQueryStrings"}},
    "loggers": {
        "django.server": {"handlers": ["console"], "filters": ["without_query_strings"], "propagate": False}
    },
}


# Enquiries
# Hours within which the clinic promises to answer; a New enquiry older than this is overdue.
ENQUIRY_RESPONSE_HOURS = env.int("ENQUIRY_RESPONSE_HOURS", default=24)
# Days a closed enquiry keeps its personal details before they are blanked.
ENQUIRY_RETENTION_DAYS = env.int("ENQUIRY_RETENTION_DAYS", default=365)
ENQUIRY_SPAM_RETENTION_DAYS = env.int("ENQUIRY_SPAM_RETENTION_DAYS", default=30)
# Staff addresses told that an enquiry arrived (reference and link only).
ENQUIRY_NOTIFY_EMAILS = env.list("ENQUIRY_NOTIFY_EMAILS", default=[])
# Where the link in that email points: the portal's public address.
ENQUIRY_ADMIN_BASE_URL = env.str("ENQUIRY_ADMIN_BASE_URL", default=SITE_URL)
# Saved enquiries per client address (IPv6 by /64) per window; see enquiries/ratelimit.py.
ENQUIRY_RATE_LIMIT_COUNT = env.int("ENQUIRY_RATE_LIMIT_COUNT", default=10)
ENQUIRY_RATE_LIMIT_WINDOW_SECONDS = env.int("ENQUIRY_RATE_LIMIT_WINDOW_SECONDS", default=3600)
# The request header that holds the visitor's address: REMOTE_ADDR, or for example
# HTTP_X_REAL_IP when a proxy that sets it stands in front.
ENQUIRY_CLIENT_IP_HEADER = env.str("ENQUIRY_CLIENT_IP_HEADER", default="REMOTE_ADDR")
# A form sent sooner than this after it was shown is treated as suspected spam.
ENQUIRY_MIN_FILL_SECONDS = env.int("ENQUIRY_MIN_FILL_SECONDS", default=3)
PHONENUMBER_DEFAULT_REGION = "GB"
PHONENUMBER_DB_FORMAT = "E164"
# A mail server that hangs must not hold a visitor's request for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
CSRF_FAILURE_VIEW = "enquiries.views.csrf_failure"
