"""Reads about enquiries that more than one screen needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils import timezone

from enquiries.models import Enquiry, Status, open_first, response_time


def enquiries_open_first():
    """Open enquiries before the rest, each oldest first."""
    return Enquiry.objects.annotate(open_first=open_first())


def enquiry_counts(*, now=None):
    """How many enquiries are New, and how many of those are overdue, in one query."""
    now = now or timezone.now()
    return Enquiry.objects.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        overdue=Count("pk", filter=Q(status=Status.NEW, received_at__lt=now - response_time())),
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
