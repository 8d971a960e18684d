"""A pytest plugin for `make mutants`: every test run starts from the same migrated test
database, copied from the one `make mutants` built first, instead of migrating again.

mutmut runs the tests once per mutant. Migrating the test database each time would cost
more than the tests; reusing it as the last run left it would not do either, since a
transactional test empties it on the way out (the rows the data migrations made included).
"""

import os
import shutil
from pathlib import Path


def pytest_sessionstart(session):
    golden = os.environ.get("MUTANTS_TEST_DATABASE")
    if not golden:
        return
    from django.conf import settings

    test_database = settings.DATABASES["default"]["TEST"]["NAME"]
    for suffix in ("-wal", "-shm"):
        Path(f"{test_database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(golden, test_database)
