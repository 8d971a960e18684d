"""The page cache: fast for anonymous visitors, never stale after a publish, never shared
between visitors where a page holds something of theirs."""

import gzip
import re

import pytest
from cms.models import Page
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from djangocms_alias.models import Alias, AliasContent
from djangocms_versioning.models import Version

from enquiries.models import Enquiry
from portal import page_cache
from portal.page_cache import PageCacheMiddleware
from tests.conftest import LANGUAGE, publish
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, new_draft
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

CONTACT_URL = "/contact-us/"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


def publish_text(page, text, user):
    """A new version of the page with `text` added at the end, published."""
    draft = new_draft(page, user)
    add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body=f"<p>{text}</p>")
    publish(draft, user)


def served_from_cache(client, url, django_assert_num_queries, **headers):
    with django_assert_num_queries(0):
        return client.get(url, headers=headers)


def test_second_anonymous_visit_makes_no_query_and_gets_the_same_page(
    client, make_page, django_assert_num_queries
):
    make_page("Opening hours")
    first = client.get("/opening-hours/")

    second = served_from_cache(client, "/opening-hours/", django_assert_num_queries)

    assert second.status_code == 200
    assert second.content == first.content


def test_published_change_is_seen_on_the_next_request(client, make_page, staff_author):
    page = make_page("Opening hours")
    assert "Open on Sundays" not in client.get("/opening-hours/").text

    publish_text(page, "Open on Sundays", staff_author)

    assert "Open on Sundays" in client.get("/opening-hours/").text


def test_unpublished_page_is_gone_on_the_next_request(client, make_page, staff_author):
    page = make_page("Opening hours")
    client.get("/opening-hours/")

    content = page.pagecontent_set(manager="admin_manager").get(language=LANGUAGE)
    Version.objects.get_for_content(content).unpublish(staff_author)

    assert client.get("/opening-hours/").status_code == 404


def test_page_moved_in_the_admin_is_served_at_its_new_address(client, admin_client, make_page):
    make_page("Services")
    page = make_page("Opening hours")
    assert client.get("/opening-hours/").status_code == 200

    services = Page.objects.get(urls__slug="services")
    response = admin_client.post(
        f"/admin/cms/page/{page.pk}/move-page/", {"target": services.pk, "position": 0}
    )

    assert response.status_code == 200
    assert client.get("/opening-hours/").status_code == 404
    assert client.get("/services/opening-hours/").status_code == 200


def test_deleted_page_is_gone_on_the_next_request(client, make_page):
    page = make_page("Opening hours")
    client.get("/opening-hours/")

    page.delete()

    assert client.get("/opening-hours/").status_code == 404


def test_crisis_box_published_is_seen_on_every_page_at_once(client, site_content, staff_author):
    assert "Crisis line 0800 000 0000" not in client.get(THERAPY_URL).text
    published = AliasContent.objects.get(alias=Alias.objects.get(static_code="crisis-support"))
    draft = Version.objects.get_for_content(published).copy(staff_author).content
    add_nested_plugin(draft.placeholder, "TextPlugin", LANGUAGE, body="<p>Crisis line 0800 000 0000</p>")

    publish(draft, staff_author)

    assert "Crisis line 0800 000 0000" in client.get(THERAPY_URL).text
    assert "Crisis line 0800 000 0000" in client.get("/").text


def test_render_during_which_a_publish_landed_is_not_stored(client, make_page, staff_author):
    """That render may reach its own visitor, but never the next one."""
    page = make_page("Opening hours")

    def publish_once(sender, template, **kwargs):
        if template.name == "pages/default.html" and not published:
            published.append(True)
            publish_text(page, "Open on Sundays", staff_author)

    published = []
    template_rendered.connect(publish_once)
    try:
        client.get("/opening-hours/")
    finally:
        template_rendered.disconnect(publish_once)

    assert published
    assert renders_page(client, "/opening-hours/")
    assert "Open on Sundays" in client.get("/opening-hours/").text


def test_pages_stored_before_the_publish_commits_are_outdated_by_the_commit(
    client, make_page, staff_author, django_capture_on_commit_callbacks
):
    page = make_page("Opening hours")
    with django_capture_on_commit_callbacks() as commit_callbacks:
        publish_text(page, "Open on Sundays", staff_author)
        # What another instance stores while the publish is still in its transaction.
        client.get("/opening-hours/")
        assert not renders_page(client, "/opening-hours/")

    for callback in commit_callbacks:
        callback()

    assert renders_page(client, "/opening-hours/")


def renders_page(client, url):
    """True if the page was rendered (from the database), False if served from the cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 0


def test_browser_revalidates_and_gets_304_until_a_publish(client, make_page, staff_author):
    page = make_page("Opening hours")
    first = client.get("/opening-hours/")
    assert first["Cache-Control"] == "no-cache"
    etag = first["ETag"]

    assert client.get("/opening-hours/", headers={"If-None-Match": etag}).status_code == 304
    publish_text(page, "Open on Sundays", staff_author)
    changed = client.get("/opening-hours/", headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert "Open on Sundays" in changed.text
    assert changed["ETag"] != etag


def test_a_hit_carries_the_same_headers_as_the_miss(client, make_page):
    make_page("Opening hours")

    miss = client.get("/opening-hours/")
    hit = client.get("/opening-hours/")

    assert all(name in miss for name in SECURITY_HEADERS)
    assert dict(hit.items()) == dict(miss.items())


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_a_hit_over_https_keeps_strict_transport_security(client, make_page, django_assert_num_queries):
    make_page("Opening hours")

    miss = client.get("/opening-hours/", secure=True)
    with django_assert_num_queries(0):
        hit = client.get("/opening-hours/", secure=True)

    assert miss["Strict-Transport-Security"].startswith("max-age=3600")
    assert dict(hit.items()) == dict(miss.items())


def test_a_publish_through_another_instance_outdates_this_process_copy_at_once(client, make_page):
    """Each process keeps its own copy of the pages it served; what another instance's
    publish leaves in the shared cache must outdate that copy on the very next request."""
    make_page("Opening hours")
    client.get("/opening-hours/")
    assert not renders_page(client, "/opening-hours/")

    cache.incr(page_cache.GENERATION_KEY)

    assert renders_page(client, "/opening-hours/")


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_page_cache_that_keeps_pages_for_no_time_renders_every_request(client, make_page):
    make_page("Opening hours")
    client.get("/opening-hours/")

    assert renders_page(client, "/opening-hours/")


def through_the_wsgi_entry_point(path, **headers):
    """(status, headers, body) as a WSGI server such as gunicorn gets them."""
    from portal.wsgi import application

    started = []
    environ = RequestFactory().get(path, headers=headers).environ
    body = b"".join(application(environ, lambda status, headers: started.append((status, headers))))
    [(status, headers)] = started
    return status, dict(headers), body


def test_the_wsgi_entry_point_answers_a_stored_page_itself(client, make_page, django_assert_num_queries):
    make_page("Opening hours")
    miss = client.get("/opening-hours/")

    with django_assert_num_queries(0):
        status, headers, body = through_the_wsgi_entry_point("/opening-hours/")
        revalidated = through_the_wsgi_entry_point("/opening-hours/", if_none_match=miss["ETag"])

    assert (status, body) == ("200 OK", miss.content)
    assert headers == {**dict(miss.items()), "Content-Length": str(len(miss.content))}
    assert all(name in headers for name in SECURITY_HEADERS)
    assert revalidated[0] == "304 Not Modified"


PHONE_BROWSER_ENCODINGS = "gzip, deflate, br"


def test_a_browser_that_accepts_gzip_gets_the_stored_page_gzipped(
    client, make_page, django_assert_num_queries
):
    make_page("Opening hours")
    plain = client.get("/opening-hours/")

    with django_assert_num_queries(0):
        packed = client.get("/opening-hours/", headers={"Accept-Encoding": PHONE_BROWSER_ENCODINGS})
        status, headers, body = through_the_wsgi_entry_point(
            "/opening-hours/", accept_encoding=PHONE_BROWSER_ENCODINGS
        )
        revalidated = client.get(
            "/opening-hours/",
            headers={"Accept-Encoding": PHONE_BROWSER_ENCODINGS, "If-None-Match": packed["ETag"]},
        )

    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert (status, body, headers) == ("200 OK", packed.content, dict(packed.items()))
    assert all(name in packed for name in SECURITY_HEADERS)
    # Each representation has its own ETag, so a cache never answers one with the other.
    assert packed["ETag"] != plain["ETag"]
    assert revalidated.status_code == 304


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0", "br, deflate", "*;q=0"])
def test_a_browser_that_does_not_accept_gzip_gets_the_page_plain(client, make_page, accept_encoding):
    make_page("Opening hours")
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}

    miss = client.get("/opening-hours/", headers=headers)
    hit = client.get("/opening-hours/", headers=headers)
    _status, wsgi_headers, wsgi_body = through_the_wsgi_entry_point("/opening-hours/", **headers)

    for response_headers, body in [(miss, miss.content), (hit, hit.content), (wsgi_headers, wsgi_body)]:
        assert "Content-Encoding" not in response_headers
        assert body.startswith(b"<!doctype html>")
        # A shared cache keeps the plain and the gzipped page apart.
        assert response_headers["Vary"] == "Accept-Encoding"


def test_a_page_with_a_form_is_never_gzipped(site_content, client):
    """Its per-visitor tokens are filled in for every visitor: compressing them beside the
    rest of the page would cost every request, and would help an attacker guess at them."""
    client.get(CONTACT_URL)

    page = client.get(CONTACT_URL, headers={"Accept-Encoding": PHONE_BROWSER_ENCODINGS})

    assert "Content-Encoding" not in page
    assert 'name="form_token"' in page.text


def form_tokens(response):
    html = response.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    form_token = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    return csrf, form_token


def enquiry(csrf, form_token, name):
    return {
        "csrfmiddlewaretoken": csrf,
        "form_token": form_token,
        "name": name,
        "contact_method": "phone",
        "phone": "07400 123456",
        "enquirer": "myself",
        "topics": ["alcohol"],
        "consent": "on",
    }


@override_settings(ENQUIRY_MIN_FILL_SECONDS=0)
def test_every_visitor_of_the_cached_contact_page_gets_their_own_tokens(
    site_content, client, django_assert_num_queries
):
    from django.test import Client

    first_visitor, second_visitor = client, Client()
    first = first_visitor.get(CONTACT_URL)
    second = served_from_cache(second_visitor, CONTACT_URL, django_assert_num_queries)

    assert first_visitor.cookies["csrftoken"].value != second_visitor.cookies["csrftoken"].value
    assert form_tokens(first)[1] != form_tokens(second)[1]
    assert "no-store" in second["Cache-Control"]
    assert "ETag" not in second
    for visitor, page, name in [(second_visitor, second, "Sam"), (first_visitor, first, "Alex")]:
        response = visitor.post("/enquiries/send/", enquiry(*form_tokens(page), name))
        assert response.status_code == 302, response.text
    assert sorted(Enquiry.objects.values_list("name", flat=True)) == ["Alex", "Sam"]


def test_returning_visitor_keeps_their_csrf_cookie_on_the_cached_contact_page(site_content, client):
    client.get(CONTACT_URL)
    cookie = client.cookies["csrftoken"].value

    again = client.get(CONTACT_URL)

    assert again.cookies.get("csrftoken") is None or again.cookies["csrftoken"].value == cookie
    assert client.cookies["csrftoken"].value == cookie


def test_signed_in_staff_never_get_or_leave_a_cached_page(client, make_page, staff_author):
    make_page("Opening hours")
    client.get("/opening-hours/")
    client.force_login(staff_author)

    staff_page = client.get("/opening-hours/")
    client.logout()
    visitor_page = client.get("/opening-hours/")

    assert "cms-toolbar" in staff_page.text
    assert "cms-toolbar" not in visitor_page.text


@pytest.mark.parametrize("query", ["?edit", "?toolbar_on", "?q=alcohol"])
def test_addresses_with_a_query_are_never_served_from_the_cache(client, make_page, query):
    make_page("Opening hours")
    client.get("/opening-hours/")

    assert renders_page(client, f"/opening-hours/{query}")


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_cache_that_answers_nothing_counts_as_a_miss(client, make_page, staff_author):
    page = make_page("Opening hours")

    assert client.get("/opening-hours/").status_code == 200
    publish_text(page, "Open on Sundays", staff_author)
    assert "Open on Sundays" in client.get("/opening-hours/").text


def test_visitor_with_a_message_waiting_gets_a_rendered_page(client, make_page):
    make_page("Opening hours")
    client.get("/opening-hours/")
    client.cookies["messages"] = "pending"

    assert renders_page(client, "/opening-hours/")


@pytest.mark.parametrize(("cookie", "renders"), [(None, 1), ("visitor", 2)])
def test_a_page_that_sets_a_cookie_of_its_own_is_never_stored(rf, cookie, renders):
    """A cookie the page sets (other than the CSRF one, which is refilled) may tie its
    body to one visitor: every other visitor gets a page rendered for them."""
    rendered = []

    def render(request):
        rendered.append(request)
        form = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>'
        response = HttpResponse(f"<p>Opening hours</p>{form}", content_type="text/html")
        if cookie:
            response.set_cookie(cookie, f"value-{len(rendered)}")
        return response

    middleware = PageCacheMiddleware(render)
    for _visitor in range(2):
        request = rf.get("/opening-hours/")
        request.user = AnonymousUser()
        request.resolver_match = resolve("/opening-hours/")
        middleware(request)

    assert len(rendered) == renders
