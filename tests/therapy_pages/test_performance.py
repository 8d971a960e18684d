"""What an anonymous visitor's page costs the database with the CMS caches empty.

Measured on SQLite and PostgreSQL: 22 queries for a therapy page with FAQ entries on a
cold cache, 29 for the clinic's therapy page with its call to action (one fewer each once
django CMS has recorded its menu cache key); none at all once the page cache holds it.
Every public page is pinned, and the lists (the FAQ index, /therapies/, the menu) cost the
same whatever the number of pages or entries they show.
"""

import pytest
from cms.api import create_page
from cms.models import Page
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import LANGUAGE, draft_of, publish

pytestmark = pytest.mark.django_db

MAX_QUERIES_FAQ_PAGE = 22
MAX_QUERIES_THERAPY_PAGE = 29


# What each of the clinic's pages must show, one piece from each kind of plugin on it: a
# page with a plugin that failed, or rendered nothing, fails its test however few queries
# it made.
PAGE_CONTENT = {
    "/": ["If drinking, drugs, gambling or another behaviour has started to take over your life"],
    "/therapies/": [
        "These pages explain the talking therapies we offer",
        '<a href="/therapies/psychodynamic-therapy-for-addiction/">',
    ],
    "/therapies/psychodynamic-therapy-for-addiction/": [
        "Psychodynamic therapy for addiction focuses on the causes of drug, alcohol",
        "What does the psychodynamic model of addiction address?",
        "Trauma and painful emotions",
        "Can psychodynamic therapy assist with managing cravings?",
        '<a class="button" href="/contact-us/">Contact us today</a>',
    ],
    "/frequently-asked-questions/": [
        "Follow a question to read its answer in context.",
        "Can psychodynamic therapy assist with managing cravings?",
    ],
    "/contact-us/": [
        "Getting in touch is often the hardest step.",
        '<form class="enquiry-form" method="post" action="/enquiries/send/"',
    ],
    "/privacy-notice/": ["Who is responsible for your information", "we are the “controller”"],
    "/accessibility-statement/": ["Using this website", "zoom in up to 400%"],
}


def assert_shows(response, fragments):
    assert response.status_code == 200
    missing = [fragment for fragment in fragments if fragment not in response.text]
    assert not missing, f"{response.wsgi_request.path} does not show {missing}"


def cold_render_queries(client, url, *, shows=()):
    """The queries a render of `url` costs with the caches empty; the page must show `shows`."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert_shows(response, shows)
    return len(queries)


@pytest.mark.parametrize("entries", [5, 50])
def test_therapy_page_render_is_pinned(
    client, site_content, make_faq_page, django_assert_max_num_queries, entries
):
    make_faq_page("Counted", entries)

    with django_assert_max_num_queries(MAX_QUERIES_FAQ_PAGE):
        response = client.get("/counted/")

    assert response.text.count('<details class="faq"') == entries


def test_query_count_does_not_grow_with_faq_entries(client, site_content, make_faq_page):
    make_faq_page("Five", 5)
    make_faq_page("Fifty", 50)
    client.get("/")  # records django CMS's menu cache key, a one-off write

    five = cold_render_queries(client, "/five/", shows=["Five question 5?", "Five answer 5."])
    assert cold_render_queries(client, "/fifty/", shows=["Fifty question 50?", "Fifty answer 50."]) == five


def test_clinic_therapy_page_render_is_pinned(client, site_content, django_assert_max_num_queries):
    url = "/therapies/psychodynamic-therapy-for-addiction/"
    Site.objects.get_current()  # Django keeps the current site for the life of the process.
    with django_assert_max_num_queries(MAX_QUERIES_THERAPY_PAGE):
        response = client.get(url)

    assert_shows(response, PAGE_CONTENT[url])


def test_second_visit_is_served_from_the_page_cache(client, site_content, django_assert_num_queries):
    client.get("/therapies/psychodynamic-therapy-for-addiction/")

    with django_assert_num_queries(0):
        response = client.get("/therapies/psychodynamic-therapy-for-addiction/")

    assert_shows(response, PAGE_CONTENT["/therapies/psychodynamic-therapy-for-addiction/"])


# Cold render of each of the clinic's pages, with django CMS's menu cache key recorded.
PUBLIC_PAGE_QUERIES = {
    "/": 22,
    "/therapies/": 20,
    "/therapies/psychodynamic-therapy-for-addiction/": 28,
    "/frequently-asked-questions/": 22,
    "/contact-us/": 19,
    "/privacy-notice/": 20,
    "/accessibility-statement/": 20,
}


@pytest.mark.parametrize(("url", "limit"), PUBLIC_PAGE_QUERIES.items())
def test_every_public_page_render_is_pinned(client, site_content, url, limit):
    client.get("/")

    assert cold_render_queries(client, url, shows=PAGE_CONTENT[url]) <= limit


def add_therapy_pages(count, author):
    therapies = Page.objects.get(urls__slug="therapies")
    for number in range(count):
        page = create_page(
            f"Extra therapy {number}", "pages/therapy.html", LANGUAGE, created_by=author, parent=therapies
        )
        publish(draft_of(page), author)


@pytest.mark.parametrize("url", ["/therapies/", "/", "/frequently-asked-questions/"])
def test_lists_cost_the_same_with_more_pages(client, site_content, staff_author, url):
    client.get("/")
    before = cold_render_queries(client, url, shows=PAGE_CONTENT[url])

    add_therapy_pages(12, staff_author)
    client.get("/")  # records django CMS's menu cache key again, a one-off write

    assert cold_render_queries(client, url, shows=PAGE_CONTENT[url]) == before
    assert "Extra therapy 11" in client.get("/therapies/").text


def test_faq_index_costs_the_same_with_more_pages_of_questions(client, site_content, make_faq_page):
    make_faq_page("Family therapy", 2)
    client.get("/")
    before = cold_render_queries(client, "/frequently-asked-questions/", shows=["Family therapy question 2?"])

    for number in range(8):
        make_faq_page(f"Therapy {number}", 5)
    client.get("/")

    url = "/frequently-asked-questions/"
    assert (
        cold_render_queries(client, url, shows=["Family therapy question 2?", "Therapy 7 question 5?"])
        == before
    )
    assert "Therapy 7 question 5?" in client.get("/frequently-asked-questions/").text
