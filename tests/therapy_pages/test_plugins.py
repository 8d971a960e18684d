import io

import pytest
from cms.api import create_page
from cms.models import Page
from cms.toolbar.utils import get_object_edit_url, get_object_structure_url
from django.core.files.base import ContentFile
from django.forms import modelform_factory
from django.urls import reverse
from filer.models import Image as FilerImage
from PIL import Image as PillowImage

from tests.conftest import LANGUAGE, draft_of, publish
from tests.therapy_pages.conftest import content_placeholder, new_draft, parse, visible_text
from therapy_pages.models import Image, PageReview
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_parts(staff_author):
    """A draft therapy page with one section, to add parts to and then publish."""
    page = create_page("Parts", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    content = draft_of(page)
    placeholder = content_placeholder(content)
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Pictures")
    return content, placeholder, section


@pytest.fixture
def filer_image(staff_author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    return FilerImage.objects.create(
        owner=staff_author, original_filename="room.png", file=ContentFile(buffer.getvalue(), "room.png")
    )


def add_image(page_parts, filer_image, **fields):
    _content, placeholder, section = page_parts
    add_nested_plugin(placeholder, "ImagePlugin", LANGUAGE, parent=section, image=filer_image, **fields)


def test_image_has_its_alt_text_and_caption(client, page_parts, filer_image, staff_author):
    add_image(
        page_parts,
        filer_image,
        alt_text="A quiet therapy room with two chairs",
        caption="One of our therapy rooms",
    )
    content, _placeholder, _section = page_parts
    publish(content, staff_author)

    (figure,) = parse(client.get("/parts/")).find_class("figure")

    image = figure.find("img")
    assert image.get("alt") == "A quiet therapy room with two chairs"
    assert (image.get("width"), image.get("height")) == ("40", "30")
    assert visible_text(figure.find("figcaption")) == "One of our therapy rooms"


def test_an_image_is_labelled_on_the_structure_board_by_the_start_of_its_alt_text(
    admin_client, page_parts, filer_image
):
    add_image(
        page_parts,
        filer_image,
        alt_text="A quiet therapy room with two chairs, a low table and a window onto the garden",
    )

    content, _placeholder, _section = page_parts
    board = parse(admin_client.get(get_object_structure_url(content)))

    labels = [visible_text(label) for label in board.find_class("cms-dragitem-text")]
    assert "Image A quiet therapy room with two chairs, a…" in labels


def test_image_cannot_be_saved_without_alt_text(filer_image):
    form = modelform_factory(Image, fields=["image", "alt_text", "caption"])(
        data={"image": filer_image.pk, "alt_text": "", "caption": ""}
    )

    assert not form.is_valid()
    assert "alt_text" in form.errors


def test_call_to_action_links_the_contact_page(client, site_content):
    document = parse(client.get("/therapies/psychodynamic-therapy-for-addiction/"))

    (call_to_action,) = document.find_class("call-to-action")
    button = call_to_action.find_class("button")[0]
    assert (visible_text(button), button.get("href")) == ("Contact us today", "/contact-us/")
    assert call_to_action.find(".//h3") is not None  # inside a section, under its h2


def test_editor_finds_the_clinical_review_in_the_page_menu(client, site_content, content_editor):
    content = new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)
    client.force_login(content_editor)

    response = client.get(get_object_edit_url(content))

    assert response.status_code == 200
    assert "Clinical review..." in response.text


def test_editor_updates_the_review_dates_of_a_draft(client, site_content, content_editor):
    content = new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)
    review = PageReview.objects.get(extended_object=content)
    client.force_login(content_editor)
    url = reverse("admin:therapy_pages_pagereview_change", args=[review.pk])

    response = client.post(
        url,
        {
            "last_reviewed": "2026-12-01",
            "reviewer_name": "Dr A Reviewer",
            "reviewer_role": "Consultant psychiatrist",
            "next_review_due": "2027-12-01",
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.reviewer_name, review.next_review_due.isoformat()) == ("Dr A Reviewer", "2027-12-01")
    published = PageReview.objects.exclude(pk=review.pk).get(extended_object__page=content.page)
    assert published.reviewer_name == "Clinical team"
