import os
import subprocess
import sys

from django.conf import settings


def run_django_setup(*arguments, script="import django; django.setup()", **environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(  # noqa: S603 - the tests' own fixed scripts
        [sys.executable, "-c", script, *arguments],
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
