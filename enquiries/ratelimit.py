"""A per-address limit on saved enquiries, counted in Django's cache.

The count lives in the shared cache (Redis in production), so every app instance agrees.
Windows are fixed: `cache.add` starts a window and `cache.incr` counts in it, both atomic
on Redis. Addresses are hashed before they become cache keys, and IPv6 addresses are
counted per /64, the block one household or phone usually gets.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

from portal.client_address import client_address as portal_client_address


def client_address(request):
    value = portal_client_address(request)
    if value is None:
        return "unknown"
    address = ipaddress.ip_address(value)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _cache_key(request):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    return f"enquiries:rate:{digest[:32]}"


def is_rate_limited(request):
    """True if this address has already used up its enquiries for the current window."""
    return cache.get(_cache_key(request), 0) >= settings.ENQUIRY_RATE_LIMIT_COUNT


def count_submission(request):
    key = _cache_key(request)
    if not cache.add(key, 1, timeout=settings.ENQUIRY_RATE_LIMIT_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            # The window ended between add and incr: start a new one.
            cache.add(key, 1, timeout=settings.ENQUIRY_RATE_LIMIT_WINDOW_SECONDS)
