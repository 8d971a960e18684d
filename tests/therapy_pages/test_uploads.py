"""The media library takes images and PDF documents, only when the file is what its name
says, and the portal serves what it keeps without letting a browser guess another type."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import re_path
from django.views.static import serve
from filer.models import File
from lxml import html as lxml_html
from PIL import Image

from portal.urls import urlpatterns as portal_urlpatterns
from therapy_pages.editors import ensure_content_editors_group

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/filer/clipboard/operations/upload/no_folder/"


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The portal's own addresses with uploaded files served, as a development server serves them.
urlpatterns = [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media), *portal_urlpatterns]

SCRIPT = b"alert(document.cookie)"
FEED = b'<?xml version="1.0"?><rss><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></rss>'
REFUSED = {
    "steal.js": SCRIPT,
    "feed.rdf": FEED,
    "feed.atom": FEED,
    "feed.rss": FEED,
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>',
    "page.html": b"<script>alert(1)</script>",
    "photo.png": SCRIPT,
    "leaflet.pdf": SCRIPT,
}


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def editor_client(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    editor = get_user_model().objects.create_user("editor", password="a-long-test-password", is_staff=True)
    editor.groups.add(ensure_content_editors_group())
    client.force_login(editor)
    return client


def upload(client, name, content):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("name", REFUSED)
def test_anything_but_a_real_image_or_pdf_is_refused(editor_client, name):
    response = upload(editor_client, name, REFUSED[name])

    assert response.status_code == 400
    assert "error" in response.json(), response.json()
    assert not File.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("photo.png", png_bytes()), ("leaflet.pdf", PDF)])
def test_a_real_image_or_pdf_is_kept(editor_client, name, content):
    response = upload(editor_client, name, content)

    assert "error" not in response.json(), response.json()
    assert File.objects.get().original_filename == name


@pytest.mark.urls(__name__)
def test_an_uploaded_file_is_served_with_its_type_and_nosniff(editor_client, client):
    upload(editor_client, "leaflet.pdf", PDF)
    stored = File.objects.get()

    response = client.get(stored.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_upload_files_works_at_the_top_level_and_goes_to_unsorted_uploads(editor_client):
    library = lxml_html.fromstring(editor_client.get("/admin/filer/folder/").content)

    (button,) = library.find_class("js-upload-button")
    assert not library.find_class("js-upload-button-disabled")
    assert "go to Unsorted Uploads" in library.get_element_by_id("upload-goes-to-unsorted").text_content()
    response = editor_client.post(
        button.get("data-url"), {"file": SimpleUploadedFile("room.png", png_bytes())}
    )

    assert "error" not in response.json(), response.json()
    assert File.objects.get().folder is None
    unsorted = editor_client.get("/admin/filer/folder/unfiled_images/").text
    assert "room.png" in unsorted
