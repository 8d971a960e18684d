"""/healthz/dependencies tells monitoring the state of the database, the cache and the staff
email, and nothing more; /healthz stays the load balancer's check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.enquiries.conftest import EnquiryFactory
from tests.portal.test_health import database_unreachable

URL = "/healthz/dependencies"
ALL_OK = {"database": "ok", "cache": "ok", "notifications": "ok"}


@pytest.mark.django_db
def test_all_dependencies_ok(client, settings):
    EnquiryFactory(
        received_at=timezone.now() - timedelta(minutes=settings.ENQUIRY_NOTIFY_DELAYED_MINUTES - 1)
    )
    EnquiryFactory(received_at=timezone.now() - timedelta(days=1), staff_notified_at=timezone.now())

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert "no-cache" in response["Cache-Control"]
    assert response.cookies == {}


@pytest.mark.django_db
def test_a_staff_email_waiting_too_long_is_reported_delayed(client, settings):
    EnquiryFactory(
        received_at=timezone.now() - timedelta(minutes=settings.ENQUIRY_NOTIFY_DELAYED_MINUTES + 1)
    )

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == ALL_OK | {"notifications": "delayed"}
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_spam_never_emailed_is_not_a_delay(client, settings):
    EnquiryFactory(status="spam", received_at=timezone.now() - timedelta(days=1))

    assert client.get(URL).json() == ALL_OK


@pytest.mark.django_db
def test_cache_down_is_reported_but_the_load_balancer_check_stays_ok(client, redis_down):
    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == ALL_OK | {"cache": "unavailable"}
    assert "127.0.0.1" not in response.text
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_database_down_is_reported_without_a_500(client, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok", "notifications": "unknown"}


@pytest.mark.django_db
def test_dependencies_check_refuses_writes(client):
    assert client.post(URL).status_code == 405
