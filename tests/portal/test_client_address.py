"""One client address for every per-client limit: forwarding headers are believed only
from the proxies TRUSTED_PROXIES names, and only the part those proxies wrote."""

import logging

import pytest
from django.test import RequestFactory

from portal.client_address import client_address

PROXY = "10.0.0.5"
VISITOR = "203.0.113.7"


def request_from(remote_addr, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def test_without_trusted_proxies_headers_are_ignored(settings):
    settings.TRUSTED_PROXIES = []

    forged = request_from(VISITOR, x_forwarded_for="198.51.100.1", x_real_ip="198.51.100.2")

    assert client_address(forged) == VISITOR


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(behind_proxy):
    assert client_address(request_from(PROXY, x_forwarded_for=VISITOR)) == VISITOR


def test_what_a_client_puts_in_front_of_the_header_is_never_reached(behind_proxy):
    for forged in ["198.51.100.1", "198.51.100.2, 198.51.100.3", "not-an-address"]:
        request = request_from(PROXY, x_forwarded_for=f"{forged}, {VISITOR}")
        assert client_address(request) == VISITOR, forged


def test_a_chain_of_trusted_proxies_is_read_from_the_right(behind_proxy):
    request = request_from(PROXY, x_forwarded_for=f"198.51.100.1, {VISITOR}, 10.0.0.9")

    assert client_address(request) == VISITOR


def test_an_unreadable_hop_ends_the_reading_at_the_connection(behind_proxy):
    request = request_from(PROXY, x_forwarded_for=f"{VISITOR}, unknown")

    assert client_address(request) == PROXY


def test_x_real_ip_from_a_trusted_proxy(behind_proxy, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"

    request = request_from(PROXY, x_real_ip=VISITOR, x_forwarded_for="198.51.100.1")

    assert client_address(request) == VISITOR


def test_a_header_sent_past_the_proxy_straight_to_the_portal_is_ignored(behind_proxy):
    assert client_address(request_from(VISITOR, x_forwarded_for="198.51.100.1")) == VISITOR


def test_a_missing_header_falls_back_to_the_connection_with_a_warning(behind_proxy, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.client_address"):
        address = client_address(request_from(PROXY))

    assert address == PROXY
    assert "no usable X-Forwarded-For header" in caplog.text
    assert PROXY not in caplog.text


def test_an_ipv4_client_on_an_ipv6_socket_is_that_ipv4_client(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(request_from(f"::ffff:{VISITOR}")) == VISITOR
