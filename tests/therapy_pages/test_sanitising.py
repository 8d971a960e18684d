import re

import pytest
from cms.api import create_page

from tests.conftest import LANGUAGE, draft_of, publish
from tests.therapy_pages.conftest import content_placeholder
from therapy_pages.models import FaqEntry, TitledPoint
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

HOSTILE = '<p onclick="steal()">Hello<script>alert("x")</script> <a href="javascript:steal()">link</a></p>'


# The portal's own script files, which its Content-Security-Policy allows.
PORTAL_SCRIPT = re.compile(r'<script src="/static/[\w/.-]+\.js" defer></script>')


def assert_harmless(html):
    assert "<script" not in html
    assert "alert(" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


@pytest.fixture
def section(staff_author):
    page = create_page("Sanitising", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    content = draft_of(page)
    placeholder = content_placeholder(content)
    return add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Questions"), content


def test_rich_text_loses_script_when_saved(section):
    section_plugin, _content = section
    placeholder = section_plugin.placeholder
    faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section_plugin)
    entry = add_nested_plugin(
        placeholder, "FaqEntryPlugin", LANGUAGE, parent=faq_list, question="Q?", answer=HOSTILE
    )
    points = add_nested_plugin(placeholder, "TitledPointListPlugin", LANGUAGE, parent=section_plugin)
    point = add_nested_plugin(
        placeholder, "TitledPointPlugin", LANGUAGE, parent=points, title="T", body=HOSTILE
    )
    text = add_nested_plugin(placeholder, "TextPlugin", LANGUAGE, parent=section_plugin, body=HOSTILE)

    for stored in (FaqEntry.objects.get(pk=entry.pk).answer, TitledPoint.objects.get(pk=point.pk).body):
        assert_harmless(stored)
        assert "Hello" in stored
    assert_harmless(type(text).objects.get(pk=text.pk).body)


def test_published_page_serves_no_editor_script(client, section, staff_author):
    section_plugin, content = section
    placeholder = section_plugin.placeholder
    faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section_plugin)
    add_nested_plugin(placeholder, "FaqEntryPlugin", LANGUAGE, parent=faq_list, question="Q?", answer=HOSTILE)
    publish(content, staff_author)

    html = client.get("/sanitising/").text

    assert "Hello" in html
    html = PORTAL_SCRIPT.sub("", html)
    assert html.count("<script") == html.count('<script type="application/ld+json">')
    assert_harmless(html.replace('<script type="application/ld+json">', ""))


def test_plain_text_fields_are_escaped(client, section, staff_author):
    section_plugin, content = section
    add_nested_plugin(
        section_plugin.placeholder, "SectionPlugin", LANGUAGE, heading='<img src=x onerror="steal()">'
    )
    publish(content, staff_author)

    html = client.get("/sanitising/").text

    assert "&lt;img src=x onerror=&quot;steal()&quot;&gt;" in html
    assert "<img src=x" not in html


OVERLAY = (
    '<div style="position:fixed;inset:0;z-index:9999;background:white" class="overlay" role="dialog" '
    'aria-hidden="true" data-track="1"><p style="color:red">Read <a href="https://example.org" '
    'target="_blank" style="display:block">this</a>, call <a href="tel:116123">116 123</a>, or '
    '<a href="data:text/html,hi">that</a>.</p><img src="https://tracker.example/pixel.gif">'
    '<table><tr><td>cell</td></tr></table><iframe src="https://example.org"></iframe></div>'
)


def test_rich_text_keeps_structure_and_links_and_loses_styling_and_layout(section):
    section_plugin, _content = section
    text = add_nested_plugin(
        section_plugin.placeholder, "TextPlugin", LANGUAGE, parent=section_plugin, body=OVERLAY
    )

    stored = type(text).objects.get(pk=text.pk).body

    assert stored == (
        '<p>Read <a href="https://example.org">this</a>, call <a href="tel:116123">116 123</a>, or '
        "<a>that</a>.</p>cell"
    )


def test_faq_answers_lose_style_attributes_too(section):
    section_plugin, _content = section
    faq_list = add_nested_plugin(section_plugin.placeholder, "FaqListPlugin", LANGUAGE, parent=section_plugin)
    entry = add_nested_plugin(
        section_plugin.placeholder,
        "FaqEntryPlugin",
        LANGUAGE,
        parent=faq_list,
        question="Q?",
        answer='<p style="position:fixed">Answer <strong class="big">here</strong></p>',
    )

    assert FaqEntry.objects.get(pk=entry.pk).answer == "<p>Answer <strong>here</strong></p>"
