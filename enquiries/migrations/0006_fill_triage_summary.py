"""Fill the desk's summary columns of enquiries saved before they existed."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations

from enquiries.search import enquiry_search_text, phone_digits

OPEN_STATUSES = ("new", "in_progress", "contacted")
BATCH = 2000


def fill(apps, schema_editor):
    Enquiry = apps.get_model("enquiries", "Enquiry")
    EnquiryEvent = apps.get_model("enquiries", "EnquiryEvent")
    first_contacts = dict(
        EnquiryEvent.objects.filter(kind="status", status="contacted")
        .order_by("-created_at")
        .values_list("enquiry_id", "created_at")
    )
    promise = timedelta(hours=settings.ENQUIRY_RESPONSE_HOURS)
    batch = []
    for enquiry in Enquiry.objects.order_by("pk").iterator(chunk_size=BATCH):
        enquiry.first_contact_at = first_contacts.get(enquiry.pk)
        open_and_unreached = enquiry.status in OPEN_STATUSES and enquiry.first_contact_at is None
        enquiry.due_at = enquiry.received_at + promise if open_and_unreached else None
        enquiry.search_text = enquiry_search_text(
            reference=enquiry.reference, name=enquiry.name, email=enquiry.email
        )
        enquiry.phone_digits = phone_digits(enquiry.phone)
        batch.append(enquiry)
        if len(batch) == BATCH:
            _save(Enquiry, batch)
            batch = []
    _save(Enquiry, batch)


def _save(Enquiry, batch):
    Enquiry.objects.bulk_update(batch, ["first_contact_at", "due_at", "search_text", "phone_digits"])


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0005_triage_desk")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
