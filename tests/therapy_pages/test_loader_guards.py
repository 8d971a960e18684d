"""The loader's guards, reached with copy that really changed: a page staff published an edit
of, or unpublished, stays as staff left it; an untouched page with review dates is updated."""

import shutil

import pytest
from cms.models import Page, PageContent
from django.core.management import call_command
from djangocms_versioning.constants import PUBLISHED, UNPUBLISHED
from djangocms_versioning.models import Version

from tests.conftest import publish
from tests.therapy_pages.conftest import THERAPY_URL, new_draft
from therapy_pages.content_source import CONTENT_DIR
from therapy_pages.models import PageReview

pytestmark = pytest.mark.django_db

THERAPY_COPY = "psychodynamic-therapy-for-addiction.md"
OLD_WORDS = "focuses on the causes of drug"
NEW_WORDS = "looks for the roots of drug"


@pytest.fixture
def changed_therapy_copy(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    copy = folder / THERAPY_COPY
    text = copy.read_text(encoding="utf-8")
    assert OLD_WORDS in text
    copy.write_text(text.replace(OLD_WORDS, NEW_WORDS).replace("2029-11-25", "2030-01-31"), encoding="utf-8")
    return folder


def therapy_page():
    return Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")


def test_changed_copy_updates_the_untouched_therapy_page_with_its_review_dates(
    client, site_content, changed_therapy_copy
):
    call_command("load_site_content", content_dir=changed_therapy_copy, verbosity=0)

    html = client.get(THERAPY_URL).text
    assert NEW_WORDS in html and OLD_WORDS not in html
    assert "Next review due: 31 January 2030" in html
    published = PageContent.objects.get(page=therapy_page())
    assert PageReview.objects.filter(extended_object=published).count() == 1


def test_changed_copy_never_overwrites_an_edit_staff_published(
    client, site_content, staff_author, changed_therapy_copy
):
    draft = new_draft(therapy_page(), staff_author)
    PageContent.admin_manager.filter(pk=draft.pk).update(title="Psychodynamic therapy, as staff wrote it")
    publish(draft, staff_author)
    versions = Version.objects.filter_by_grouper(therapy_page()).count()

    call_command("load_site_content", content_dir=changed_therapy_copy, verbosity=0)

    html = client.get(THERAPY_URL).text
    assert OLD_WORDS in html and NEW_WORDS not in html
    assert Version.objects.filter_by_grouper(therapy_page()).count() == versions


def test_changed_copy_never_republishes_a_page_staff_unpublished(
    client, site_content, staff_author, changed_therapy_copy
):
    published = Version.objects.get_for_content(PageContent.objects.get(page=therapy_page()))
    published.unpublish(staff_author)

    call_command("load_site_content", content_dir=changed_therapy_copy, verbosity=0)

    assert client.get(THERAPY_URL).status_code == 404
    states = list(Version.objects.filter_by_grouper(therapy_page()).values_list("state", flat=True))
    assert states == [UNPUBLISHED]
    assert PUBLISHED not in states
