import os

import pytest
from cms.api import create_page
from cms.models import PageContent
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connections
from djangocms_versioning.models import Version
from pytest_django.plugin import blocking_manager_key

from tests.loaded_site import LoadedSite, load_site_content

LANGUAGE = "en-gb"

# Fixtures that break Redis or the mail server for real (redis_down, smtp_down); on SQLite,
# test databases copied from one migrated database.
pytest_plugins = ["tests.outages", "tests.database_template"]


def pytest_collection_modifyitems(config, items):
    """Transactional tests flush the database; without serialized rollback the flush
    recreates content types under new ids, while djangocms-versioning keeps the old ids
    for the life of the process, and every later page fails to find its version."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
    if hasattr(config, "workerinput"):
        items[:] = slowest_files_first(items)


def slowest_files_first(items):
    """Under `make test`'s test processes each file goes whole to one process, in the order
    collected (the Makefile turns off xdist's own order, by number of tests). Files that drive
    a browser or start processes take most of a run: handed out first, the one with most such
    tests first, they leave the quick files to fill in at the end, and both processes finish
    together instead of one waiting for the other's last long file."""
    files = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    ordered = sorted(files.values(), key=lambda tests: sum(map(_is_slow, tests)), reverse=True)
    return [item for tests in ordered for item in tests]


def _is_slow(item):
    # By path: tests/browser/conftest.py may add its `browser` marker after this hook runs.
    return "tests/browser/" in item.nodeid or item.get_closest_marker("processes") is not None


def _is_transactional(item):
    marker = item and item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test leaves the database empty, without even the rows migrations made
    (the site, the enquiry topics). Run alone, pytest-django puts those tests last; with
    `make test`'s parallel processes a test that expects those rows may come next, so they are
    put back from the snapshot serialized rollback keeps."""
    result = yield
    if _is_transactional(item) and nextitem is not None and not _is_transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                snapshot = getattr(connection, "_test_serialized_contents", None)
                if snapshot:
                    connection.creation.deserialize_db_from_string(snapshot)
    return result


@pytest.fixture(autouse=True)
def _fresh_cms_caches():
    """django CMS keeps rendered pages, placeholders and menus in Django's cache, which
    outlives the database rollback between tests: start and end every test with it empty."""
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_author(db):
    return get_user_model().objects.create_user(username="author", password="author-password", is_staff=True)


def draft_of(page):
    """The page's latest content, published or not."""
    return PageContent.admin_manager.filter(page=page, language=LANGUAGE).latest_content().get()


def publish(content, user):
    Version.objects.get_for_content(content).publish(user)


@pytest.fixture
def make_page(staff_author):
    """Create a page with the standard template; publish it unless told not to."""

    def make(title, *, published=True, **options):
        page = create_page(title, "pages/default.html", LANGUAGE, created_by=staff_author, **options)
        if published:
            publish(draft_of(page), staff_author)
        return page

    return make


@pytest.fixture(scope="session")
def loaded_site(django_db_setup, django_db_blocker):
    """Built before any test's own rows exist: a session fixture is set up ahead of the
    function fixtures of the test that first needs it. Not built for a mutation run."""
    if os.environ.get("MUTANTS_TEST_DATABASE"):
        return None
    with django_db_blocker.unblock():
        return LoadedSite()


@pytest.fixture
def site_content(db, loaded_site):
    """The clinic's pages, as the first run's command builds them (see tests/loaded_site.py).
    In a mutation run the command runs for each test, so that every test needing the pages
    is one that reaches the loader's code, and judges its mutants."""
    if loaded_site is None:
        load_site_content()
    else:
        loaded_site.restore()
