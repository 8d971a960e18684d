"""The shared cache (Redis), kept from taking the site down when it fails.

django-redis with IGNORE_EXCEPTIONS turns a failed cache call into a miss, so pages are
rendered from the database. On its own that still costs a socket timeout on every call,
and a page makes many: so after one failure this backend stops asking Redis for a few
seconds (each process on its own), and says so once in the log rather than on every call.

The page cache reads one small counter on every request it answers, and the enquiry rate
limit reads and counts one on every enquiry; `get_integer` and `count_in_window` do that over
a connection of the cache's own, without the client's pool, retries and decoding, which cost
several times what Redis itself does.
"""

import functools
import logging
import time

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

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
        self._own_connection = None

    @property
    def client(self):
        return _PausingClient(super().client, server=str(self._server), pause_seconds=self._pause_seconds)

    def get_integer(self, key):
        """The integer `incr` keeps under `key`, or None if there is none. A failure counts as
        a miss (with IGNORE_EXCEPTIONS) and pauses like every other call."""
        try:
            value = self._get_unless_paused(str(self._server), self.make_key(key))
        except (RedisError, OSError) as error:
            if self._ignore_exceptions:
                return None
            raise ConnectionInterrupted(connection=None) from error
        return None if value is None else int(value)

    def count_in_window(self, key, *, seconds):
        """Add one to the count under `key`, first starting it at 0 for `seconds` if there is
        none, and return the count. One round trip, and one transaction: the count cannot
        expire between the two, which would leave it counting with no end."""
        commands = [
            ("MULTI",),
            ("SET", self.make_key(key), 0, "EX", seconds, "NX"),
            ("INCR", self.make_key(key)),
        ]
        try:
            *_, (_started, count) = self._send_unless_paused(str(self._server), [*commands, ("EXEC",)])
        except (RedisError, OSError) as error:
            if self._ignore_exceptions:
                return None
            raise ConnectionInterrupted(connection=None) from error
        return count

    def _get_unless_paused(self, server, key):
        return self._send_unless_paused(server, [("GET", key)])[0]

    def _send_unless_paused(self, server, commands):
        """Redis's answer to each of `commands`, sent together."""
        if _is_paused(server):
            raise RedisConnectionError("cache paused")
        connection = self._connection()
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            return [connection.read_response() for _command in commands]
        except (RedisError, OSError) as error:
            # The next try, after the pause, starts on a new connection.
            connection.disconnect()
            _pause(server, error, self._pause_seconds)
            raise

    def _connection(self):
        """A connection with the client's own settings (address, database, timeouts), kept by
        this cache object, which Django keeps per thread."""
        if self._own_connection is None:
            pool = super().client.get_client(write=False).connection_pool
            self._own_connection = pool.connection_class(**pool.connection_kwargs)
        return self._own_connection


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
            if _is_paused(self._server):
                raise ConnectionInterrupted(connection=None) from RedisConnectionError("cache paused")
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                _pause(self._server, error.__cause__, self._pause_seconds)
                raise

        return call_unless_paused


def _is_paused(server):
    return time.monotonic() < _paused_until.get(server, 0)


def _pause(server, cause, seconds):
    _paused_until[server] = time.monotonic() + seconds
    logger.warning(
        "Cache unavailable (%s); serving without it, next try in %s s", type(cause).__name__, seconds
    )
