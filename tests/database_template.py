"""On SQLite, each test process starts from a copy of one migrated database instead of
migrating its own.

Migrating from scratch costs each process most of a minute. The first process to need it
builds the migrated database (`manage.py migrate`, with the test settings) under a file lock,
named by a digest of every migration file, so any changed migration builds a new one; every
process then copies it to its own test database. pytest-django then opens that copy as it
would a reused database: it still runs `migrate` (which finds nothing to apply, and repeats
the post-migrate steps: content types, permissions, the site) and takes the snapshot that
serialized rollback restores. `--reuse-db` and `--create-db` keep their usual meaning.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

BASE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = BASE_DIR / ".test-databases"


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_keepdb, django_db_createdb, django_db_modify_db_settings):
    """True when this process's test database is a fresh copy of the migrated one."""
    database = settings.DATABASES["default"]
    if django_db_keepdb or django_db_createdb or database["ENGINE"] != "django.db.backends.sqlite3":
        return django_db_keepdb
    test_database = Path(database["TEST"]["NAME"])
    template = migrated_template()
    for leftover in (test_database, Path(f"{test_database}-wal"), Path(f"{test_database}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template, test_database)
    return True


def migrated_template():
    """The migrated database for the current migrations, built if no process has yet."""
    TEMPLATES_DIR.mkdir(exist_ok=True)
    template = TEMPLATES_DIR / f"migrated-{migrations_digest()[:16]}.sqlite3"
    with (TEMPLATES_DIR / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            _build(template)
    return template


def migrations_digest():
    digest = hashlib.sha256(django.get_version().encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[key].__module__]
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _build(template):
    building = template.with_suffix(".building")
    for leftover in TEMPLATES_DIR.glob("migrated-*"):
        leftover.unlink()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "--skip-checks", "-v", "0"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"sqlite:///{building}",
        },
        check=True,
    )
    # One self-contained file: the write-ahead log folded in, so a plain copy is complete.
    with sqlite3.connect(building) as database:
        database.execute("PRAGMA journal_mode=DELETE")
    database.close()
    building.rename(template)
