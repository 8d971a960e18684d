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


@pytest.fixture
def behind_two_proxies(settings):
    """A load balancer (10.0.0.9) in front of a reverse proxy (10.0.0.5) that talks to the portal."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def test_behind_a_chain_of_proxies_the_visitor_is_the_hop_before_the_first_proxy(client, behind_two_proxies):
    def through_chain(visitor, forged=""):
        return send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forged}{visitor}, 10.0.0.9")

    sent = [through_chain("203.0.113.7", forged=f"198.51.100.{n}, ") for n in range(3)]

    assert sent == [302, 429, 429]
    assert through_chain("203.0.113.8") == 302


def test_a_client_not_among_the_trusted_proxies_is_counted_by_its_connection(client, behind_two_proxies):
    sent = [send(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(3)]

    assert sent == [302, 429, 429]
    assert send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == 302


def test_an_unreadable_hop_stops_the_reading_before_what_the_client_wrote(client, behind_two_proxies):
    """A proxy that could not tell the address writes something else (nginx: "unknown");
    whatever comes before it is the client's own, so every such request counts as the proxy."""
    sent = [
        send(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, unknown") for n in range(3)
    ]

    assert sent == [302, 429, 429]


def test_with_x_real_ip_configured_x_forwarded_for_is_not_read(client, behind_two_proxies, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"

    def through_proxy(visitor, forwarded_for):
        return send(client, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=visitor, HTTP_X_FORWARDED_FOR=forwarded_for)

    sent = [through_proxy("203.0.113.7", f"198.51.100.{n}") for n in range(3)]

    assert sent == [302, 429, 429]
    assert through_proxy("203.0.113.8", "198.51.100.1") == 302
