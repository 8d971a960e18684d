"""Two app instances, separate processes sharing the database and the cache, as behind a
load balancer: a publish through one is seen through the other on its very next request."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from djangocms_versioning.models import Version

from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
CSRF_SECRET = "a" * 32


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


class Instance:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, *, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)


@pytest.fixture
def instances(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.instance_settings",
        "DATABASE_URL": database_url(),
        "INSTANCE_CACHE_DIR": str(tmp_path / "cache"),
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603 (a fixed command line)
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        started = [Instance(port) for port in ports]
        for instance in started:
            wait_until_answering(instance)
        yield started
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


def wait_until_answering(instance):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if instance.get("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the instance on port {instance.port} did not start")


def publish_through(instance, version, user):
    """Press "Publish" as the editor does, in the admin of `instance`."""
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    path = reverse("admin:djangocms_versioning_pagecontentversion_publish", args=[version.pk])
    status, _ = instance.request(
        "POST",
        path,
        body=urlencode({"csrfmiddlewaretoken": CSRF_SECRET}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        },
    )
    assert status == 302


def test_publish_through_one_instance_is_seen_through_the_other_at_once(instances, make_page, admin_user):
    first, second = instances
    page = make_page("Opening hours")
    for instance in (first, second, second):
        status, html = instance.get("/opening-hours/")
        assert status == 200
        assert "Open on Sundays" not in html
    draft = new_draft(page, admin_user)
    add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body="<p>Open on Sundays</p>")

    publish_through(first, Version.objects.get_for_content(draft), admin_user)

    status, html = second.get("/opening-hours/")
    assert status == 200
    assert "Open on Sundays" in html
