"""The CSV export never hands a spreadsheet a formula, in any column a person could type."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

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
