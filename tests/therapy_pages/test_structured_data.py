import json

import pytest
from cms.api import create_page

from tests.conftest import LANGUAGE, draft_of, publish
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, parse, visible_text
from therapy_pages.nesting import add_nested_plugin

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


def test_faq_data_says_what_the_visible_answer_says_for_ampersands_brackets_quotes_and_accents(
    client, staff_author
):
    page = create_page("Awkward answers", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    content = draft_of(page)
    placeholder = content_placeholder(content)
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Questions")
    faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
    answers = [
        "<p>Drugs &amp; alcohol, <strong>both</strong>.</p>",
        "<p>Fewer than 3 &lt; 5 &gt; 2 sessions.</p>",
        '<p>"Talking helps", she said; it\'s true.</p>',
        "<p>Café, naïve, Zürich: 10 €.</p>",
    ]
    for number, answer in enumerate(answers, start=1):
        add_nested_plugin(
            placeholder, "FaqEntryPlugin", LANGUAGE, parent=faq_list, question=f"Q{number}?", answer=answer
        )
    publish(content, staff_author)

    document = parse(client.get(page.get_absolute_url()))

    visible = [visible_text(answer) for answer in document.find_class("faq__answer")]
    structured = [
        question["acceptedAnswer"]["text"] for question in of_type(document, "FAQPage")["mainEntity"]
    ]
    assert visible == [
        "Drugs & alcohol, both.",
        "Fewer than 3 < 5 > 2 sessions.",
        '"Talking helps", she said; it\'s true.',
        "Café, naïve, Zürich: 10 €.",
    ]
    assert structured == visible
