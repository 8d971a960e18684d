"""
The page cache: published pages for anonymous visitors, served before most of the stack runs.

Every stored page carries the cache generation it was rendered under; a page counts only
while its generation is still current. Publishing, unpublishing, moving or deleting a page,
or publishing the crisis box, raises the generation twice: at once, and again when the
transaction commits. A render records the generation before it starts and is stored only
if the generation has not moved by the time it ends, so a page rendered from the content
as it was before a publish is never stored as current, on any instance that shares the
cache.

The generation is the portal's own counter, raised with the cache's atomic `incr`, not
django CMS's page cache version: django CMS rewrites its version after writing cache
entries, and a rewrite racing a publish can undo the publish's raise. django CMS's own page
cache is off for the same reason (settings.CMS_PAGE_CACHE); this one replaces it.

Browsers revalidate every visit (`Cache-Control: no-cache` with an `ETag`), so an unchanged
page costs a 304 and a changed one is seen at once. A page the same for everyone is stored
ready to send, plain and gzipped (compressed once per render), and goes out gzipped to
whoever says they accept it (`Vary: Accept-Encoding`). A page with a form carries per-visitor
hidden values (the CSRF token, and those in settings.PAGE_CACHE_FRESH_INPUTS): they are
blanked before the page is stored and filled afresh for every visitor, who also gets their
own CSRF cookie; such a page is never kept by a browser or a shared cache.

Each process also keeps its own copy of the pages it served, so a hit costs one read of
the generation from the shared cache instead of the whole page. The copy is used only
while its generation is the one just read: a publish through any instance outdates it on
the very next request, with no time to live of its own. The generation is read over the
cache's own connection (portal/cache.py), the one round trip a hit makes. The middleware runs first of
all, so a stored page carries every header the rest of the stack adds (the security
headers above all) and a hit needs none of it.

A cache that fails or answers nothing counts as a miss: the page is rendered as usual.
"""

import functools
import gzip
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, get_conditional_response, patch_vary_headers
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:page-cache:generation"
# The version names the stored format: entries an older release stored are never read.
ENTRY_KEY_PREFIX = "portal:page-cache:page:v2:"
FRAGMENT_KEY_PREFIX = "portal:page-cache:fragment:"
# django CMS's page views; nothing else (admin, enquiries, health check) is stored.
PAGE_VIEW_NAMES = frozenset({"pages-root", "pages-details-by-slug"})
CSRF_INPUT = "csrfmiddlewaretoken"
# How Django renders a hidden input: {% csrf_token %} and forms.HiddenInput both.
HIDDEN_INPUT = re.compile(rb'(<input type="hidden" name="(?P<name>[\w-]+)" value=")(?P<value>[^"]*)(")')
# Django's message framework keeps a visitor's pending messages in this cookie.
MESSAGES_COOKIE = CookieStorage.cookie_name
# Headers that belong to one response, not to the page.
UNSTORED_HEADERS = frozenset({"set-cookie", "date", "content-length"})
# Where the WSGI entry point hands its cache lookup on to the middleware.
LOOKUP_ENVIRON_KEY = "portal.page_cache.lookup"
# Pages each process keeps a copy of; past this, the oldest copy makes room.
LOCAL_COPIES = 500
# The request headers Django's conditional handling reads; without them a hit is a plain 200.
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own CSRF middleware sets each visitor's cookie on a page served from here.
        self.csrf = CsrfViewMiddleware(get_response)
        self.fresh_inputs = {
            name: import_string(path) for name, path in settings.PAGE_CACHE_FRESH_INPUTS.items()
        }

    def __call__(self, request):
        lookup = request.META.pop(LOOKUP_ENVIRON_KEY, None) or _lookup(request)
        if lookup is None:
            return self.get_response(request)
        key, generation, entry = lookup
        if entry is not None:
            return self._serve(request, entry)
        response = self.get_response(request)
        if not _is_public_page(request, response):
            return response
        page = self._storable_body(response)
        if page is None:
            return response
        body, fresh_inputs = page
        _set_revalidation_headers(response, fresh_inputs)
        entry = Entry(
            generation=generation, body=body, fresh_inputs=fresh_inputs, headers=_page_headers(response)
        )
        # Only a render that saw no publish from start to end is stored as current.
        if generation is not None and _read_generation() == generation:
            _write(key, entry)
            _local_copies.keep(key, entry)
        if entry.fresh_inputs:
            return response
        return _same_for_everyone(request, entry)

    def _storable_body(self, response):
        """(body with per-visitor values blanked, their names), or None if the page holds
        something of this visitor's that cannot be refilled."""
        cookies = set(response.cookies)
        if cookies - {settings.CSRF_COOKIE_NAME}:
            return None
        fresh_names = {CSRF_INPUT, *self.fresh_inputs}
        found = set()

        def blank(match):
            name = match["name"].decode()
            if name not in fresh_names:
                return match[0]
            found.add(name)
            return match[1] + match[4]

        body = HIDDEN_INPUT.sub(blank, response.content)
        if cookies and CSRF_INPUT not in found:
            # A CSRF token used somewhere this cache cannot refill it.
            return None
        return body, sorted(found)

    def _serve(self, request, entry):
        if not entry.fresh_inputs:
            return _same_for_everyone(request, entry)
        body = self._fill(request, entry.body, set(entry.fresh_inputs))
        response = HttpResponse(body, headers=entry.headers)
        response["Content-Length"] = str(len(body))
        return self.csrf.process_response(request, response)

    def _fill(self, request, body, names):
        values = {}
        if CSRF_INPUT in names:
            self.csrf.process_request(request)
            values[CSRF_INPUT] = get_token(request)
        for name in names - {CSRF_INPUT}:
            values[name] = self.fresh_inputs[name]()

        def fill(match):
            name = match["name"].decode()
            if name not in names:
                return match[0]
            return match[1] + values[name].encode() + match[4]

        return HIDDEN_INPUT.sub(fill, body)


@dataclass
class Entry:
    """A stored page: its body, the headers every copy carries, and what is refilled. A page
    with nothing to refill is also kept as sent, plain and gzipped."""

    generation: int
    body: bytes
    fresh_inputs: list
    headers: dict
    plain: "Variant | None" = field(init=False, default=None)
    gzipped: "Variant | None" = field(init=False, default=None)

    def __post_init__(self):
        if not self.fresh_inputs:
            self.plain = Variant.of(self.body, self.headers)
            compressed = gzip.compress(self.body, compresslevel=9, mtime=0)
            self.gzipped = Variant.of(compressed, {**self.headers, "Content-Encoding": "gzip"})

    def variant_for(self, accept_encoding):
        return self.gzipped if _accepts_gzip(accept_encoding) else self.plain


@dataclass
class Variant:
    """A page as sent one way: its bytes, their ETag, and every header, as WSGI takes them."""

    body: bytes
    etag: str
    headers: list

    @classmethod
    def of(cls, body, headers):
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return cls(body, etag, [*headers.items(), ("ETag", etag), ("Content-Length", str(len(body)))])


@functools.lru_cache(maxsize=128)
def _accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header allows gzip: named, or covered by "*", with a weight
    above zero ("gzip;q=0" refuses it). Without the header a client gets the page plain."""
    weights = {}
    for item in accept_encoding.lower().split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding] = weight
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def serve_stored_pages(application):
    """The WSGI application, with stored pages that hold nothing per visitor answered before
    Django's request handling (its signals, its middleware chain) starts at all. What it
    looked up goes on with the request, so the middleware does not ask the cache again."""

    def serve(environ, start_response):
        request = WSGIRequest(environ)
        lookup = _lookup(request)
        if lookup is None or lookup[2] is None or lookup[2].fresh_inputs:
            if lookup is not None:
                environ[LOOKUP_ENVIRON_KEY] = lookup
            return application(environ, start_response)
        variant = lookup[2].variant_for(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if any(header in environ for header in CONDITIONAL_HEADERS):
            response = _conditional_response(request, variant)
            status, headers, body = (
                f"{response.status_code} {response.reason_phrase}",
                response.items(),
                response.content,
            )
        else:
            status, headers, body = "200 OK", variant.headers, variant.body
        start_response(status, list(headers))
        return [b"" if request.method == "HEAD" else body]

    return serve


def _lookup(request):
    """(key, generation, stored entry or None) for a request the cache may answer, else None."""
    try:
        if not _may_be_cached(request):
            return None
        key = _entry_key(request)
    except DisallowedHost:
        return None  # Django answers it with its own 400.
    generation = _current_generation()
    return key, generation, _stored_entry(key, generation)


def _same_for_everyone(request, entry):
    return _conditional_response(request, entry.variant_for(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _conditional_response(request, variant):
    response = HttpResponse(variant.body, headers=dict(variant.headers))
    return get_conditional_response(request, etag=variant.etag, response=response)


class _LocalCopies:
    """This process's copies of stored pages, all of one generation: copies of an older one
    are dropped as soon as a newer one is asked for. Like the shared cache, a copy is kept
    no longer than PAGE_CACHE_SECONDS (from when this process got it)."""

    def __init__(self):
        self.generation = None
        self.entries = {}

    def get(self, key, generation):
        if generation != self.generation:
            self.generation, self.entries = generation, {}
        entry, kept_until = self.entries.get(key, (None, 0))
        return entry if time.monotonic() < kept_until else None

    def keep(self, key, entry):
        if entry.generation != self.generation:
            return
        if len(self.entries) >= LOCAL_COPIES:
            del self.entries[next(iter(self.entries))]
        self.entries[key] = (entry, time.monotonic() + settings.PAGE_CACHE_SECONDS)


_local_copies = _LocalCopies()


def _current_generation():
    return _read_generation() or _start_generation()


def _read_generation():
    # The shared cache reads it over a connection of its own; any other cache, as any value.
    read = getattr(cache, "get_integer", cache.get)
    try:
        return read(GENERATION_KEY)
    except Exception:
        logger.warning("page cache unavailable for reading", exc_info=True)
        return None


def _stored_entry(key, generation):
    """The page stored under `key` for the current generation, from this process's copy if
    it has one, or None."""
    if generation is None:
        return None
    entry = _local_copies.get(key, generation)
    if entry is None:
        entry = _read(key).get(key)
        if entry is None or entry.generation != generation:
            return None
        _local_copies.keep(key, entry)
    return entry


def cached_fragment(name, render):
    """What `render()` gives, rendered at most once per generation: a part of a page that is
    the same for every anonymous visitor. Stored under the same rule as whole pages."""
    key = FRAGMENT_KEY_PREFIX + name
    found = _read(GENERATION_KEY, key)
    generation = found.get(GENERATION_KEY) or _start_generation()
    stored = found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1]
    html = render()
    if generation is not None and _read_generation() == generation:
        _write(key, (generation, html))
    return html


def _may_be_cached(request):
    """Anonymous visitors asking for a plain address of a CMS page: no session, no message
    waiting for them, no query, no credentials. Anything else (the health check above all)
    goes on without touching the cache."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and _is_page_address(request.path_info)
    )


@functools.lru_cache(maxsize=4096)
def _is_page_address(path):
    """Whether django CMS's page view answers `path`. Remembered per path: it only decides
    whether to look in the cache, and a stored page was checked when it was stored."""
    try:
        return resolve(path).url_name in PAGE_VIEW_NAMES
    except Resolver404:
        return False


def _is_public_page(request, response):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and match is not None
        and match.url_name in PAGE_VIEW_NAMES
        and user is not None
        and not user.is_authenticated
        and not (session is not None and session.modified)
        and response.get("Content-Type", "").startswith("text/html")
        # One copy serves every visitor: a page that varies on anything of theirs but the
        # cookies (whose one use, the CSRF token, is refilled) is not stored.
        and not set(cc_delim_re.split(response.get("Vary", "").lower())) - {"", "cookie"}
    )


def _set_revalidation_headers(response, fresh_inputs):
    """Browsers and shared caches ask again on every visit; a form page is never kept. Each
    variant of a page adds its own ETag."""
    del response["Expires"]
    if fresh_inputs:
        response["Cache-Control"] = "no-store, private"
    else:
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept-Encoding"])


def _page_headers(response):
    return {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}


def _entry_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return ENTRY_KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _read(*keys):
    try:
        return cache.get_many(keys) or {}
    except Exception:
        # An unreachable cache is a miss; the page is rendered as if nothing were stored.
        logger.warning("page cache unavailable for reading", exc_info=True)
        return {}


def _write(key, entry):
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache unavailable for writing", exc_info=True)


def invalidate():
    """Make every stored page stale, now and again once the current transaction commits.

    The first raise stops renders already running from being stored; the second stops
    those that started before the commit, and so read the old content, after the first."""
    _raise_generation()
    transaction.on_commit(_after_commit)


def _after_commit():
    from cms.cache import invalidate_cms_page_cache
    from menus.menu_pool import menu_pool

    # django CMS's own caches of menus and page addresses, filled in the same window, go
    # first: a render that starts once the generation is raised must not find them.
    invalidate_cms_page_cache()
    menu_pool.clear(all=True)
    _raise_generation()


def _start_generation():
    """The generation of a new or emptied cache: from the clock, above any generation a page
    still stored could carry."""
    try:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        return cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("page cache unavailable for reading", exc_info=True)
        return None


def _raise_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # Nothing to raise: a new generation outdates every stored page anyway.
        _start_generation()
    except Exception:
        logger.warning("page cache unavailable: could not mark stored pages stale", exc_info=True)
