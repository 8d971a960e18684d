"""Uploaded images reach visitors with DEBUG off: from the portal on one machine, and from
shared object storage when several instances serve the site."""

import io
import json
import re
import subprocess
import sys
import time
import uuid

import boto3
import pytest
from cms.api import add_plugin
from django.core.files.uploadedfile import SimpleUploadedFile
from filer.models import Image as FilerImage
from PIL import Image

from tests.conftest import LANGUAGE, draft_of, publish
from tests.instances import BASE_DIR, free_port, running_instances, staff_headers

pytestmark = [pytest.mark.django_db, pytest.mark.processes]


def png_bytes(colour="teal"):
    output = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_uploaded_image_is_served_with_debug_off(client, media_root, admin_user, settings):
    assert not settings.DEBUG
    image = FilerImage.objects.create(
        owner=admin_user, original_filename="clinic.png", file=SimpleUploadedFile("clinic.png", png_bytes())
    )

    response = client.get(image.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/media/../portal/settings.py", "/media/%2e%2e/portal/settings.py"])
def test_nothing_outside_the_media_folder_is_served(client, media_root, path):
    assert client.get(path).status_code in (400, 404)


# Several instances: object storage
BUCKET = "portal-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture
def s3_endpoint():
    """moto's S3 server on a loopback port, with an empty bucket."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3 = s3_client(endpoint)
        deadline = time.monotonic() + 20
        while True:
            try:
                s3.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def multipart(field, filename, content, content_type):
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db(transaction=True)
def test_image_uploaded_through_one_instance_is_seen_through_the_other(
    tmp_path, s3_endpoint, admin_user, make_page
):
    storage = {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": s3_endpoint, **CREDENTIALS}
    page = make_page("Our garden", published=False)
    with running_instances(2, tmp_path, **storage) as (first, second):
        body, content_type = multipart("file", "garden.png", png_bytes("green"), "image/png")
        status, answer = first.request(
            "POST",
            "/admin/filer/clipboard/operations/upload/no_folder/",
            body=body,
            headers={"Content-Type": content_type, **staff_headers(admin_user)},
        )
        assert status == 200, answer
        image = FilerImage.objects.get(pk=json.loads(answer)["file_id"])
        content = draft_of(page)
        placeholder = content.get_placeholders().get(slot="content")
        add_plugin(placeholder, "ImagePlugin", LANGUAGE, image=image, alt_text="The garden behind the clinic")
        publish(content, admin_user)

        status, html = second.get("/our-garden/")

    assert status == 200
    source = re.search(r'<img src="([^"]+)" alt="The garden behind the clinic"', html)[1]
    assert source.startswith(f"{s3_endpoint}/{BUCKET}/")
    # The bucket's own policy makes images public in production; here, read it as the owner.
    key = source.removeprefix(f"{s3_endpoint}/{BUCKET}/")
    assert s3_client(s3_endpoint).get_object(Bucket=BUCKET, Key=key)["Body"].read() == png_bytes("green")
