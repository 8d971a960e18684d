import os
import subprocess
import sys

from django.conf import settings

# The portal's own variables that this machine's environment might set; the rest stays.
PORTAL_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
}


def run_django_setup(*arguments, script="", **environment):
    """Start the portal's real settings in a fresh process with `environment`, then run
    `script` with `arguments` as its command line."""
    env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    env.update(environment, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(  # noqa: S603 - this interpreter, with the tests' own fixed scripts
        [sys.executable, "-c", f"import django; django.setup()\n{script}", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_django_setup(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_secret_key():
    result = run_django_setup(
        DEBUG="0", SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghij"
    )

    assert result.returncode == 0, result.stderr


def test_one_language_british_english():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert [code for code, _name in settings.LANGUAGES] == ["en-gb"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    assert "cms.middleware.language.LanguageCookieMiddleware" not in settings.MIDDLEWARE
