"""Real broken servers on loopback: a port that refuses connections, and a server that
accepts connections and never answers."""

import socket
import threading
from contextlib import contextmanager


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
    accepted = []
    stopping = threading.Event()

    def accept_forever():
        while not stopping.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        listener.close()
        for connection in accepted:
            connection.close()
        thread.join(timeout=5)
