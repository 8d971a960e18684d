from contextlib import contextmanager

import pytest
from django.db import connection


@contextmanager
def database_unreachable(tmp_path):
    """Point the default connection at a database that cannot be opened, for real."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing-folder" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db
def test_health_check_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok\n"
    assert response.cookies == {}


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_when_database_is_down(client, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "database unavailable\n"
    assert response.cookies == {}
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_health_check_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
