import json

import pytest

from tests.therapy_pages.conftest import THERAPY_URL, parse, visible_text

pytestmark = pytest.mark.django_db


def json_ld(document):
    return [json.loads(script.text) for script in document.xpath('//script[@type="application/ld+json"]')]


def of_type(document, schema_type):
    found = [data for data in json_ld(document) if data["@type"] == schema_type]
    assert len(found) == 1, f"expected one {schema_type}, found {len(found)}"
    return found[0]


def test_faq_page_data_is_exactly_the_visible_questions_and_answers(client, site_content):
    document = parse(client.get(THERAPY_URL))
    faq_page = of_type(document, "FAQPage")

    visible = [
        (visible_text(details.find("summary")), visible_text(details.find_class("faq__answer")[0]))
        for details in document.xpath('//details[@class="faq"]')
    ]
    structured = [
        (question["name"], question["acceptedAnswer"]["text"]) for question in faq_page["mainEntity"]
    ]
    assert faq_page["@context"] == "https://schema.org"
    assert all(question["@type"] == "Question" for question in faq_page["mainEntity"])
    assert len(visible) == 3
    assert structured == visible


def test_therapy_page_is_a_medical_web_page_with_its_visible_review(client, site_content):
    document = parse(client.get(THERAPY_URL))
    medical_page = of_type(document, "MedicalWebPage")

    footer_line = visible_text(document.find_class("page-review")[0])
    assert footer_line == (
        "Reviewed by Clinical team, Clinical lead · "
        "Page last reviewed: 25 November 2026 · Next review due: 25 November 2029"
    )
    assert medical_page["lastReviewed"] == "2026-11-25"
    assert medical_page["inLanguage"] == "en-GB"
    assert medical_page["reviewedBy"] == {
        "@type": "Person",
        "name": "Clinical team",
        "jobTitle": "Clinical lead",
    }
    assert medical_page["name"] == visible_text(document.xpath("//h1")[0])
    assert medical_page["url"] == f"http://testserver{THERAPY_URL}"


def test_breadcrumb_data_matches_the_visible_breadcrumbs(client, site_content):
    document = parse(client.get(THERAPY_URL))
    breadcrumbs = of_type(document, "BreadcrumbList")

    visible = [visible_text(item) for item in document.xpath('//nav[@aria-label="Breadcrumb"]//li')]
    assert visible == ["Home", "Therapies", "Psychodynamic therapy"]
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == visible
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]
    assert breadcrumbs["itemListElement"][-1]["item"] == f"http://testserver{THERAPY_URL}"


@pytest.mark.parametrize(
    "url", ["/", "/therapies/", "/frequently-asked-questions/", "/contact-us/", "/privacy-notice/"]
)
def test_every_page_has_breadcrumb_data_and_only_faq_pages_have_faq_data(client, site_content, url):
    document = parse(client.get(url))

    types = [data["@type"] for data in json_ld(document)]
    assert "BreadcrumbList" in types
    assert "FAQPage" not in types
    assert "MedicalWebPage" not in types


def test_text_that_could_close_the_script_is_escaped(client, make_faq_page):
    make_faq_page("Odd </script><b>", 1)

    response = client.get("/odd-scriptb/")
    faq_page = of_type(parse(response), "FAQPage")

    assert faq_page["mainEntity"][0]["name"] == "Odd </script><b> question 1?"
    assert "</script><b>" not in response.text
