"""A per-address limit on saved enquiries, counted in Django's cache.

The count lives in the shared cache (Redis in production), so every app instance agrees.
Windows are fixed: the first enquiry from an address starts its window, and every one
counts in it, atomically (on Redis in one transaction, portal/cache.py; in a local-memory
cache with `add` and `incr`). Addresses are hashed before they become cache keys, and IPv6
addresses are counted per /64, the block one household or phone usually gets.

When the cache fails the limit fails open: a person asking for help matters more than a
flood the limit would have stopped, so the enquiry is saved, and the log says the limit
was not applied.
"""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import caches

from portal.client_address import client_address as portal_client_address

logger = logging.getLogger(__name__)


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


def _counts():
    # Not the default cache, which hides its errors: this one raises them.
    return caches["ratelimit"]


def is_rate_limited(request):
    """True if this address has already used up its enquiries for the current window;
    False, and logged, if the cache cannot tell."""
    counts = _counts()
    read = getattr(counts, "get_integer", counts.get)
    try:
        return (read(_cache_key(request)) or 0) >= settings.ENQUIRY_RATE_LIMIT_COUNT
    # Whatever the cache raised, the enquiry must still be saved.
    except Exception as error:
        logger.warning("Enquiry rate limit not applied: cache unavailable (%s)", type(error).__name__)
        return False


def count_submission(request):
    counts = _counts()
    key, seconds = _cache_key(request), settings.ENQUIRY_RATE_LIMIT_WINDOW_SECONDS
    try:
        if hasattr(counts, "count_in_window"):
            counts.count_in_window(key, seconds=seconds)
        else:
            _count_with_add_and_incr(counts, key, seconds=seconds)
    except Exception as error:  # The enquiry is saved already; only the count is lost.
        logger.warning("Enquiry not counted for the rate limit: cache unavailable (%s)", type(error).__name__)


def _count_with_add_and_incr(counts, key, *, seconds):
    if counts.add(key, 1, timeout=seconds):
        return
    try:
        counts.incr(key)
    except ValueError:
        # The window ended between add and incr: start a new one.
        counts.add(key, 1, timeout=seconds)
