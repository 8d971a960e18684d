"""Real broken servers on loopback: a port that refuses connections, and a server that
accepts connections and never answers; and fixtures that point the portal at them."""

import socket
import threading
from contextlib import contextmanager

import pytest

from portal.settings import cache_settings

# Seconds a client waits for a broken server here: production's default for Redis.
OUTAGE_TIMEOUT = 0.2


def refusing_port():
    """A loopback port where nothing listens: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def hanging_server():
    """Listen on a loopback port, accept every connection and never send a byte. Yields
    the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    # Wake up now and then to see whether to stop: closing a socket does not end accept().
    listener.settimeout(0.05)
    accepted = []
    stopping = threading.Event()

    def accept_forever():
        while not stopping.is_set():
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        thread.join()
        listener.close()
        for connection in accepted:
            connection.close()


@contextmanager
def broken_server(kind):
    """The port of a broken server: "refusing" or "hanging"."""
    if kind == "refusing":
        yield refusing_port()
    else:
        with hanging_server() as port:
            yield port


@pytest.fixture(params=["refusing", "hanging"])
def redis_down(request, settings):
    """The portal's cache settings, pointed at a Redis that refuses connections or that
    never answers."""
    with broken_server(request.param) as port:
        caches = cache_settings(f"redis://127.0.0.1:{port}/0")
        for cache in caches.values():
            cache["OPTIONS"].update(SOCKET_CONNECT_TIMEOUT=OUTAGE_TIMEOUT, SOCKET_TIMEOUT=OUTAGE_TIMEOUT)
        settings.CACHES = caches
        yield request.param


@pytest.fixture(params=["refusing", "hanging"])
def smtp_down(request, settings):
    """Django's SMTP backend, pointed at a mail server that refuses connections or that
    accepts them and never says hello."""
    with broken_server(request.param) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, OUTAGE_TIMEOUT
        yield request.param
