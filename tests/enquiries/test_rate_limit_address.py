"""The enquiry rate limit counts by the client address the portal can trust: a forged or
rotated forwarding header neither escapes the limit nor uses up someone else's."""

import pytest

from enquiries.models import Enquiry
from tests.enquiries.conftest import valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def one_enquiry_per_address(settings):
    settings.ENQUIRY_RATE_LIMIT_COUNT = 1


def send(client, **extra):
    return client.post(SEND_URL, valid_form_data(), **extra).status_code


@pytest.mark.parametrize("header", ["HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"])
def test_rotating_a_header_does_not_escape_the_limit(client, header):
    sent = [send(client, REMOTE_ADDR="203.0.113.7", **{header: f"198.51.100.{n}"}) for n in range(3)]

    assert sent == [302, 429, 429]


def test_forging_someone_elses_address_does_not_use_up_their_enquiries(client):
    send(
        client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1", HTTP_X_REAL_IP="198.51.100.1"
    )

    assert send(client, REMOTE_ADDR="198.51.100.1") == 302


def test_behind_a_trusted_proxy_rotating_the_forged_part_does_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    sent = [
        send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7") for n in range(3)
    ]

    assert sent == [302, 429, 429]
    assert send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8") == 302


def test_behind_a_trusted_proxy_a_forged_address_counts_for_no_one_else(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")

    assert send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == 302
    assert Enquiry.objects.count() == 2
