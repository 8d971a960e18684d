"""
Browser tests: pytest-playwright drives Debian's Chromium against the live test server.

Playwright's own browser download does not work on every machine, so the suite uses the
system Chromium: its headless shell, the build Playwright itself runs headless tests in,
which has no browser window to draw and needs about half the CPU of the full browser for the
same journeys; the full browser if only that is installed. Without either the browser tests
skip with a reason, unless REQUIRE_BROWSER=1 (set in CI), when a missing browser is a failure.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium-headless-shell"
)
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    """Every browser test talks to the live server, which runs in another thread with its
    own database connection: test data must be committed, not held in a transaction."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = (
            f"No Chromium at {CHROMIUM}. To run the browser tests, install it with "
            "`sudo apt-get install -y chromium-headless-shell` (or set CHROMIUM_PATH)."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    """Start Playwright once the test database exists.

    Playwright's sync API keeps an event loop running for the rest of the session. From
    then on Django hands out new connection objects, which lack the database snapshot that
    serialized rollback restores, so the snapshot is carried over; and Django refuses
    database calls while a loop runs, so they are allowed only from here on, keeping
    Django's safety check for tests that never start a browser.
    """
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as started:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        yield started
        # The connections made while the loop ran are out of reach once it stops: left open,
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_no_serious_accessibility_violations(axe):
    def check(page):
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, "\n".join(
            f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} element(s))" for v in blocking
        )

    return check


def record_csp_violations(page):
    """A list that fills with every Content-Security-Policy violation the browser reports in
    any frame of `page`, as the console shows it."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


@pytest.fixture
def csp_violations(page):
    return record_csp_violations(page)
