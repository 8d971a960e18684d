"""Reads about enquiries that more than one screen needs."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from enquiries.models import CONTACT_OUTCOMES, Enquiry, EnquiryEvent, Status, open_first


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
    ENQUIRY_NOTIFY_DELAYED_MINUTES ago: the sender or the mail server needs someone to
    look."""
    now = now or timezone.now()
    waited_since = now - timedelta(minutes=settings.ENQUIRY_NOTIFY_DELAYED_MINUTES)
    return Enquiry.objects.awaiting_notification().filter(received_at__lt=waited_since).exists()


@dataclass(frozen=True)
class WeekOfResponses:
    starts: date
    count: int
    contacted: int
    median_hours: float | None
    p90_hours: float | None
    within_promise: int

    @property
    def share_within_promise(self):
        return self.within_promise / self.count if self.count else None


def response_times(*, weeks=12, now=None):
    """Each of the last `weeks` weeks (Monday to Sunday, oldest first): how many enquiries
    arrived, and how long they waited for a first contact, read from their timelines so that
    anonymised enquiries still count. Spam is left out. An enquiry nobody has reached yet
    counts in the total but not in the times, and is not within the promise once that passed."""
    now = now or timezone.now()
    this_monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first_monday, time.min))
    reached = Q(events__kind=EnquiryEvent.Kind.ATTEMPT, events__outcome__in=CONTACT_OUTCOMES) | Q(
        events__kind=EnquiryEvent.Kind.STATUS, events__status=Status.CONTACTED
    )
    # The day and the wait come from the database: converting two timestamps per enquiry in
    # Python was most of the page's time on a busy desk.
    rows = (
        Enquiry.objects.filter(received_at__gte=start)
        .exclude(status=Status.SPAM)
        .annotate(first_contact=Min("events__created_at", filter=reached))
        .annotate(
            day=TruncDate("received_at"),
            wait=ExpressionWrapper(F("first_contact") - F("received_at"), output_field=DurationField()),
        )
        .values_list("day", "wait")
        .order_by()
    )
    waits_by_week = {first_monday + timedelta(weeks=number): [] for number in range(weeks)}
    counts = dict.fromkeys(waits_by_week, 0)
    for day, wait in rows:
        monday = day - timedelta(days=day.weekday())
        counts[monday] += 1
        if wait is not None:
            waits_by_week[monday].append(wait.total_seconds() / 3600)
    promise = settings.ENQUIRY_RESPONSE_HOURS
    return [
        WeekOfResponses(
            starts=monday,
            count=counts[monday],
            contacted=len(waits),
            median_hours=statistics.median(waits) if waits else None,
            p90_hours=_percentile(waits, 90),
            within_promise=sum(1 for wait in waits if wait <= promise),
        )
        for monday, waits in waits_by_week.items()
    ]


def _percentile(values, percent):
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
