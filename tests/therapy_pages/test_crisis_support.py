"""The crisis support box can be edited but never taken off the site."""

import pytest
from djangocms_alias.models import AliasContent
from djangocms_versioning.constants import PUBLISHED
from djangocms_versioning.models import Version

from tests.conftest import LANGUAGE, publish
from tests.therapy_pages.conftest import THERAPY_URL, parse, visible_text
from therapy_pages.crisis_support import EMPTY_REFUSED, UNPUBLISH_REFUSED, crisis_support_alias
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

NEW_NUMBER = "Crisis line 0800 000 0000"


def published_box():
    return AliasContent.objects.get(alias=crisis_support_alias(), language=LANGUAGE)


def version_admin_url(version, action):
    return f"/admin/djangocms_versioning/aliascontentversion/{version.pk}/{action}/"


def crisis_text(response):
    (box,) = parse(response).xpath('//aside[contains(@class, "crisis-support")]')
    return visible_text(box)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_editor_is_told_why_the_box_cannot_be_unpublished(client, site_content, content_editor):
    version = Version.objects.get_for_content(published_box())
    client.force_login(content_editor)

    response = client.post(version_admin_url(version, "unpublish"), follow=True)

    assert UNPUBLISH_REFUSED in messages_of(response)
    assert Version.objects.get(pk=version.pk).state == PUBLISHED
    client.logout()
    assert "116 123" in crisis_text(client.get(THERAPY_URL))


def test_editor_is_told_why_an_empty_box_cannot_be_published(client, site_content, content_editor):
    draft = Version.objects.get_for_content(published_box()).copy(content_editor)
    draft.content.placeholder.clear(LANGUAGE)
    client.force_login(content_editor)

    response = client.post(version_admin_url(draft, "publish"), follow=True)

    assert EMPTY_REFUSED in messages_of(response)
    assert Version.objects.get(pk=draft.pk).state != PUBLISHED
    client.logout()
    assert "116 123" in crisis_text(client.get(THERAPY_URL))


def test_box_with_text_publishes_and_every_page_and_the_404_page_show_it(client, site_content, staff_author):
    draft = Version.objects.get_for_content(published_box()).copy(staff_author).content
    add_nested_plugin(draft.placeholder, "TextPlugin", LANGUAGE, body=f"<p>{NEW_NUMBER}</p>")

    publish(draft, staff_author)

    assert NEW_NUMBER in crisis_text(client.get(THERAPY_URL))
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert NEW_NUMBER in crisis_text(not_found)


def test_pages_fall_back_to_the_built_in_box_while_the_alias_has_no_published_text(
    client, site_content, staff_author
):
    Version.objects.get_for_content(published_box()).unpublish(staff_author)

    for url in (THERAPY_URL, "/", "/no-such-page/"):
        text = crisis_text(client.get(url))
        assert "Samaritans: call 116 123" in text, url
