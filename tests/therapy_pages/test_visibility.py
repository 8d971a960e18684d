import pytest
from cms.models import Page

from tests.conftest import publish
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, new_draft
from therapy_pages import selectors
from therapy_pages.models import FaqEntry
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

FAQ_URL = "/frequently-asked-questions/"


def add_draft_question(staff_author):
    page = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    draft = new_draft(page, staff_author)
    placeholder = content_placeholder(draft)
    faq_list = placeholder.get_plugins().get(plugin_type="FaqListPlugin")
    add_nested_plugin(
        placeholder,
        "FaqEntryPlugin",
        "en-gb",
        parent=faq_list,
        question="Is this draft question visible?",
        answer="<p>Not until it is published.</p>",
    )
    return draft


def test_faq_index_lists_published_entries_grouped_by_page_with_links_back(client, site_content):
    html = client.get(FAQ_URL).text

    assert f'<h2><a href="{THERAPY_URL}">Psychodynamic therapy</a></h2>' in html
    for entry in FaqEntry.objects.filter(placeholder__object_id__isnull=False).distinct():
        assert f'href="{THERAPY_URL}#{entry.anchor}"' in html
        assert f'id="{entry.anchor}"' in client.get(THERAPY_URL).text


def test_faq_index_groups_published_entries_under_each_page_in_site_order(make_faq_page):
    make_faq_page("Family therapy", 2)
    make_faq_page("Draft therapy", 1, published=False)
    make_faq_page("Group therapy", 1)

    groups = selectors.published_faq_entries_by_page()

    assert [
        (group.title, group.url, [entry.question for entry in group.faq_entries]) for group in groups
    ] == [
        ("Family therapy", "/family-therapy/", ["Family therapy question 1?", "Family therapy question 2?"]),
        ("Group therapy", "/group-therapy/", ["Group therapy question 1?"]),
    ]


def test_draft_question_appears_nowhere_public_until_published(client, site_content, staff_author):
    draft = add_draft_question(staff_author)

    assert "Is this draft question visible?" not in client.get(THERAPY_URL).text
    assert "Is this draft question visible?" not in client.get(FAQ_URL).text

    publish(draft, staff_author)

    assert "Is this draft question visible?" in client.get(THERAPY_URL).text
    assert "Is this draft question visible?" in client.get(FAQ_URL).text


def test_page_never_published_is_not_found_and_not_in_the_faq_index(client, site_content, make_faq_page):
    make_faq_page("Unpublished therapy", 2, published=False)

    assert client.get("/unpublished-therapy/").status_code == 404
    assert client.get("/sitemap.xml").content.count(b"unpublished-therapy") == 0
    faq_index = client.get(FAQ_URL).text
    assert "Can psychodynamic" in faq_index
    assert "Unpublished therapy" not in faq_index


def test_faq_index_shows_a_question_published_on_another_page_at_once(client, site_content, make_faq_page):
    assert "Family therapy question 1?" not in client.get(FAQ_URL).text

    make_faq_page("Family therapy", 1)

    assert "Family therapy question 1?" in client.get(FAQ_URL).text
