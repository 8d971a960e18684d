"""The CSV export never hands a spreadsheet a formula, in any column a person could type."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from enquiries.models import Status
from tests.enquiries.conftest import EnquiryFactory

pytestmark = pytest.mark.django_db

EXPORT = "/admin/enquiries/enquiry/export/"


@pytest.mark.parametrize("formula", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_every_text_column_is_exported_as_text_not_a_formula(client, exporter, formula):
    assignee = get_user_model().objects.create_user(username=f"{formula}handler", is_staff=True)
    EnquiryFactory(
        status=Status.NEW, name=f"{formula}name", email=f"{formula}@example.com", assigned_to=assignee
    )
    client.force_login(exporter)

    header, row = list(csv.reader(io.StringIO(client.get(EXPORT).content.decode())))

    exported = dict(zip(header, row, strict=True))
    assert exported["name"] == f"'{formula}name"
    assert exported["email"] == f"'{formula}@example.com"
    assert exported["assigned to"] == f"'{formula}handler"


def test_ordinary_answers_are_exported_exactly_as_typed(client, exporter):
    EnquiryFactory(status=Status.NEW, name="Sam O'Neill", email="sam@example.com")
    client.force_login(exporter)

    header, row = list(csv.reader(io.StringIO(client.get(EXPORT).content.decode())))

    exported = dict(zip(header, row, strict=True))
    assert (exported["name"], exported["email"]) == ("Sam O'Neill", "sam@example.com")


def test_the_export_is_a_download_no_cache_keeps_with_one_row_per_enquiry(client, exporter):
    now = timezone.now()
    held = EnquiryFactory(
        status=Status.IN_PROGRESS,
        name="Sam",
        phone="+447400123456",
        email="sam@example.com",
        received_at=now - timedelta(days=3),
        assigned_to=exporter,
    )
    held.topics.add("alcohol", "gambling")
    EnquiryFactory(status=Status.NEW, name="Robin", phone="", received_at=now - timedelta(minutes=5))
    client.force_login(exporter)

    response = client.get(EXPORT)

    assert response["Content-Disposition"] == (
        f'attachment; filename="enquiries-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert "no-store" in [directive.strip() for directive in response["Cache-Control"].split(",")]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == [
        "reference", "received", "name", "contact by", "phone", "email", "topics", "status", "assigned to",
        "overdue",
    ]  # fmt: skip
    exported = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert exported["Sam"] == {
        "reference": held.reference,
        "received": timezone.localtime(held.received_at).isoformat(timespec="minutes"),
        "name": "Sam",
        "contact by": "Phone",
        "phone": "07400 123456",
        "email": "sam@example.com",
        "topics": "Alcohol, Gambling",
        "status": "In progress",
        "assigned to": exporter.username,
        "overdue": "yes",
    }
    assert (exported["Robin"]["phone"], exported["Robin"]["assigned to"], exported["Robin"]["overdue"]) == (
        "",
        "",
        "",
    )
