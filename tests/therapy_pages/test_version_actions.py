"""The version list names each action in words, and says why Publish or Unpublish cannot be
used on a version when it cannot."""

import pytest
from cms.models import Page, PageContent
from djangocms_alias.models import AliasContent
from djangocms_versioning.helpers import version_list_url

from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import content_placeholder, new_draft, parse, visible_text
from therapy_pages.crisis_support import UNPUBLISH_REFUSED, crisis_support_alias
from therapy_pages.models import FaqEntry
from therapy_pages.nesting import add_nested_plugin
from therapy_pages.version_actions import DRAFT_NOT_ON_THE_SITE

pytestmark = pytest.mark.django_db


def actions_by_state(client, content):
    """{state: words in that row's actions column}, as the editor reads the version list."""
    rows = parse(client.get(version_list_url(content))).xpath('//table[@id="result_list"]/tbody/tr')
    return {
        visible_text(row.find_class("field-state")[0]): visible_text(row.find_class("field-list_actions")[0])
        for row in rows
    }


@pytest.fixture
def therapy_page(site_content):
    return Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")


def test_each_action_is_named_and_a_draft_says_why_it_cannot_be_unpublished(
    client, therapy_page, content_editor
):
    draft = new_draft(therapy_page, content_editor)
    client.force_login(content_editor)

    actions = actions_by_state(client, draft)

    assert actions["Draft"].startswith("Edit Archive Publish Unpublish")
    assert DRAFT_NOT_ON_THE_SITE in actions["Draft"]
    assert "Discard" in actions["Draft"]
    assert actions["Published"].startswith("Preview Unpublish")


def test_a_draft_with_an_unanswered_question_says_why_it_cannot_be_published(
    client, therapy_page, content_editor
):
    draft = new_draft(therapy_page, content_editor)
    faq_list = FaqEntry.objects.filter(placeholder=content_placeholder(draft)).first().parent
    add_nested_plugin(
        content_placeholder(draft),
        "FaqEntryPlugin",
        LANGUAGE,
        parent=faq_list,
        question="Is it private?",
        answer="",
    )
    client.force_login(content_editor)

    actions = actions_by_state(client, draft)

    assert "This page cannot be published yet: the question" in actions["Draft"]
    assert "Is it private?" in actions["Draft"]


def test_the_crisis_box_says_why_it_cannot_be_unpublished(client, site_content, content_editor):
    client.force_login(content_editor)

    actions = actions_by_state(client, AliasContent.objects.get(alias=crisis_support_alias()))

    assert UNPUBLISH_REFUSED in actions["Published"]
    assert PageContent.objects.exists()
