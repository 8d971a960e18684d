"""Everyday editor journeys, counted: an earlier version back in front of visitors, and a
picture uploaded from the media library's top level."""

import io
import re

import pytest
from cms.models import Page, PageContent
from django.contrib.auth import get_user_model
from djangocms_versioning.helpers import version_list_url
from djangocms_versioning.models import Version
from filer.models import File
from PIL import Image
from playwright.sync_api import expect

from tests.browser.actions import Actions
from tests.browser.toolbar import toolbar
from therapy_pages.editors import ensure_content_editors_group

THERAPY_URL = "/therapies/psychodynamic-therapy-for-addiction/"
NEW_TITLE = "A rewritten title"
# Counted by these tests; the journeys as they were are counted in the same way (see the
# docstrings) from the steps the screens then needed.
REVERT_AND_PUBLISH_BUDGET = 4
UPLOAD_BUDGET = 2


@pytest.fixture
def editor(page, site_content):
    user = get_user_model().objects.create_user(username="editor", password="editor-password", is_staff=True)
    user.groups.add(ensure_content_editors_group())
    page.goto(f"/admin/login/?next={THERAPY_URL}")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".cms-toolbar")).to_be_visible()
    page.user = user
    return page


def test_editor_puts_an_earlier_version_back_in_front_of_visitors_within_the_budget(
    editor, browser, base_url
):
    """Before: versions menu, Manage versions, Revert, Revert again on the confirmation, then
    find the new draft in the version list, open it and Publish: 7 actions, with no message
    on the way."""
    page, actions = editor, Actions()
    therapy = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    second = Version.objects.get_for_content(PageContent.objects.get(page=therapy)).copy(page.user)
    PageContent.admin_manager.filter(pk=second.content.pk).update(title=NEW_TITLE)
    second.publish(page.user)
    page.reload()

    actions.click(toolbar(page).get_by_text(re.compile(r"^Version #")))
    actions.click(toolbar(page).get_by_role("link", name="Manage Versions..."))
    versions = page.frame_locator(".cms-sideframe-frame iframe")
    unpublished = versions.locator("td.field-state", has_text="Unpublished")
    actions.click(versions.locator("#result_list tr", has=unpublished).get_by_role("link", name="Revert"))
    actions.click(versions.get_by_role("button", name="Publish this version"))
    published_again = "Version #1 is published again, as Version #3: visitors see it now."
    # The screen closes the side frame and reports in the page around it.
    expect(page.get_by_text(published_again)).to_be_visible()

    print(f"\nactions to put an earlier version back in front of visitors: {actions.count}")
    assert actions.count <= REVERT_AND_PUBLISH_BUDGET
    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(THERAPY_URL)
    expect(visitor.locator("h1")).not_to_have_text(NEW_TITLE)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_editor_uploads_a_picture_from_the_top_of_the_media_library_within_the_budget(
    editor, settings, tmp_path
):
    """Before: Upload Files at the top level did nothing, so: open Unsorted Uploads, Upload
    Files, choose the file: 3 actions (4 with the dead end first)."""
    settings.MEDIA_ROOT = tmp_path
    page, actions = editor, Actions()
    page.goto("/admin/filer/folder/")

    expect(page.get_by_text("Files you upload here go to Unsorted Uploads.")).to_be_visible()
    upload_files = page.get_by_role("link", name="Upload Files")
    actions.choose_file(page, upload_files, "room.png", png_bytes(), "image/png")
    # django-filer reloads the list once the upload is done.
    page.wait_for_url(re.compile(r"order_by=-modified_at"))
    page.goto("/admin/filer/folder/unfiled_images/")
    expect(page.locator("#result_list")).to_contain_text("room.png")

    print(f"\nactions to upload a picture to the media library: {actions.count}")
    assert actions.count <= UPLOAD_BUDGET
    uploaded = File.objects.get(original_filename="room.png")
    assert uploaded.folder is None


def test_version_list_fits_a_1366_pixel_screen_with_its_actions_in_words(editor):
    page = editor
    page.set_viewport_size({"width": 1366, "height": 768})
    therapy = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    Version.objects.get_for_content(PageContent.objects.get(page=therapy)).copy(page.user)

    page.goto(version_list_url(PageContent.admin_manager.filter(page=therapy).latest_content().get()))

    actions = page.locator("#result_list td.field-list_actions .cms-action-btn")
    expect(actions.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    for index in range(actions.count()):
        box = actions.nth(index).bounding_box()
        assert box["x"] + box["width"] <= 1366, actions.nth(index).inner_text()
    expect(page.locator("#result_list")).to_contain_text("Unpublish takes a published version off the site.")
