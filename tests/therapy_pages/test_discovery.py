"""Titles, descriptions, canonical addresses, sharing tags, sitemap, robots and signposting."""

import pytest
from cms.api import create_page
from cms.models import Page, Placeholder
from django.contrib.contenttypes.models import ContentType
from djangocms_alias.models import AliasContent
from lxml import etree

from tests.conftest import LANGUAGE, draft_of, publish
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, parse, visible_text
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/therapies/",
    THERAPY_URL,
    "/frequently-asked-questions/",
    "/contact-us/",
    "/privacy-notice/",
    "/accessibility-statement/",
]
SITEMAP_NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def meta(document, selector):
    (element,) = document.xpath(selector)
    return element.get("content") or element.get("href")


def test_therapy_page_has_title_description_canonical_and_sharing_tags(client, site_content):
    document = parse(client.get(f"{THERAPY_URL}?utm_source=leaflet"))

    description = "How psychodynamic therapy helps with drug, alcohol and behavioural addiction"
    assert document.findtext(".//title") == "Psychodynamic therapy for addiction | Clinic information portal"
    assert meta(document, '//meta[@name="description"]').startswith(description)
    assert meta(document, '//link[@rel="canonical"]') == f"http://testserver{THERAPY_URL}"
    assert meta(document, '//meta[@property="og:url"]') == f"http://testserver{THERAPY_URL}"
    assert meta(document, '//meta[@property="og:title"]') == "Psychodynamic therapy for addiction"
    assert meta(document, '//meta[@property="og:description"]').startswith(description)
    assert meta(document, '//meta[@property="og:type"]') == "website"


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_page_signposts_crisis_support_once(client, site_content, url):
    document = parse(client.get(url))

    (crisis,) = document.xpath('//aside[@class="crisis-support"]')
    text = visible_text(crisis)
    assert "999" in text
    assert "Samaritans: call 116 123, free, 24 hours a day, 7 days a week." in text
    assert "NHS 111" in text


def test_not_found_page_shows_the_published_crisis_support_once(client, site_content):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.text.count('class="crisis-support"') == 1
    assert 'id="crisis-support-heading"' not in response.text


def test_sitemap_lists_published_pages_only(client, site_content, make_page):
    make_page("Draft only", published=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = etree.fromstring(response.content).xpath("//sm:loc/text()", namespaces=SITEMAP_NAMESPACE)
    assert sorted(locations) == sorted(f"http://testserver{url}" for url in PUBLIC_URLS)


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain"
    assert "Sitemap: http://testserver/sitemap.xml" in response.text.splitlines()
    assert "Disallow: /admin/" in response.text.splitlines()
    assert "Disallow: /enquiries/" in response.text.splitlines()


def test_therapies_page_lists_its_published_therapy_pages_with_summaries(client, site_content, make_page):
    therapies = Page.objects.get(reverse_id="therapies")
    make_page("Family therapy", parent=therapies, meta_description="Therapy with the people closest to you.")
    make_page("Group therapy", parent=therapies)
    make_page("Unpublished therapy", parent=therapies, published=False)

    document = parse(client.get("/therapies/"))

    items = [
        (visible_text(item.find(".//h2")), item.findtext(".//p"), item.find(".//a").get("href"))
        for item in document.find_class("child-pages__item")
    ]
    assert items == [
        (
            "Psychodynamic therapy",
            "How psychodynamic therapy helps with drug, alcohol and behavioural addiction: what it addresses,"
            " how sessions work, who it suits, and answers to common questions.",
            THERAPY_URL,
        ),
        ("Family therapy", "Therapy with the people closest to you.", "/therapies/family-therapy/"),
        # No description yet: the title alone.
        ("Group therapy", None, "/therapies/group-therapy/"),
    ]


def test_contents_list_links_every_section_in_order(client, site_content):
    document = parse(client.get(THERAPY_URL))

    links = document.xpath('//nav[@aria-labelledby="contents-list-heading"]//a')
    headings = document.xpath('//section[@class="page-section"]/h2')
    assert [link.get("href") for link in links] == [f"#{heading.get('id')}" for heading in headings]
    assert [visible_text(link) for link in links] == [visible_text(heading) for heading in headings]
    assert len(links) == 7


def test_contents_list_shows_only_the_sections_of_the_page_itself(client, staff_author):
    """Sections kept in another slot of the page (left by an earlier template), or in another
    kind of content that happens to share the page content's id, are not parts of this page."""
    page = create_page("Group therapy", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    content = draft_of(page)
    add_nested_plugin(content_placeholder(content), "SectionPlugin", LANGUAGE, heading="Who it helps")
    other_slot = Placeholder.objects.create(slot="sidebar", source=content)
    add_nested_plugin(other_slot, "SectionPlugin", LANGUAGE, heading="Left in the sidebar")
    other_content = Placeholder.objects.create(
        slot="content", content_type=ContentType.objects.get_for_model(AliasContent), object_id=content.pk
    )
    add_nested_plugin(other_content, "SectionPlugin", LANGUAGE, heading="Another box's part")
    publish(content, staff_author)
    document = parse(client.get(page.get_absolute_url()))

    links = document.xpath('//nav[@aria-labelledby="contents-list-heading"]//a')

    assert [(visible_text(link), link.get("href")) for link in links] == [("Who it helps", "#who-it-helps")]


@pytest.mark.parametrize("url", ["/", "/therapies/", THERAPY_URL, "/frequently-asked-questions/"])
def test_reading_pages_sets_no_cookie(client, site_content, url):
    response = client.get(url)

    assert response.cookies == {}
