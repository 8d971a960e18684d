"""The clinic's pages for the tests that need them, built once per test process.

`load_site_content` makes about a thousand queries, and a hundred tests start from its
result. Before the first test that needs the pages sets up anything of its own (see the
`loaded_site` fixture), the command builds them in a transaction that is then rolled back,
and every row of every table it wrote to is kept; each test then gets those rows put back,
a few statements a table. The rows are
the command's own, so the pages are the ones a first run builds. A test that has already
added to one of those tables (a user, a page) gets the command run instead.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


def load_site_content():
    call_command("load_site_content", verbosity=0)


class LoadedSite:
    def __init__(self):
        with transaction.atomic():
            _start_from_migrated_database()
            before = _rows_of(_stored_tables())
            load_site_content()
            after = _rows_of(before)
            transaction.set_rollback(True)
        written = [table for table in after if after[table] != before[table]]
        self.found = {table: before[table] for table in written}
        self.left = {table: after[table] for table in written}

    def restore(self):
        if _rows_of(self.found) != self.found:
            load_site_content()
            return
        # Table and column names come from the models and from the database itself.
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.left.items():
                names = ", ".join(quote(column) for column in columns)
                values = ", ".join(["%s"] * len(columns))
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({values})", rows)  # noqa: S608
            models = [model for model in _stored_models() if model._meta.db_table in self.left]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            # Views made from the tables (the search vocabulary on PostgreSQL) are made again.
            if connection.vendor == "postgresql":
                cursor.execute("SELECT matviewname FROM pg_matviews WHERE schemaname = current_schema()")
                for (view,) in cursor.fetchall():
                    cursor.execute(f"REFRESH MATERIALIZED VIEW {quote(view)}")


def _start_from_migrated_database():
    """A transactional test before this one may have emptied the database, rows made by
    migrations included: put those back first, from the snapshot serialized rollback keeps."""
    from django.contrib.sites.models import Site

    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot and not Site.objects.exists():
        connection.creation.deserialize_db_from_string(snapshot)


def _stored_models():
    """The models whose rows live in tables of their own; a search index the database keeps
    in step with a table (SQLite's full-text tables) follows that table's rows by itself."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _stored_tables():
    return sorted({model._meta.db_table for model in _stored_models()})


def _rows_of(tables):
    """Each table's column names and its rows, in a fixed order."""
    contents = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = tuple(column[0] for column in cursor.description)
            contents[table] = (columns, sorted((tuple(row) for row in cursor.fetchall()), key=repr))
    return contents
