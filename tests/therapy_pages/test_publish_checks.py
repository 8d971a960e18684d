"""A question with no answer never reaches visitors: publishing the page is refused, and the
editor is told which question to answer."""

import pytest
from cms.models import Page
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.models import Version

from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, new_draft
from therapy_pages.models import FaqEntry
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

QUESTION = "How long does the therapy take?"


@pytest.fixture
def draft(site_content, content_editor):
    return new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)


def add_question(draft, answer):
    faq_list = FaqEntry.objects.filter(placeholder=content_placeholder(draft)).first().parent
    return add_nested_plugin(
        content_placeholder(draft),
        "FaqEntryPlugin",
        LANGUAGE,
        parent=faq_list,
        question=QUESTION,
        answer=answer,
    )


def publish_as(client, user, draft):
    client.force_login(user)
    version = Version.objects.get_for_content(draft)
    response = client.post(
        f"/admin/djangocms_versioning/pagecontentversion/{version.pk}/publish/", follow=True
    )
    return response, Version.objects.get(pk=version.pk)


@pytest.mark.parametrize("empty_answer", ["", "<p></p>", "<p>&nbsp; </p>"])
def test_a_page_with_an_unanswered_question_is_not_published_and_the_editor_is_told_which(
    client, draft, content_editor, empty_answer
):
    add_question(draft, empty_answer)

    response, version = publish_as(client, content_editor, draft)

    assert version.state == DRAFT
    assert [str(message) for message in response.context["messages"]] == [
        f"This page cannot be published yet: the question “{QUESTION}” has no answer. "
        "Double-click the question on the page, write its answer, then publish."
    ]
    client.logout()
    assert QUESTION not in client.get(THERAPY_URL).text


def test_once_answered_the_page_is_published(client, draft, content_editor):
    add_question(draft, "<p>Usually a year or more.</p>")

    _response, version = publish_as(client, content_editor, draft)

    assert version.state == PUBLISHED
    client.logout()
    assert QUESTION in client.get(THERAPY_URL).text
