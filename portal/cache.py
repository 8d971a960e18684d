"""The shared cache (Redis), kept from taking the site down when it fails.

django-redis with IGNORE_EXCEPTIONS turns a failed cache call into a miss, so pages are
rendered from the database. On its own that still costs a socket timeout on every call,
and a page makes many: so after one failure this backend stops asking Redis for a few
seconds (each process on its own), and says so once in the log rather than on every call.
"""

import functools
import logging
import time

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

logger = logging.getLogger(__name__)

DEFAULT_PAUSE_SECONDS = 10
# Client methods that do not talk to Redis: Django closes every cache after each request.
LOCAL_METHODS = {"close"}
# When each Redis server was last found failing, and until when it is left alone.
_paused_until = {}


class RedisCache(DjangoRedisCache):
    """django-redis, paused for OPTIONS["PAUSE_AFTER_ERROR_SECONDS"] after Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._pause_seconds = params.get("OPTIONS", {}).get(
            "PAUSE_AFTER_ERROR_SECONDS", DEFAULT_PAUSE_SECONDS
        )

    @property
    def client(self):
        return _PausingClient(super().client, server=str(self._server), pause_seconds=self._pause_seconds)


class _PausingClient:
    """The django-redis client, failing at once while its server is paused."""

    def __init__(self, client, *, server, pause_seconds):
        self._client = client
        self._server = server
        self._pause_seconds = pause_seconds

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute) or name in LOCAL_METHODS:
            return attribute

        @functools.wraps(attribute)
        def call_unless_paused(*args, **kwargs):
            if time.monotonic() < _paused_until.get(self._server, 0):
                raise ConnectionInterrupted(connection=None) from RedisConnectionError("cache paused")
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                self._pause(error.__cause__)
                raise

        return call_unless_paused

    def _pause(self, cause):
        _paused_until[self._server] = time.monotonic() + self._pause_seconds
        logger.warning(
            "Cache unavailable (%s); serving without it, next try in %s s",
            type(cause).__name__,
            self._pause_seconds,
        )
