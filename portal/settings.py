"""
Settings for the clinic information portal.

Everything that differs between a laptop and production comes from the environment
(see the table in README.md). The defaults are safe for a first run: SQLite beside
manage.py, local-memory cache, email printed to the console, DEBUG off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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
    "csp",
    # Staff sign-in: a second factor (passkey, authenticator app, backup codes) and lockout.
    "portal.staff_access",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
]

# No LocaleMiddleware and no django CMS LanguageCookieMiddleware: the portal has one
# language, and without them anonymous pages set no cookie and do not vary on
# Accept-Language, so a CDN or the CMS page cache can serve them. No
# ApphookReloadMiddleware either: the portal has no apphooks, and it would query the
# database on every request, before the health check could answer.
MIDDLEWARE = [
    # Published pages for anonymous visitors, before everything else: a stored page keeps
    # the headers the middleware below adds (security headers included).
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end when idle or too old, and nothing but the second-factor step
    # answers a staff member who has not passed it; both before django CMS sees the request.
    "portal.staff_access.middleware.StaffSessionLifetimeMiddleware",
    "portal.staff_access.middleware.SecondFactorRequiredMiddleware",
    # CMS editing views only for staff who may see drafts (after the second factor, so an
    # unverified session is sent to finish signing in rather than refused).
    "therapy_pages.middleware.EditorialAdminAccessMiddleware",
    "therapy_pages.middleware.OneQueryStringRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.user.CurrentUserMiddleware",
    "cms.middleware.page.CurrentPageMiddleware",
    "cms.middleware.toolbar.ToolbarMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
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


def _redis_cache(url, *, ignore_exceptions):
    """Redis with short timeouts (on a local network it answers in well under a
    millisecond), paused for a few seconds after a failure; see portal/cache.py."""
    return {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.2),
            "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.2),
            "IGNORE_EXCEPTIONS": ignore_exceptions,
            "PAUSE_AFTER_ERROR_SECONDS": env.int("REDIS_PAUSE_AFTER_ERROR_SECONDS", default=10),
        },
    }


def cache_settings(redis_url):
    """The "default" cache treats a failing cache as empty, so pages come from the database;
    "ratelimit" raises, so the enquiry rate limiter knows it is counting nothing."""
    if redis_url:
        return {
            "default": _redis_cache(redis_url, ignore_exceptions=True),
            "ratelimit": _redis_cache(redis_url, ignore_exceptions=False),
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
    }


CACHES = cache_settings(REDIS_URL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language, British English. LANGUAGES and CMS_LANGUAGES must agree with every
# page the content loader creates.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
# The clinic's words for some of django CMS's and its apps' (locale/en_GB/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# Lets the domain be submitted to browsers' HTTPS-only list; turn off (SECURE_HSTS_PRELOAD=0)
# before the first production deploy if any subdomain must still answer over plain HTTP.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Response headers: Content-Security-Policy (django-csp) and Permissions-Policy
# (django-permissions-policy), set by the first middleware after SecurityMiddleware so that
# every response carries them, including pages served from an early cache.
# portal.middleware.ContentSecurityPolicyMiddleware picks one of three policies by the kind
# of page. Visitors: the portal's own files only. Inline style attributes stay allowed for
# the style the CMS toolbar sets on pages staff view; inline scripts are never allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The Django admin, with the enquiry desk: its own setting, as strict as the visitors'.
CONTENT_SECURITY_POLICY_ADMIN = {"DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
# django CMS's edit, structure and preview views, where its editor runs. django CMS 5.1
# loads no inline script, and static/js/focusin-support.js stops its jQuery's one inline
# probe, so today the editor needs nothing looser; anything it ever needs is added here.
CONTENT_SECURITY_POLICY_CMS_EDITOR = {"DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
# No page of the portal uses any of these; a browser refuses them to anything injected.
# Passkeys (WebAuthn) and full-screen stay open to the portal itself.
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
        (),
    ),
    **dict.fromkeys(["fullscreen", "publickey-credentials-create", "publickey-credentials-get"], ("self",)),
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# django CMS shows its editing frames from the same site.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    # X-Frame-Options SAMEORIGIN, not DENY: django CMS's editor shows the portal's own pages
    # and admin forms in frames of the same site. Other sites still cannot frame it.
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
# Visitors never get the toolbar's own sign-in form: staff sign in through the admin.
CMS_TOOLBAR_ANONYMOUS_ON = False
# portal.page_cache replaces django CMS's page cache: the CMS's version can be rewritten by a
# render racing a publish, and its entries then outlive the publish.
CMS_PAGE_CACHE = False
# The toolbar only on CMS pages: other views (the health check above all) stay free of
# its database queries.
CMS_TOOLBAR_HIDE = True
# A plugin that raises fails the visitor's page with the error page (the clinic's phone and
# crisis numbers) and a logged 500, instead of a 200 with that part of the page silently
# empty, which the page cache would then keep. Editors in edit mode or preview still get
# django CMS's error box in place of the plugin, so they can find and fix it.
CMS_CATCH_PLUGIN_500_EXCEPTION = False
TEXT_INLINE_EDITING = True
# The media library takes images and PDF documents only (see therapy_pages/uploads.py); SVG,
# which can carry script, is not among them.
_UPLOAD_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
FILER_MIME_TYPE_WHITELIST = [*_UPLOAD_IMAGE_TYPES, "application/pdf"]
FILER_ADD_FILE_VALIDATORS = {
    **dict.fromkeys(_UPLOAD_IMAGE_TYPES, ("therapy_pages.uploads.validate_image",)),
    "application/pdf": ("therapy_pages.uploads.validate_pdf",),
}
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
    "filters": {
        "without_query_strings": {"()": "portal.logging.WithoutQueryStrings"},
        "forbidden_without_traceback": {"()": "portal.logging.ForbiddenWithoutTraceback"},
    },
    "loggers": {
        "django.server": {"handlers": ["console"], "filters": ["without_query_strings"], "propagate": False},
        # A refused request (403) is one line, without its traceback.
        "django.request": {"filters": ["forbidden_without_traceback"]},
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
# A form sent sooner than this after it was shown is treated as suspected spam.
ENQUIRY_MIN_FILL_SECONDS = env.int("ENQUIRY_MIN_FILL_SECONDS", default=3)
PHONENUMBER_DEFAULT_REGION = "GB"
PHONENUMBER_DB_FORMAT = "E164"
# A mail server that hangs must not hold a visitor's request for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
CSRF_FAILURE_VIEW = "enquiries.views.csrf_failure"

# The staff email leaves the visitor's request: `manage.py send_enquiry_notifications --every 5`
# finds each new enquiry by its empty `staff_notified_at` and sends it, so a visitor never
# waits for the mail server, and nothing is lost while the sender is stopped. With DEBUG on
# the request itself sends it once the save commits, so `make run` needs no sender.
ENQUIRY_NOTIFY_DURING_REQUEST = env.bool("ENQUIRY_NOTIFY_DURING_REQUEST", default=DEBUG)
# A staff email still unsent this many minutes after its enquiry arrived makes
# /healthz/dependencies report the notifications as delayed.
ENQUIRY_NOTIFY_DELAYED_MINUTES = env.int("ENQUIRY_NOTIFY_DELAYED_MINUTES", default=15)

# Client address (portal/client_address.py), for the enquiry rate limit and sign-in lockout.
# Forwarding headers are believed only from these proxies (addresses or networks); with
# none named, the connection's own address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# The header those proxies set: X-Forwarded-For (each proxy appends) or X-Real-IP.
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="X-Forwarded-For")


# Staff sign-in: second factor, lockout and sessions (portal/staff_access/)
# Every sign-in needs a passkey, an authenticator-app code or a backup code. Off only on a
# development machine, where staff who have set one up are still asked for it.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=not DEBUG)
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Passkeys belong to the address staff sign in at; browsers offer them on localhost, not
# on 127.0.0.1.
STAFF_PASSKEY_ORIGIN = env.str("STAFF_PASSKEY_ORIGIN", default="http://localhost:8000" if DEBUG else SITE_URL)
OTP_WEBAUTHN_ALLOWED_ORIGINS = [STAFF_PASSKEY_ORIGIN]
OTP_WEBAUTHN_RP_ID = urlsplit(STAFF_PASSKEY_ORIGIN).hostname
OTP_WEBAUTHN_RP_NAME = SITE_NAME
# Every sign-in starts with a password; a passkey is the second factor, not a replacement.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = SITE_NAME
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): this many failed passwords or second-factor codes for one user
# from one address pause sign-in for that pair for the cool-off.
STAFF_LOCKOUT_FAILURES = env.int("STAFF_LOCKOUT_FAILURES", default=5)
STAFF_LOCKOUT_MINUTES = env.int("STAFF_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = STAFF_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=STAFF_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "staff_access/locked_out.html"
# Failures are not forgiven by a correct password alone, or the second factor could be
# guessed forever; they are cleared once both factors pass.
AXES_RESET_ON_SUCCESS = False
# Attempts are kept in the database for administrators; the log gets no names or addresses.
AXES_VERBOSE = False
# Staff sessions end at browser close, after STAFF_IDLE_MINUTES without a request, and
# STAFF_SESSION_HOURS after sign-in, whatever happens.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The stored session expires with idleness too, so `clearsessions` removes it.
SESSION_COOKIE_AGE = STAFF_IDLE_MINUTES * 60

# Therapy pages: clinical review
# Addresses (the clinical lead's) told weekly of the pages due for review, besides every
# content editor with an email address (`manage.py send_review_reminders`).
REVIEW_REMINDER_EMAILS = env.list("REVIEW_REMINDER_EMAILS", default=[])
# A change to a therapy page is published only once a clinical reviewer has approved it
# (therapy_pages/sign_off.py). On in production; off with DEBUG on unless set.
CLINICAL_SIGN_OFF = env.bool("CLINICAL_SIGN_OFF", default=not DEBUG)

# Page cache (portal/page_cache.py)
# Seconds a rendered page is kept; any publish outdates it at once, whatever is left.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Hidden form inputs that differ per visitor, filled afresh on every page served from the
# cache (the CSRF token always is): input name -> function that makes a new value.
PAGE_CACHE_FRESH_INPUTS = {"form_token": "enquiries.tokens.issue_form_token"}

# Uploaded files (images on pages). One machine: the portal serves them from MEDIA_ROOT.
# Several instances: set MEDIA_S3_BUCKET, and uploads go to S3-compatible object storage
# through django-storages, where every instance finds them, served from the bucket's address
# (MEDIA_S3_CUSTOM_DOMAIN for a CDN in front of it).
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
SERVE_MEDIA = not MEDIA_S3_BUCKET
if MEDIA_S3_BUCKET:
    # Set as django-storages' settings, not storage options: filer builds its own storage
    # from the backend's name alone.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = MEDIA_S3_BUCKET
    AWS_S3_ENDPOINT_URL = env.str("MEDIA_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env.str("MEDIA_S3_REGION", default="") or None
    AWS_S3_CUSTOM_DOMAIN = env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None
    # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment or
    # from the machine's role, never from this file. Objects are public images, under
    # names filer makes unique, so their addresses need no signature and never change.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
