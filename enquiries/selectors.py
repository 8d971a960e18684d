"""Reads about enquiries that more than one screen needs."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils import timezone

from enquiries.models import Enquiry, Status, open_first


def enquiries_open_first():
    """Open enquiries before the rest, each oldest first."""
    return Enquiry.objects.annotate(open_first=open_first())


def enquiry_counts(*, now=None):
    """How many enquiries are New, and how many open ones are overdue, in one query."""
    now = now or timezone.now()
    return Enquiry.objects.open().aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
    )


def enquiry_handlers():
    """Active staff who may change enquiries: who an enquiry can be assigned to."""
    permission = Permission.objects.get(content_type__app_label="enquiries", codename="change_enquiry")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission))
        .distinct()
        .order_by("username")
    )


def enquiries_notification_delayed(*, now=None):
    """True if staff have still not been emailed about an enquiry that arrived more than
    ENQUIRY_NOTIFY_DELAYED_MINUTES ago: the worker, the retry command or the mail server
    needs someone to look."""
    now = now or timezone.now()
    waited_since = now - timedelta(minutes=settings.ENQUIRY_NOTIFY_DELAYED_MINUTES)
    return Enquiry.objects.awaiting_notification().filter(received_at__lt=waited_since).exists()
