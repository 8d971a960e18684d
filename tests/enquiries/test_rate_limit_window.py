"""The enquiry rate limit counts every saved enquiry, spam included, and only for its window:
an address that used up its enquiries can send again once the window has passed."""

import logging
import types

import pytest
from django.core.cache import caches
from django.core.cache.backends import base, locmem

from enquiries.models import Enquiry, Status
from tests.enquiries.conftest import valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"
WINDOW_SECONDS = 3600


@pytest.fixture
def one_enquiry_per_window(settings):
    settings.ENQUIRY_RATE_LIMIT_COUNT = 1
    settings.ENQUIRY_RATE_LIMIT_WINDOW_SECONDS = WINDOW_SECONDS


@pytest.fixture
def clock(settings, monkeypatch):
    """A clock the rate limit's cache reads, moved on by hand. The counts are kept in a
    local-memory cache here (Redis keeps its own time), counted exactly as in production."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "window-test"},
    }
    now = types.SimpleNamespace(seconds=1_000_000.0)
    fake_time = types.SimpleNamespace(time=lambda: now.seconds)
    for module in [base, locmem]:  # Expiry is set in one, read in the other.
        monkeypatch.setattr(module, "time", fake_time)
    # Local-memory caches live as long as the process, and the suite's own clearing between
    # tests only reaches the caches configured outside this test.
    caches["ratelimit"].clear()
    return now


def send(client, **overrides):
    return client.post(SEND_URL, valid_form_data(**overrides)).status_code


def test_an_address_can_send_again_once_the_window_has_passed(client, one_enquiry_per_window, clock):
    assert send(client) == 302
    clock.seconds += WINDOW_SECONDS - 1
    assert send(client) == 429

    clock.seconds += 2

    assert send(client) == 302
    assert send(client) == 429
    assert Enquiry.objects.count() == 2


def test_suspected_spam_uses_up_the_address_s_enquiries(client, one_enquiry_per_window):
    assert send(client, website="http://spam.example") == 302

    assert send(client) == 429
    assert list(Enquiry.objects.values_list("status", flat=True)) == [Status.SPAM]


def test_a_working_count_logs_nothing_about_the_limit(client, settings, caplog):
    """The warning that the limit was not applied means the cache failed: a first enquiry from
    an address, with nothing counted yet, is no failure."""
    settings.ENQUIRY_RATE_LIMIT_COUNT = 2
    with caplog.at_level(logging.WARNING, logger="enquiries.ratelimit"):
        sent = [send(client) for _ in range(3)]

    assert sent == [302, 302, 429]
    assert [record for record in caplog.records if record.name == "enquiries.ratelimit"] == []
