"""The address of the client behind a request, for every limit that counts per client.

Anyone can send an `X-Forwarded-For` or `X-Real-IP` header, so a header is believed only
when the connection itself comes from a proxy named in `TRUSTED_PROXIES`, and then only
the part those proxies wrote: X-Forwarded-For is read from the right, past the trusted
proxies' own addresses, so whatever a client put in front is never reached. Rotating or
forging the header therefore neither escapes a limit nor counts against someone else.

django-ipware was considered; its default reads a dozen headers a client can set, and
its proxy count is the number of hops in the header rather than the proxies in front,
so trusting it correctly takes as much configuration as these few lines.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's IP address as text, or None if not even the connection has one."""
    connection = _parse(request.META.get("REMOTE_ADDR", ""))
    if connection is None or not _is_trusted_proxy(connection):
        return _text(connection)
    header = settings.TRUSTED_PROXY_HEADER
    forwarded = request.headers.get(header, "")
    for hop in reversed(forwarded.split(",")):
        address = _parse(hop)
        if address is None:
            break
        if not _is_trusted_proxy(address):
            return str(address)
    # The address is left out on purpose: logs carry no personal data.
    logger.warning(
        "A request through a trusted proxy had no usable %s header; it is counted by the "
        "connection's address, which every such request shares.",
        header,
    )
    return str(connection)


def _parse(value):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still that IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def _text(address):
    return None if address is None else str(address)


def _is_trusted_proxy(address):
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)
