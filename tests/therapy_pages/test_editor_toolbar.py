"""What the toolbar offers a content editor beyond django CMS's own buttons."""

import pytest
from cms.models import Page, PageContent
from cms.toolbar.utils import get_object_edit_url, get_object_preview_url
from djangocms_versioning.models import Version

from tests.therapy_pages.conftest import THERAPY_URL, new_draft
from therapy_pages.cms_toolbars import DELETE_NOT_ALLOWED
from therapy_pages.crisis_support import editable_version

pytestmark = pytest.mark.django_db


def test_preview_of_a_draft_has_a_publish_button_for_an_editor(client, site_content, content_editor):
    draft = new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)
    client.force_login(content_editor)

    html = client.get(get_object_preview_url(draft)).text

    version = Version.objects.get_for_content(draft)
    assert f'href="/admin/djangocms_versioning/pagecontentversion/{version.pk}/publish/"' in html


def test_every_page_offers_the_crisis_support_box_to_an_editor(client, site_content, content_editor):
    client.force_login(content_editor)

    html = client.get(THERAPY_URL).text

    version = editable_version()
    assert "Crisis support box" in html
    assert f"/admin/djangocms_versioning/aliascontentversion/{version.pk}/edit-redirect/" in html


def test_editor_publishes_an_earlier_version_in_one_step_and_visitors_see_it(
    client, site_content, content_editor
):
    page = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    first = Version.objects.get_for_content(PageContent.objects.get(page=page))
    second = new_draft(page, content_editor)
    PageContent.admin_manager.filter(pk=second.pk).update(title="A rewritten title")
    Version.objects.get_for_content(second).publish(content_editor)
    client.force_login(content_editor)

    revert_screen = client.get(f"/admin/djangocms_versioning/pagecontentversion/{first.pk}/revert/").text
    assert "Publish this version" in revert_screen
    response = client.post(f"/admin/djangocms_versioning/publish-again/{first.pk}/", follow=True)

    assert "Version #1 is published again, as Version #3: visitors see it now." in [
        str(message) for message in response.context["messages"]
    ]
    client.logout()
    assert "A rewritten title" not in client.get(THERAPY_URL).text
    assert "Psychodynamic therapy" in client.get(THERAPY_URL).text


def test_delete_page_says_why_an_editor_cannot_use_it(client, site_content, content_editor):
    draft = new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)
    client.force_login(content_editor)

    html = client.get(get_object_edit_url(draft)).text

    assert DELETE_NOT_ALLOWED in html


@pytest.mark.parametrize(("who", "says_why"), [("content_editor", True), ("admin_user", False)])
def test_the_page_tree_says_why_delete_is_greyed_out_only_when_it_is(
    client, site_content, request, who, says_why
):
    page = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    client.force_login(request.getfixturevalue(who))

    response = client.get(f"/admin/cms/page/{page.pk}/actions-menu/")

    assert response.status_code == 200
    assert ("your role cannot delete pages" in response.text) is says_why
    assert "Delete..." in response.text
