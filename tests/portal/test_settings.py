import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.processes

# The portal's own variables that this machine's environment might set; the rest stays.
PORTAL_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
}
PRINT_DEBUG_AND_KEY = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


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


def settings_seen(env_file, **environment):
    """DEBUG and SECRET_KEY as portal.settings reads them, with `env_file` as ENV_FILE."""
    result = run_django_setup(script=PRINT_DEBUG_AND_KEY, ENV_FILE=str(env_file), **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture
def development_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=key-from-the-development-env-file-0123456789\n")
    return env_file


def test_settings_read_the_development_env_file(development_env_file):
    assert settings_seen(development_env_file) == ["True", "key-from-the-development-env-file-0123456789"]


def test_the_environment_wins_over_the_env_file(development_env_file):
    seen = settings_seen(development_env_file, DEBUG="0", SECRET_KEY="key-from-the-environment-0123456789")

    assert seen == ["False", "key-from-the-environment-0123456789"]


def test_no_env_file_is_read_when_there_is_none_or_it_is_turned_off(development_env_file):
    secret = "a-long-random-production-secret-key-0123456789-abcdefghij"

    assert settings_seen(development_env_file.parent / "missing", SECRET_KEY=secret) == ["False", secret]
    assert settings_seen("", SECRET_KEY=secret) == ["False", secret]
