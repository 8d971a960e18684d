"""Every `manage.py` command the README shows works as written, on a fresh clone after `make run`.

The commands are read from the README itself (code spans and code blocks), so a command
added there is checked without touching this test. A newcomer's shell has none of the
portal's variables set: the commands rely on the `.env` that `make run` writes. Each command
runs `manage.py` in a process of its own, forked from one that has set Django up once
(`manage_py_commands.py`), which saves most of each command's time.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.portal.manage_py_commands import COMMAND_SECONDS

pytestmark = pytest.mark.processes

README = Path(settings.BASE_DIR) / "README.md"
COMMAND_RUNNER = Path(__file__).with_name("manage_py_commands.py")
GIT = shutil.which("git") or "git"
MAKE = shutil.which("make") or "make"
_CODE = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.DOTALL)
_MANAGE_PY = re.compile(r"manage\.py\s+(.+)")
_SHELL_OPERATORS = {"&&", "||", ";", "|", "#"}
SERVER_START_SECONDS = 300
# Variables a newcomer's shell does not have; the clone must work without them.
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ENV_FILE",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PORT",
    "MAKEFLAGS",
    "MAKELEVEL",
}
PASSWORD = secrets.token_urlsafe(16)
# How to answer the commands that would ask a person something.
ANSWERS = {
    "changepassword": {"stdin": f"{PASSWORD}\n{PASSWORD}\n"},
    "createsuperuser": {
        "args": ["--noinput"],
        "env": {
            "DJANGO_SUPERUSER_USERNAME": "readme-superuser",
            "DJANGO_SUPERUSER_EMAIL": "readme-superuser@example.com",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        },
    },
    "collectstatic": {"args": ["--noinput"]},
    "migrate": {"args": ["--noinput"]},
}
# Commands that cannot run to an end here, and why.
NOT_RUN = {
    "runserver": "serves until stopped; `make run` has just started and answered through it",
}
# Seconds a command that runs until stopped (`--every`) has to say that it is running.
STARTED_SECONDS = 60


def readme_commands(text):
    """The argument lists of every `manage.py ...` in the README's code, in order."""
    commands = []
    for block, span in _CODE.findall(text):
        for line in (block or span).splitlines():
            for found in _MANAGE_PY.finditer(line):
                words = []
                for word in shlex.split(found.group(1), comments=True):
                    if word in _SHELL_OPERATORS:
                        break
                    words.append(word)
                if words and re.fullmatch(r"\w+", words[0]) and words not in commands:
                    commands.append(words)
    return commands


def test_readme_commands_are_found():
    commands = readme_commands(README.read_text(encoding="utf-8"))

    assert ["changepassword", "admin"] in commands
    assert ["send_enquiry_notifications"] in commands
    assert ["send_enquiry_notifications", "--every", "5"] in commands
    assert ["createsuperuser"] in commands
    assert readme_commands("`a`\n```sh\nx && .venv/bin/python manage.py check --deploy && ls\n```") == [
        ["check", "--deploy"]
    ]


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """A clone of the committed code, with the suite's own virtualenv, after `make run`."""
    if not (Path(settings.BASE_DIR) / ".git").exists():
        pytest.skip("not a git checkout: there is nothing to clone")
    clone = tmp_path_factory.mktemp("readme") / "portal"
    subprocess.run([GIT, "clone", "--quiet", str(settings.BASE_DIR), str(clone)], check=True, timeout=120)  # noqa: S603
    (clone / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    for requirements in clone.glob("requirements*.txt"):
        os.utime(requirements, (0, 0))  # Older than the virtualenv: make installs nothing.
    run_make_run_until_it_serves(clone)
    return clone


def newcomer_environment():
    return {name: value for name, value in os.environ.items() if name not in PORTAL_VARIABLES}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_make_run_until_it_serves(clone):
    port = free_port()
    log = clone.parent / "make-run.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [MAKE, "run", f"PORT={port}"],
            cwd=clone,
            env=newcomer_environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"`make run` did not serve the home page:\n{log.read_text()[-3000:]}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_make_run_writes_an_ignored_env_file_for_development(fresh_clone):
    env_file = fresh_clone / ".env"

    lines = env_file.read_text().splitlines()
    assert "DEBUG=1" in lines
    assert any(re.fullmatch(r"SECRET_KEY=\S{40,}", line) for line in lines)
    assert env_file.stat().st_mode & 0o077 == 0
    ignored = subprocess.run([GIT, "check-ignore", "-q", ".env"], cwd=fresh_clone, check=False)  # noqa: S603
    assert ignored.returncode == 0


README_COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def runs_to_an_end(command):
    return command[0] not in NOT_RUN and "--every" not in command


@pytest.fixture(scope="module")
def results(fresh_clone):
    """Each command that runs to an end, run in the clone, in the README's order: its exit
    code and what it printed, by its words."""
    commands = [command for command in README_COMMANDS if runs_to_an_end(command)]
    asked = fresh_clone.parent / "commands.json"
    answered = fresh_clone.parent / "results.json"
    asked.write_text(json.dumps([as_typed(command) for command in commands]))
    subprocess.run(  # noqa: S603 (a fixed command line)
        [".venv/bin/python", str(COMMAND_RUNNER), str(asked), str(answered)],
        cwd=fresh_clone,
        env=newcomer_environment(),
        timeout=COMMAND_SECONDS * len(commands),
        check=True,
    )
    return dict(zip(map(tuple, commands), json.loads(answered.read_text()), strict=True))


def as_typed(command):
    """The command with what a person would give it when asked (a password, a yes)."""
    answers = ANSWERS.get(command[0], {})
    return {
        "argv": [*command, *answers.get("args", [])],
        "env": answers.get("env", {}),
        "stdin": answers.get("stdin", ""),
    }


@pytest.mark.parametrize("command", README_COMMANDS, ids=" ".join)
def test_readme_command_runs_on_a_fresh_clone(fresh_clone, results, command):
    if command[0] in NOT_RUN:
        pytest.skip(NOT_RUN[command[0]])
    if "--every" in command:
        assert_runs_until_stopped(fresh_clone, command)
        return

    result = results[tuple(command)]

    assert result["returncode"] == 0, f"manage.py {' '.join(command)} failed:\n{result['output']}"


def assert_runs_until_stopped(clone, command):
    """Started as the service manager starts it, it says it is running; stopped as the
    service manager stops it (SIGTERM), it ends cleanly."""
    log = clone.parent / f"{command[0]}.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (the README's own command)
            [".venv/bin/python", "manage.py", *command],
            cwd=clone,
            env=newcomer_environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTED_SECONDS
        while not log.read_text().strip() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert process.poll() is None, f"manage.py {' '.join(command)} stopped by itself:\n{log.read_text()}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0, f"manage.py {' '.join(command)} did not stop cleanly:\n{log.read_text()}"
