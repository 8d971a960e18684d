"""What an anonymous visitor's page costs the database with the CMS caches empty.

Measured on SQLite and PostgreSQL: 22 queries for a therapy page with FAQ entries on a
cold cache, 29 for the clinic's therapy page with its call to action (one fewer each once
django CMS has recorded its menu cache key); none at all once the page cache holds it.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

MAX_QUERIES_FAQ_PAGE = 22
MAX_QUERIES_THERAPY_PAGE = 29


def cold_render_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
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

    assert cold_render_queries(client, "/five/") == cold_render_queries(client, "/fifty/")


def test_clinic_therapy_page_render_is_pinned(client, site_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES_THERAPY_PAGE):
        client.get("/therapies/psychodynamic-therapy-for-addiction/")


def test_second_visit_is_served_from_the_page_cache(client, site_content, django_assert_num_queries):
    client.get("/therapies/psychodynamic-therapy-for-addiction/")

    with django_assert_num_queries(0):
        response = client.get("/therapies/psychodynamic-therapy-for-addiction/")

    assert "Psychodynamic therapy" in response.text
