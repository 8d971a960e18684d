"""What content editors read in the staff screens is in the clinic's words, not django CMS's:
the admin's app and model names, the page settings, the structure board and the breadcrumbs."""

import gettext
import io

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from cms.models import Page, Placeholder
from cms.toolbar.utils import get_object_edit_url
from django.conf import settings
from django.utils import translation

from tests.therapy_pages.conftest import new_draft, parse, visible_text

CATALOGUE = settings.BASE_DIR / "locale" / "en_GB" / "LC_MESSAGES"
TECHNICAL_WORDS = ("django CMS", "Page content", "Alias", "Filer", "Slug", "Description meta tag")


@pytest.fixture
def therapy_draft(site_content, content_editor):
    return new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)


@pytest.mark.django_db
def test_every_admin_index_entry_an_editor_sees_is_in_plain_words(client, content_editor):
    client.force_login(content_editor)

    index = parse(client.get("/admin/")).get_element_by_id("content-main")

    entries = [visible_text(entry) for entry in index.xpath(".//caption | .//th[@scope='row']")]
    assert entries == [
        "Media library",
        "Folders",
        "Shared content",
        "Categories",
        "Shared boxes",
        "Therapy pages",
        "Crisis support box",
        "Pages due for review",
        "Scheduled publishing",
        "Versions",
        "Page versions",
        "Shared box versions",
        "Website",
        "Pages",
    ]


@pytest.mark.django_db
def test_page_settings_name_the_address_and_the_summary_for_what_they_are(
    client, therapy_draft, content_editor
):
    client.force_login(content_editor)

    form = parse(client.get(f"/admin/cms/pagecontent/{therapy_draft.pk}/change/"))

    labels = [visible_text(label) for label in form.xpath("//form//label")]
    assert "Address:" in labels
    assert "Summary:" in labels
    assert not [label for label in labels if any(word in label for word in TECHNICAL_WORDS)], labels
    summary_help = visible_text(form.get_element_by_id("id_meta_description_helptext"))
    assert "Therapies list and in search results" in summary_help
    rows = form.xpath("//form//div[contains(@class, 'form-row')]")
    without_help = [
        visible_text(row.find(".//label"))
        for row in rows
        if not "".join(visible_text(help_text) for help_text in row.find_class("help"))
    ]
    assert len(rows) >= 10
    assert without_help == []


def test_a_shared_box_on_the_structure_board_says_where_to_edit_it():
    """The tooltip of a placeholder from elsewhere (the crisis support box's) on the structure
    board; checked through django CMS's own message, as the board shows it only once rendered."""
    with translation.override(settings.LANGUAGE_CODE):
        assert str(Placeholder.static_message) == (
            "Shared by every page, not part of this one: edit it with Crisis support box on the toolbar."
        )


@pytest.mark.django_db
def test_edit_mode_breadcrumbs_start_at_home(client, therapy_draft, content_editor):
    client.force_login(content_editor)

    (trail,) = parse(client.get(get_object_edit_url(therapy_draft))).find_class("breadcrumbs")

    assert [visible_text(crumb) for crumb in trail.iter("li")] == [
        "Home",
        "Therapies",
        "Psychodynamic therapy",
    ]


def test_the_committed_catalogue_is_its_po_file_compiled():
    with (CATALOGUE / "django.po").open("rb") as po_file:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po_file))
    compiled.seek(0)

    with (CATALOGUE / "django.mo").open("rb") as mo_file:
        committed = gettext.GNUTranslations(mo_file)

    expected = gettext.GNUTranslations(compiled)
    assert {k: v for k, v in committed._catalog.items() if k} == {
        k: v for k, v in expected._catalog.items() if k
    }
    assert committed.gettext("Description meta tag") == "Summary"
