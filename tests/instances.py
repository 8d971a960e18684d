"""App instances as separate processes (gunicorn) on the test database, for tests of what
several instances behind a load balancer must agree on."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[1]
CSRF_SECRET = "a" * 32


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, *, body=None, headers=None):
        """(status, body) of one request, with a fresh connection as a new visitor makes."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def get(self, path):
        status, body = self.request("GET", path)
        return status, body.decode()


@contextlib.contextmanager
def running_instances(count, cache_dir, **environment):
    """`count` gunicorn instances sharing the test database and a cache (Redis when the
    tests run with REDIS_URL, else `cache_dir` on disk)."""
    environment = instance_environment(cache_dir, **environment)
    ports = [free_port() for _ in range(count)]
    # Each instance's log is kept beside the test's other files, for reading after a failure.
    logs = [(Path(cache_dir) / f"instance-{port}.log").open("w") for port in ports]
    servers = [
        subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        instances = [Instance(port) for port in ports]
        for instance in instances:
            _wait_until_answering(instance)
        yield instances
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
        for log in logs:
            log.close()


def instance_environment(cache_dir, **environment):
    """The environment of a process of the portal's on the test database (an instance, or a
    management command running beside them)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.instance_settings",
        "DATABASE_URL": _database_url(),
        "INSTANCE_CACHE_DIR": str(cache_dir),
        **environment,
    }


def _database_url():
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return (
        f"postgres://{quote(database['USER'])}{password}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


def _wait_until_answering(instance, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if instance.get("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the instance on port {instance.port} did not start")


def staff_headers(user):
    """Request headers of a signed-in staff member who passed the CSRF check."""
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
    }
