"""The desk's small pieces of wording and markup: time left, safe-contact summary, phone links,
and the "Needs action now" queue on the admin home."""

import phonenumbers
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from enquiries import selectors
from enquiries.models import Enquiry, SafeToContact

register = template.Library()

QUEUE_LENGTH = 50
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def _duration(seconds):
    """`5 min`, `3 h`, `2 days`: as precise as a handler needs at a glance."""
    if seconds < HOUR:
        return f"{max(1, seconds // MINUTE)} min"
    if seconds < 2 * DAY:
        return f"{seconds // HOUR} h"
    return f"{seconds // DAY} days"


def time_left(enquiry, *, now=None):
    """`due in 3 h` or `overdue by 2 days`, against the enquiry's due time."""
    if not enquiry.is_open:
        return enquiry.get_status_display()
    if enquiry.due_at is None:
        return "no time set"
    seconds = int((enquiry.due_at - (now or timezone.now())).total_seconds())
    if seconds < 0:
        return format_html('<strong class="enquiry-overdue">overdue by {}</strong>', _duration(-seconds))
    return f"due in {_duration(seconds)}"


def age(moment, *, now=None):
    seconds = int(((now or timezone.now()) - moment).total_seconds())
    return "just now" if seconds < MINUTE else f"{_duration(seconds)} ago"


def national_format(phone):
    """`07400 123456` for a UK number, `+33 1 23 45 67 89` for another."""
    dialled = phonenumbers.format_out_of_country_calling_number(phone, settings.PHONENUMBER_DEFAULT_REGION)
    return "+" + dialled.removeprefix("00 ") if dialled.startswith("00 ") else dialled


def phone_link(phone):
    if not phone:
        return ""
    return format_html('<a href="tel:{}">{}</a>', phone.as_e164, national_format(phone))


SAFE_WORDS = {SafeToContact.YES: "yes", SafeToContact.NO: "NO", "": "not said"}


def contact_summary(enquiry, *, full=False):
    """Who it is for and what is safe, before the number, so nobody rings unprepared."""
    safety = [
        ("For", enquiry.get_enquirer_display().lower()),
        ("Voicemail safe", SAFE_WORDS[enquiry.voicemail_safe]),
        ("Text all right", SAFE_WORDS[enquiry.text_safe]),
    ]
    if enquiry.preferred_language:
        safety.append(("Language", enquiry.preferred_language))
    if enquiry.best_time_to_call:
        safety.append(("Best time", enquiry.best_time_to_call))
    contacts = []
    if enquiry.phone:
        contacts.append(("Phone", phone_link(enquiry.phone)))
    if enquiry.email and (full or not enquiry.phone):
        contacts.append(("Email", enquiry.email))
    return format_html(
        '<dl class="enquiry-safety">{}{}</dl>',
        format_html_join("", "<div><dt>{}:</dt> <dd>{}</dd></div>", safety),
        format_html_join("", "<div><dt>{}:</dt> <dd>{}</dd></div>", contacts),
    )


@register.simple_tag
def enquiry_time_left(enquiry):
    return time_left(enquiry)


@register.simple_tag
def enquiry_contact_summary(enquiry):
    return contact_summary(enquiry)


@register.inclusion_tag("enquiries/admin/queue.html", takes_context=True)
def enquiry_queue(context):
    """What needs action now, most urgent first, for the admin home; nothing for staff who
    may not see enquiries."""
    user = context["request"].user
    if not user.has_perm("enquiries.view_enquiry"):
        return {"queue": None}
    queue = list(Enquiry.objects.needing_action().select_related("assigned_to")[: QUEUE_LENGTH + 1])
    return {
        "queue": queue[:QUEUE_LENGTH],
        "more": len(queue) > QUEUE_LENGTH,
        "changelist_url": reverse("admin:enquiries_enquiry_changelist"),
        "user": user,
    }


@register.inclusion_tag("enquiries/admin/counts.html", takes_context=True)
def enquiry_counts(context):
    """New and overdue enquiries, for the admin index; nothing for staff who may not see them."""
    if not context["request"].user.has_perm("enquiries.view_enquiry"):
        return {"counts": None}
    return {
        "counts": selectors.enquiry_counts(),
        "changelist_url": reverse("admin:enquiries_enquiry_changelist"),
    }
