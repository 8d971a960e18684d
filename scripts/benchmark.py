"""
Measure the portal under gunicorn with production settings, with wrk as the load generator.

Run it with `make bench`. It uses PostgreSQL and Redis when they answer on loopback (a
database and a Redis database of its own, emptied first: BENCH_DATABASE_URL,
BENCH_REDIS_URL), and otherwise SQLite and local memory, and says which. It loads the
clinic's content, 50 extra therapy pages and 100,000 enquiries in bulk, then measures each
page for a fixed time, once as served and once with the page cache emptied before every
request, in rounds (every page once a round, three rounds), and prints each page's median
round: requests per second, p50, p95 and p99 latency, and the ratio to /healthz measured in
the same rounds. Every request, /healthz included, says it accepts what a phone
browser accepts (Accept-Encoding: gzip, deflate, br), so pages the portal sends compressed
are measured as a visitor gets them. Search is measured last, with the site grown to 500 pages.
With a shared cache it also publishes the therapy page 10 times while it is under load
and counts the responses, sent after each publish, that still show the page as it was
before. The table is also written as JSON under bench/results/.
Everything runs on loopback; each measurement is bounded in time.
"""

import argparse
import datetime
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
SERVER_LOG = RESULTS_DIR / "gunicorn.log"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (loopback only)
CSRF_SECRET = "b" * 32
THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
EXTRA_THERAPY_PAGES = 50
# Search is measured with the site at this many pages.
SEARCH_PAGES = 500
ENQUIRIES = 100_000
# More enquiry forms than one round of the enquiry POST sends on a fast machine.
BODIES_PER_ROUND = 20_000
PUBLISHES = 10
CHECKS_PER_PUBLISH = 20
# A busy machine can take over half a minute to start the portal.
STARTUP_SECONDS = 120
# What a phone browser sends with every request; wrk sends it to every address measured.
ACCEPT_ENCODING = "gzip, deflate, br"

# What a visitor or a handler asks for; `target` is the ratio to /healthz (or the p95 in ms)
# the portal promises.
PAGES = [
    {"name": "/healthz", "path": "/healthz"},
    {"name": "home", "path": "/", "ratio": 2.0},
    {"name": "therapy page", "path": THERAPY_URL, "ratio": 2.0},
    {"name": "FAQ page", "path": "/frequently-asked-questions/", "ratio": 2.0},
    {"name": "contact page", "path": "/contact-us/", "ratio": 0.5},
    {"name": "enquiry POST", "path": "/enquiries/send/", "ratio": 0.2, "post": True},
    # A few handlers at once, not a crowd: the latency one of them sees.
    {
        "name": "admin enquiry list",
        "path": "/admin/enquiries/enquiry/",
        "staff": True,
        "p95_ms": 150,
        "connections": 2,
    },
    {"name": "admin enquiry page", "path": None, "staff": True, "p95_ms": 150, "connections": 2},
    # Searching a site of SEARCH_PAGES pages: the latency a visitor sees, a few at once.
    {"name": "search", "path": "/search/?q=therapy", "p95_ms": 50, "connections": 2, "search": True},
    {
        "name": "search, misspelt",
        "path": "/search/?q=gambeling",
        "p95_ms": 50,
        "connections": 2,
        "search": True,
    },
    {
        "name": "search, no results",
        "path": "/search/?q=xylophone",
        "p95_ms": 50,
        "connections": 2,
        "search": True,
    },
]


def triage_desk_pages():
    """The handler's other screens: the queue they land on, the list narrowed to open
    enquiries by a phone-number search, and the clinic manager's response times."""
    staff = {"staff": True, "p95_ms": 200, "connections": 2}
    return [
        {"name": "needs-action queue", "path": "/admin/", **staff},
        {"name": "admin enquiry search", "path": "/admin/enquiries/enquiry/?q=7400+88", **staff},
        {"name": "response times", "path": "/admin/enquiries/enquiry/response-times/", **staff},
    ]


PAGES += triage_desk_pages()
COLD_PAGES = ["home", "therapy page", "FAQ page", "contact page"]

REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "failed": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    errors.status + errors.connect + errors.read + errors.write + errors.timeout))
end
"""

# Each wrk thread sends its own share of the pre-issued form tokens, one per enquiry.
POST_LUA = """
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  bodies = {}
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if n % tonumber(args[2]) == id - 1 then table.insert(bodies, line) end
  end
  index = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = args[3]
end
function request()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--seconds", type=int, default=5, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is measured (median shown)")
    return parser.parse_args()


# Services
def choose_services():
    """PostgreSQL and Redis if both answer, else SQLite and local memory."""
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    problem = _recreate_postgres_database(database_url) or _empty_redis_database(redis_url)
    if problem is None:
        return {"label": "PostgreSQL and Redis", "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    sqlite_file = BASE_DIR / "bench" / "bench.sqlite3"
    for leftover in sqlite_file.parent.glob(sqlite_file.name + "*"):
        leftover.unlink()
    return {
        "label": f"SQLite and local memory ({problem})",
        "DATABASE_URL": f"sqlite:///{sqlite_file}",
        "REDIS_URL": "",
    }


def _recreate_postgres_database(url):
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    try:
        admin = psycopg2.connect(
            dbname="postgres",
            user=config["USER"],
            password=config["PASSWORD"],
            host=config["HOST"],
            port=config["PORT"] or 5432,
            connect_timeout=3,
        )
    except psycopg2.OperationalError:
        return "PostgreSQL did not answer"
    admin.autocommit = True
    with admin.cursor() as cursor:
        name = sql.Identifier(config["NAME"])
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    admin.close()
    return None


def _empty_redis_database(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).flushdb()
    except redis.RedisError:
        return "Redis did not answer"
    return None


def server_environment(services, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": services["DATABASE_URL"],
        "REDIS_URL": services["REDIS_URL"],
        # Every enquiry comes from loopback and is sent at once: raise the limits for that.
        "ENQUIRY_RATE_LIMIT_COUNT": "1000000000",
        "ENQUIRY_MIN_FILL_SECONDS": "0",
        "ENQUIRY_NOTIFY_EMAILS": "desk@clinic.invalid",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # The desk is measured as a signed-in handler sees it; the second-factor check adds one
        # query a request (pinned in the tests), and a benchmark cannot hold a passkey.
        "STAFF_REQUIRE_2FA": "0",
        "STAFF_PASSKEY_ORIGIN": "https://localhost",
        **extra,
    }


# Data
def load_data():
    """Migrate, then load the content, the extra pages and the enquiries, in this process."""
    import django
    from django.core.management import call_command

    django.setup()
    for command in ["migrate", "set_up_site"]:
        call_command(command, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    editor = _user("bench-editor", superuser=True)
    _add_therapy_pages(editor, range(1, EXTRA_THERAPY_PAGES + 1))
    started = time.monotonic()
    first_enquiry = _add_enquiries()
    print(f"  {ENQUIRIES:,} enquiries in {time.monotonic() - started:.1f} s")
    _refresh_planner_statistics()
    return {"editor": editor, "handler": _handler(), "enquiry_pk": first_enquiry}


def _user(username, *, superuser=False):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": superuser}
    )
    return user


def _handler():
    from django.contrib.auth.models import Group

    handler = _user("bench-handler")
    handler.groups.add(Group.objects.get(name="Enquiry handlers"))
    return handler


def _add_therapy_pages(editor, numbers):
    """Published therapy pages, in one transaction (django CMS builds a page at a time)."""
    from cms.models import Page
    from django.db import transaction

    therapies = Page.objects.get(urls__slug="therapies")
    with transaction.atomic():
        for number in numbers:
            _add_therapy_page(editor, number, therapies)


def _add_therapy_page(editor, number, parent):
    from cms.api import create_page
    from cms.models import PageContent
    from djangocms_versioning.models import Version

    from therapy_pages.nesting import add_nested_plugin

    page = create_page(
        f"Therapy {number}",
        "pages/therapy.html",
        "en-gb",
        created_by=editor,
        parent=parent,
        meta_description=f"What therapy {number} is and who it helps.",
    )
    content = PageContent.admin_manager.get(page=page, language="en-gb")
    placeholder = content.get_placeholders().get(slot="content")
    section = add_nested_plugin(placeholder, "SectionPlugin", "en-gb", heading="What it is")
    add_nested_plugin(
        placeholder, "TextPlugin", "en-gb", parent=section, body=f"<p>Therapy {number} explained.</p>"
    )
    Version.objects.get_for_content(content).publish(editor)


def grow_site_for_search(editor):
    """More therapy pages, until the site has SEARCH_PAGES pages."""
    from cms.models import Page

    count = Page.objects.count()
    started = time.monotonic()
    _add_therapy_pages(editor, range(EXTRA_THERAPY_PAGES + 1, EXTRA_THERAPY_PAGES + 1 + SEARCH_PAGES - count))
    print(f"  {SEARCH_PAGES - count} more pages in {time.monotonic() - started:.1f} s")
    _refresh_planner_statistics()


def _add_enquiries():
    """100,000 enquiries over two years, most of them closed, as a busy desk has them."""
    from django.utils import timezone

    from enquiries.models import Enquiry, Status, Topic

    statuses = [Status.CLOSED] * 90 + [Status.SPAM] * 4 + [Status.CONTACTED] * 3 + [Status.NEW] * 3
    topics = list(Topic.objects.values_list("slug", flat=True))
    now = timezone.now()
    through = Enquiry.topics.through
    first_pk = None
    for batch_start in range(0, ENQUIRIES, 5000):
        batch = []
        for number in range(batch_start, min(batch_start + 5000, ENQUIRIES)):
            received = now - datetime.timedelta(minutes=10 * (ENQUIRIES - number))
            batch.append(
                Enquiry(
                    reference=f"BN{number:06d}",
                    received_at=received,
                    name=f"Visitor {number}",
                    # Email, not phone: parsing a phone number per row would be most of the load.
                    contact_method="email",
                    email=f"visitor{number}@example.invalid",
                    enquirer="myself",
                    message="I would like to talk to someone.",
                    consent_wording_version="1",
                    consented_at=received,
                    status=statuses[number % len(statuses)],
                    status_changed_at=received,
                    submission_key=f"bench-{number}",
                    staff_notified_at=received,
                )
            )
        created = Enquiry.objects.bulk_create(batch)
        first_pk = first_pk or created[0].pk
        through.objects.bulk_create(
            through(enquiry_id=enquiry.pk, topic_id=topics[enquiry.pk % len(topics)]) for enquiry in created
        )
    return first_pk


def _refresh_planner_statistics():
    """What autovacuum does soon after a bulk load, done now so the first plans are the real ones."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def staff_cookie(user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def enquiry_bodies(count):
    from enquiries.tokens import issue_form_token

    issued_earlier = time.time() - 60
    fields = {
        "csrfmiddlewaretoken": CSRF_SECRET,
        "name": "Sam",
        "contact_method": "phone",
        "phone": "07400 123456",
        "enquirer": "myself",
        "topics": "alcohol",
        "consent": "on",
    }
    return [urlencode({**fields, "form_token": issue_form_token(now=issued_earlier)}) for _ in range(count)]


def _bodies_file(count):
    """A file of enquiry forms, each with a token of its own: a round never sends a form again."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as bodies:
        bodies.write("\n".join(enquiry_bodies(count)) + "\n")
    return bodies.name


# Serving and measuring
def start_gunicorn(environment, port, workers):
    server = subprocess.Popen(  # noqa: S603 (a fixed command line, no outside input)
        [
            sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--log-level", "warning",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=SERVER_LOG.open("a"),
    )  # fmt: skip
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s; see {SERVER_LOG}")


def stop(server):
    server.terminate()
    server.wait(timeout=20)


def fetch(port, path, cookie=""):
    headers = {"Cookie": cookie, "Accept-Encoding": ACCEPT_ENCODING}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (loopback only)
            return response.status, _text(response)
    except urllib.error.HTTPError as error:
        return error.code, _text(error)


def _text(response):
    body = response.read()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing it with apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S603


def run_wrk(port, path, args, *, connections=None, script="", script_args=(), headers=()):
    connections = connections or args.connections
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT_LUA)
    command = [
        "wrk", f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{args.seconds}s",
        "--timeout", "10s", "-s", lua.name,
    ]  # fmt: skip
    for header in [f"Accept-Encoding: {ACCEPT_ENCODING}", *headers]:
        command += ["-H", header]
    command += [f"http://127.0.0.1:{port}{path}", "--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(lua.name)
    result = json.loads(output.strip().splitlines()[-1])
    result["req_per_s"] = result["requests"] / result["seconds"]
    return result


def measure_all(port, args, data, *, pages):
    """Every page, round after round; each page's result is its median round. A burst of
    work elsewhere on the machine then costs one round of one page, not the page's figure,
    and /healthz is measured in the same rounds as the pages it is compared with."""
    rounds = {page["name"]: [] for page in pages}
    for number in range(args.rounds):
        for page in pages:
            print(f"  measuring {page['name']} (round {number + 1} of {args.rounds})", flush=True)
            rounds[page["name"]].append(measure(port, args, data, page, bodies=data["bodies_files"][number]))
    return {page["name"]: {**page, **_median_round(page, rounds[page["name"]])} for page in pages}


def measure(port, args, data, page, *, bodies):
    headers = [f"Cookie: {data['staff_cookie']}"] if page.get("staff") else []
    path = page["path"] or f"/admin/enquiries/enquiry/{data['enquiry_pk']}/change/"
    if page.get("post"):
        saved_before = _enquiries_saved()
        result = run_wrk(
            port,
            path,
            args,
            script=POST_LUA,
            script_args=[bodies, str(args.threads), f"csrftoken={CSRF_SECRET}"],
        )
        # A form sent back with errors is a 200, not a saved enquiry: count the rows.
        result["enquiries_saved"] = _enquiries_saved() - saved_before
        result["failed"] += max(0, result["requests"] - result["enquiries_saved"])
    else:
        status, _ = fetch(port, path, data["staff_cookie"] if page.get("staff") else "")
        if status != 200:
            raise SystemExit(f"{page['name']}: {path} answered {status}")
        result = run_wrk(port, path, args, connections=page.get("connections"), headers=headers)
    return {"path": path, **result}


def _median_round(page, rounds):
    """The middle round by what the page promises: its p95, or else its requests per second.
    Errors in any round are kept."""
    ordered = sorted(rounds, key=lambda result: result["p95"] if "p95_ms" in page else result["req_per_s"])
    median = ordered[len(ordered) // 2]
    return {**median, "failed": sum(result["failed"] for result in rounds), "rounds": rounds}


def _empty_page_cache():
    from portal import page_cache

    page_cache.invalidate()


def _enquiries_saved():
    from enquiries.models import Enquiry

    return Enquiry.objects.count()


# Freshness under load
def count_stale_responses(port, data):
    """Publish the therapy page again and again under load; count responses sent after a
    publish returned that still show the page from before it."""
    from cms.models import Page

    page = Page.objects.get(urls__slug="psychodynamic-therapy-for-addiction")
    accept = f"Accept-Encoding: {ACCEPT_ENCODING}"
    load = subprocess.Popen(  # noqa: S603 (a fixed command line)
        ["wrk", "-t1", "-c4", "-d120s", "-H", accept, f"http://127.0.0.1:{port}{THERAPY_URL}"],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    stale = checked = 0
    try:
        time.sleep(1)
        for number in range(1, PUBLISHES + 1):
            marker = f"Revision {number} of {time.time_ns()}"
            _publish_with(page, marker, data["editor"])
            with ThreadPoolExecutor(max_workers=4) as pool:
                bodies = list(pool.map(lambda _: fetch(port, THERAPY_URL)[1], range(CHECKS_PER_PUBLISH)))
            stale += sum(marker not in body for body in bodies)
            checked += len(bodies)
    finally:
        load.terminate()
        load.wait(timeout=10)
    # An instance started afterwards must serve the page as last published, too.
    late_instance = start_gunicorn(os.environ.copy(), port + 1, 1)
    try:
        late_instance_fresh = marker in fetch(port + 1, THERAPY_URL)[1]
    finally:
        stop(late_instance)
    return {
        "publishes": PUBLISHES,
        "responses_checked": checked,
        "stale": stale,
        "instance_started_afterwards_fresh": late_instance_fresh,
    }


def _publish_with(page, text, user):
    from cms.models import PageContent
    from djangocms_versioning.models import Version

    from therapy_pages.nesting import add_nested_plugin

    published = PageContent.objects.get(page=page, language="en-gb")
    draft = Version.objects.get_for_content(published).copy(user).content
    placeholder = draft.get_placeholders().get(slot="content")
    add_nested_plugin(placeholder, "TextPlugin", "en-gb", body=f"<p>{text}</p>")
    Version.objects.get_for_content(draft).publish(user)


# Report
def print_table(title, results, healthz, *, with_targets=True):
    print(f"\n{title}")
    print(f"{'page':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'x /healthz':>12}  target")
    for name, result in results.items():
        result["ratio"] = result["req_per_s"] / healthz
        print(
            f"{name:<24}{result['req_per_s']:>9.0f}{result['p50']:>9.1f}{result['p95']:>9.1f}"
            f"{result['p99']:>9.1f}{result['ratio']:>12.2f}  {_verdict(result, with_targets=with_targets)}"
        )


def _verdict(result, *, with_targets):
    if result["failed"]:
        return f"FAILED: {result['failed']} errors or unexpected statuses"
    if not with_targets:
        return ""
    if "p95_ms" in result:
        met = result["p95"] < result["p95_ms"]
        return f"p95 {result['p95']:.0f} ms < {result['p95_ms']} ms: {'met' if met else 'MISSED'}"
    target = PAGE_TARGETS.get(result["name"])
    if target is None:
        return ""
    return f">= {target}x: {'met' if result['ratio'] >= target else 'MISSED'}"


PAGE_TARGETS = {page["name"]: page["ratio"] for page in PAGES if "ratio" in page}


def main():
    args = parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    services = choose_services()
    print(f"Database and cache: {services['label']}")
    os.environ.update(server_environment(services))
    sys.path.insert(0, str(BASE_DIR))
    print("Loading content, extra therapy pages and enquiries...")
    data = load_data()
    data["staff_cookie"] = staff_cookie(data["handler"])
    data["bodies_files"] = [_bodies_file(BODIES_PER_ROUND) for _round in range(args.rounds)]

    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "services": services["label"],
        "gunicorn_workers": args.workers,
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.seconds}s",
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "search_pages": SEARCH_PAGES,
        "accept_encoding": ACCEPT_ENCODING,
    }
    environment = server_environment(services)
    server = start_gunicorn(environment, args.port, args.workers)
    try:
        warm = measure_all(args.port, args, data, pages=[p for p in PAGES if not p.get("search")])
        if services["REDIS_URL"]:
            report["freshness"] = count_stale_responses(args.port, data)
    finally:
        stop(server)
    # The page cache keeps nothing: every request renders the page.
    _empty_page_cache()
    server = start_gunicorn({**environment, "PAGE_CACHE_SECONDS": "0"}, args.port, args.workers)
    try:
        cold_pages = [{"name": "/healthz", "path": "/healthz"}] + [
            p for p in PAGES if p["name"] in COLD_PAGES
        ]
        cold = measure_all(args.port, args, data, pages=cold_pages)
    finally:
        stop(server)
    # Search last: the other pages are measured on the site as it was loaded.
    print(f"Growing the site to {SEARCH_PAGES} pages for search...")
    grow_site_for_search(data["editor"])
    server = start_gunicorn(environment, args.port, args.workers)
    try:
        warm.update(measure_all(args.port, args, data, pages=[p for p in PAGES if p.get("search")]))
    finally:
        stop(server)
    for bodies in data["bodies_files"]:
        os.unlink(bodies)

    print(
        f"\ngunicorn {args.workers} workers, wrk {report['wrk']}, {report['cpus']} CPUs, {services['label']}"
    )
    print(f"Every request sent Accept-Encoding: {ACCEPT_ENCODING}, as a phone browser does")
    print_table("Served as visitors get them (page cache on)", warm, warm["/healthz"]["req_per_s"])
    # Measured to show what the page cache saves; the targets are for pages as visitors get them.
    print_table(
        "Page cache emptied before every request", cold, cold["/healthz"]["req_per_s"], with_targets=False
    )
    freshness = report.get("freshness")
    if freshness:
        print(
            f"\nFreshness: {freshness['publishes']} publishes under load, "
            f"{freshness['responses_checked']} responses checked after them, {freshness['stale']} stale; "
            f"an instance started afterwards served the last version: "
            f"{'yes' if freshness['instance_started_afterwards_fresh'] else 'NO'}"
        )
    else:
        print("\nFreshness: not measured (local memory is per process; it needs Redis)")
    report["page_cache_on"] = warm
    report["page_cache_emptied"] = cold
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    output = RESULTS_DIR / f"bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Written to {output.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
