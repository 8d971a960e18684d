"""A plugin that raises while a page renders: visitors get the clinic's error page and the
failure is logged, never a page with part of its content silently missing; an editor still
gets the page, with django CMS's error box where the plugin was."""

import logging

import pytest
from cms.plugin_base import CMSPluginBase
from cms.plugin_pool import plugin_pool
from cms.toolbar.utils import get_object_edit_url, get_object_preview_url
from django.contrib.auth import get_user_model

from tests.conftest import LANGUAGE, draft_of, publish
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

OPENING_HOURS = "We open at nine every weekday."


class RaisingPlugin(CMSPluginBase):
    name = "Raises on render"
    render_template = "therapy_pages/plugins/section.html"

    def render(self, context, instance, placeholder):
        raise RuntimeError("this plugin cannot render")


@pytest.fixture
def raising_plugin():
    plugin_pool.register_plugin(RaisingPlugin)
    yield
    plugin_pool.unregister_plugin(RaisingPlugin)


@pytest.fixture
def broken_page(make_page, staff_author, raising_plugin):
    """A published page: a paragraph, then a plugin that raises."""
    page = make_page("Opening hours", published=False)
    content = draft_of(page)
    add_nested_plugin(content_placeholder(content), "TextPlugin", LANGUAGE, body=f"<p>{OPENING_HOURS}</p>")
    add_nested_plugin(content_placeholder(content), RaisingPlugin.__name__, LANGUAGE)
    publish(content, staff_author)
    return page


def test_visitors_get_the_error_page_and_the_failure_is_logged(client, broken_page, settings, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR):
        responses = [client.get("/opening-hours/") for _visit in range(2)]

    assert [response.status_code for response in responses] == [500, 500], "a blank page was kept"
    assert "Sorry, something went wrong" in responses[0].text
    assert settings.CLINIC_PHONE in responses[0].text
    assert "Internal Server Error: /opening-hours/" in caplog.text
    assert "this plugin cannot render" in caplog.text


def test_an_editor_still_gets_the_page_with_django_cms_s_error_box(client, broken_page):
    editor = get_user_model().objects.create_superuser("editor", "", "a-long-test-password")
    client.force_login(editor)
    draft = new_draft(broken_page, editor)

    edit_mode = client.get(get_object_edit_url(draft))
    preview = client.get(get_object_preview_url(draft))

    assert edit_mode.status_code == 200
    assert "RuntimeError: this plugin cannot render" in edit_mode.text
    assert preview.status_code == 200
    assert "<h1>Opening hours</h1>" in preview.text
