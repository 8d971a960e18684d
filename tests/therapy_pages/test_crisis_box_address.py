"""The crisis support box opens for editing at an address with one query string, whichever
way the editor comes to it."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from cms.toolbar.utils import get_object_preview_url
from djangocms_alias.models import AliasContent
from djangocms_versioning.models import Version

from therapy_pages.crisis_support import crisis_support_alias

pytestmark = pytest.mark.django_db


def toolbar_edit_button_address(html):
    """The toolbar's "Edit": djangocms-versioning's button, which carries the preview's query."""
    (address,) = re.findall(
        r'href="(/admin/djangocms_versioning/aliascontentversion/\d+/edit-redirect/\?[^"]*)"', html
    )
    return address.replace("&amp;", "&")


def test_edit_from_the_box_preview_opens_it_with_the_language_given_once(
    client, site_content, content_editor
):
    box = AliasContent.admin_manager.get(alias=crisis_support_alias())
    client.force_login(content_editor)
    preview = client.get(get_object_preview_url(box))

    response = client.post(toolbar_edit_button_address(preview.text))

    address = urlsplit(response["Location"])
    assert "?" not in address.query
    assert parse_qsl(address.query) == [("language", "en-gb")]
    editing = client.get(response["Location"])
    assert editing.status_code == 200
    assert "Samaritans" in editing.text
    assert Version.objects.filter_by_grouper(crisis_support_alias()).count() == 2
