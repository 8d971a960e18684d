"""
Measure throughput and latency of the portal's main pages under gunicorn.

Starts gunicorn on a loopback port against the configured database (the SQLite default
unless DATABASE_URL is set), sends a bounded number of requests from a few client threads,
and prints requests per second and latency percentiles per path. Run it with `make bench`.
Numbers vary with the machine: compare paths against each other and against /healthz
rather than reading the absolutes.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ["/healthz", "/"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS, help="paths to request")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=2000, help="requests per path")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop a path after this long")
    return parser.parse_args()


def start_gunicorn(port, workers):
    environment = {**os.environ, "SECURE_SSL_REDIRECT": "0"}
    environment.setdefault("DEBUG", "0")
    environment.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 (a fixed command line, no outside input)
        [
            sys.executable, "-m", "gunicorn", "portal.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
        ],
        cwd=BASE_DIR,
        env=environment,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def fetch(port, path, connection=None):
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "localhost"})
    response = connection.getresponse()
    response.read()
    return response.status, connection


def measure(port, path, total, clients, max_seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    remaining = [total]
    deadline = time.monotonic() + max_seconds

    def client():
        connection = None
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, connection = fetch(port, path, connection)
            except (OSError, http.client.HTTPException) as error:
                connection = None
                status = type(error).__name__
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if status == 200 else errors).append(elapsed if status == 200 else status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def report(path, latencies, errors, seconds):
    if not latencies:
        print(f"{path:<45} no successful responses; errors: {errors[:5]}")
        return
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"{path:<45} {len(latencies) / seconds:8.0f} req/s  "
        f"p50 {quantiles[49] * 1000:6.1f} ms  p95 {quantiles[94] * 1000:6.1f} ms  "
        f"ok {len(latencies)}  errors {len(errors)}"
    )


def main():
    args = parse_args()
    server = start_gunicorn(args.port, args.workers)
    try:
        print(f"gunicorn, {args.workers} workers; {args.clients} clients; {args.requests} requests per path")
        for path in args.paths:
            fetch(args.port, path)  # warm the caches, as a running site has them
            report(path, *measure(args.port, path, args.requests, args.clients, args.max_seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
