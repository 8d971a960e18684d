import pytest
from cms.api import create_page
from cms.models import PageContent
from django.contrib.auth import get_user_model
from djangocms_versioning.models import Version
from lxml import html as lxml_html

from tests.conftest import LANGUAGE, draft_of, publish
from therapy_pages.editors import ensure_content_editors_group
from therapy_pages.nesting import add_nested_plugin

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"


@pytest.fixture
def content_editor(db):
    user = get_user_model().objects.create_user(username="editor", password="editor-password", is_staff=True)
    user.groups.add(ensure_content_editors_group())
    return user


def new_draft(page, user):
    """A draft copy of the page's published content, as the toolbar's "New draft" makes it."""
    published = PageContent.objects.get(page=page, language=LANGUAGE)
    return Version.objects.get_for_content(published).copy(user).content


def content_placeholder(content):
    return content.get_placeholders().get(slot="content")


@pytest.fixture
def make_faq_page(staff_author):
    """A published therapy page with one section holding `count` FAQ entries."""

    def make(title, count, *, published=True):
        page = create_page(title, "pages/therapy.html", LANGUAGE, created_by=staff_author)
        content = draft_of(page)
        placeholder = content_placeholder(content)
        section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Questions")
        faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
        for number in range(1, count + 1):
            add_nested_plugin(
                placeholder,
                "FaqEntryPlugin",
                LANGUAGE,
                parent=faq_list,
                question=f"{title} question {number}?",
                answer=f"<p>{title} answer {number}.</p>",
            )
        if published:
            publish(content, staff_author)
        return page

    return make


def visible_text(element):
    """The text a reader sees in an element: no scripts, whitespace collapsed."""
    for script in element.xpath(".//script"):
        script.drop_tree()
    return " ".join(element.text_content().split())


def parse(response):
    return lxml_html.fromstring(response.content)


def main_text(response):
    return visible_text(parse(response).get_element_by_id("main-content"))
