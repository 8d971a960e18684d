"""A pytest plugin for `make mutants`: every test run starts from its own copy of the migrated
test database that `make mutants` built first, and uses it as it is, without migrating.

mutmut runs the tests once per mutant. Migrating the test database each time would cost
more than the tests; even `--reuse-db` runs `migrate`, which for an up-to-date database still
renders every app's models and sends the post-migrate signals. Reusing the database as the
last run left it would not do either, since a transactional test empties it on the way out
(the rows the data migrations made included). Each run has a copy of its own, so mutants can
be tested side by side (`mutmut run --max-children 2`).

Each mutant is judged by the tests of its own app (a mutant in `enquiries/` by the tests in
`tests/enquiries/` that reach it, and so on), not by every test that happens to pass
through it: the middleware and the models sit under almost every request, and a surviving
mutant runs all of its tests, so judging each by the whole suite would take a day. A mutant
that only other apps' tests reach keeps those.

Outages run against a server that refuses connections, not one that hangs: a hanging server
is met with production's short timeouts, too tight for a niced run beside another.
"""

import os
import shutil
from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items):
    _keep(config, items, lambda item: not _meets_a_hanging_server(item))
    own_tests = _own_tests_folder(os.environ.get("MUTANT_UNDER_TEST", ""))
    if own_tests is None:
        return
    if any(item.nodeid.startswith(own_tests) for item in items):
        _keep(config, items, lambda item: item.nodeid.startswith(own_tests))


def _keep(config, items, wanted):
    kept = [item for item in items if wanted(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not wanted(item)])
        items[:] = kept


def _meets_a_hanging_server(item):
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "hanging" in callspec.params.values()


def _own_tests_folder(mutant_name):
    """`tests/<app>/` for a mutant such as `enquiries.services.x_enquiry_submit__mutmut_3`;
    None outside a mutant's run (mutmut's own passes over the tests)."""
    if "__mutmut_" not in mutant_name:
        return None
    return f"tests/{mutant_name.partition('.')[0]}/"


def pytest_configure(config):
    if os.environ.get("MUTANTS_TEST_DATABASE"):
        # Registered now, after pytest-django, so this django_db_setup is the one used.
        config.pluginmanager.register(MigratedCopy(), "mutants-migrated-copy")


class MigratedCopy:
    @pytest.fixture(scope="session")
    @classmethod
    def django_db_setup(cls, request, django_test_environment, django_db_blocker):
        from django.conf import settings
        from django.db import connections
        from pytest_django.fixtures import _get_databases_for_setup

        golden = Path(os.environ["MUTANTS_TEST_DATABASE"])
        copy = golden.with_name(f".mutants.run-{os.getpid()}.sqlite3")
        shutil.copyfile(golden, copy)
        aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        with django_db_blocker.unblock():
            for alias in aliases:
                connection = connections[alias]
                connection.close()
                settings.DATABASES[alias]["NAME"] = str(copy)
                connection.settings_dict["NAME"] = str(copy)
                if alias in serialized_aliases:
                    # What Django's test runner keeps for tests with serialized rollback.
                    connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        yield
        with django_db_blocker.unblock():
            connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
