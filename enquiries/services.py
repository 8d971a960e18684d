"""What can happen to an enquiry. Views, the admin and management commands call these;
each change is saved together with its line in the enquiry's timeline."""

import enum
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks_db.backend import DatabaseBackend

# The module, not its tasks: the tasks call back into this module.
from enquiries import tasks
from enquiries.consent import CONSENT_WORDING_VERSION
from enquiries.models import AUDIT_DETAIL_MAX_LENGTH, TOPICS, Enquiry, EnquiryEvent, Status

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L or U: a reference read out over the phone cannot be misheard as another.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5
# Long enough for a slow mail server to answer, short enough that a crashed sender's
# claim lapses before the next retry run but one.
NOTIFICATION_CLAIM = timedelta(minutes=2)


class EnquiryEditConflict(Exception):
    """The enquiry changed after the editor opened it; their change was not saved."""


def new_reference():
    return "ENQ-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


@dataclass(frozen=True)
class Submission:
    enquiry: Enquiry
    created: bool


def enquiry_submit(*, details, submission_key, spam_reasons=(), now=None):
    """Save an enquiry, once per form: the same form sent again finds the first enquiry,
    and keeps what was changed on it. Staff are told by a task that runs only once the save
    has committed, never inside the visitor's request."""
    now = now or timezone.now()
    key = submission_key or secrets.token_urlsafe(24)
    with transaction.atomic():
        existing = Enquiry.objects.filter(submission_key=key).first()
        if existing:
            return Submission(enquiry=_keep_changes(existing, details=details, now=now), created=False)
        enquiry = _create_with_unique_reference(details=details, key=key, spam_reasons=spam_reasons, now=now)
        if enquiry is None:
            existing = Enquiry.objects.get(submission_key=key)
            return Submission(enquiry=_keep_changes(existing, details=details, now=now), created=False)
        enquiry.topics.add(*details["topics"])
        EnquiryEvent.objects.create(enquiry=enquiry, kind=EnquiryEvent.Kind.STATUS, status=enquiry.status)
        if enquiry.status != Status.SPAM:
            _queue_staff_notification(enquiry)
    logger.info("Enquiry %s received (status %s)", enquiry.reference, enquiry.status)
    return Submission(enquiry=enquiry, created=True)


def _queue_staff_notification(enquiry):
    """Queue the staff email; the enquiry is saved whatever happens to the queue, and an
    enquiry whose task was never queued still waits for the retry command.

    A queue kept in this database takes the task in the enquiry's own transaction, in a
    savepoint of its own: one commit saves both, and no worker sees the task before the
    enquiry. Any other queue (the immediate one runs the task at once) gets it after the
    commit."""
    enqueue = partial(tasks.notify_staff_of_enquiry.enqueue, enquiry.pk)
    if not isinstance(tasks.notify_staff_of_enquiry.get_backend(), DatabaseBackend):
        transaction.on_commit(enqueue, robust=True)
        return
    try:
        with transaction.atomic():
            enqueue()
    except Exception:
        logger.exception("Staff notification for enquiry %s not queued", enquiry.reference)


RESENT_WITH_CHANGES = "Sent again from the same form, with changes. As sent this time:\n"


def _keep_changes(enquiry, *, details, now):
    """The enquiry a form was first saved as. If this sending of the form differs from the
    one before it, its content goes on the timeline, where staff see it."""
    note = RESENT_WITH_CHANGES + _as_text(details)
    with transaction.atomic():
        current = _locked(enquiry)
        latest = (
            current.events.filter(
                kind=EnquiryEvent.Kind.NOTE, author=None, text__startswith=RESENT_WITH_CHANGES
            )
            .values_list("text", flat=True)
            .last()
        )
        if note == (latest or RESENT_WITH_CHANGES + _as_text(_details_of(current))):
            return current
        _record(current, kind=EnquiryEvent.Kind.NOTE, by=None, now=now, text=note)
    logger.info("Enquiry %s sent again with changes", current.reference)
    return current


def _details_of(enquiry):
    """What the form sent, read back from the saved enquiry (the shape of
    EnquiryForm.submission_details)."""
    details = {name: getattr(enquiry, name) for name in SENT_FIELDS}
    details["topics"] = list(enquiry.topics.values_list("slug", flat=True))
    return details


SENT_FIELDS = ["name", "contact_method", "phone", "email", "best_time_to_call", "enquirer", "message"]


def _as_text(details):
    """The details as staff read them, in the same words however they were saved."""
    lines = []
    for name in SENT_FIELDS:
        field = Enquiry._meta.get_field(name)
        value = dict(field.flatchoices).get(details[name], details[name]) if field.choices else details[name]
        lines.append(f"{field.verbose_name.capitalize()}: {value or '-'}")
    lines.insert(-1, "Topics: " + ", ".join(label for slug, label in TOPICS if slug in details["topics"]))
    return "\n".join(lines)


def _create_with_unique_reference(*, details, key, spam_reasons, now):
    """The new enquiry, or None if the same form was saved meanwhile by another request."""
    fields = {name: value for name, value in details.items() if name != "topics"}
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Enquiry.objects.create(
                    **fields,
                    reference=new_reference(),
                    received_at=now,
                    status_changed_at=now,
                    status=Status.SPAM if spam_reasons else Status.NEW,
                    spam_reasons="; ".join(spam_reasons),
                    submission_key=key,
                    consent_wording_version=CONSENT_WORDING_VERSION,
                    consented_at=now,
                )
        except IntegrityError:
            if Enquiry.objects.filter(submission_key=key).exists():
                return None
    raise RuntimeError(f"No free enquiry reference after {REFERENCE_ATTEMPTS} attempts")


def _locked(enquiry, *, expected_version=None):
    """The enquiry, locked for this transaction; refuse it if it moved past the editor."""
    current = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if expected_version is not None and current.version != expected_version:
        raise EnquiryEditConflict
    return current


def _bump(enquiry, **changes):
    changes["version"] = F("version") + 1
    Enquiry.objects.filter(pk=enquiry.pk).update(**changes)
    enquiry.refresh_from_db()


def _record(enquiry, *, kind, by, now, changes=None, **event_fields):
    """Apply the changes with a new version, and add the matching line to the timeline."""
    _bump(enquiry, **(changes or {}))
    EnquiryEvent.objects.create(enquiry=enquiry, kind=kind, author=by, created_at=now, **event_fields)


def enquiry_change_status(*, enquiry, status, by, expected_version=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        if current.status == status:
            return current
        _record(
            current,
            kind=EnquiryEvent.Kind.STATUS,
            by=by,
            now=now,
            changes={"status": status, "status_changed_at": now},
            status=status,
        )
    return current


def enquiry_assign(*, enquiry, assignee, by, expected_version=None, now=None):
    """Give the enquiry to a handler (or to nobody, with assignee None)."""
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        if current.assigned_to_id == (assignee.pk if assignee else None):
            return current
        _record(
            current,
            kind=EnquiryEvent.Kind.ASSIGNMENT,
            by=by,
            now=now or timezone.now(),
            changes={"assigned_to": assignee},
            assigned_to=assignee,
        )
    return current


def enquiry_add_note(*, enquiry, text, by, expected_version=None, now=None):
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        _record(current, kind=EnquiryEvent.Kind.NOTE, by=by, now=now or timezone.now(), text=text)
    return current


def enquiry_triage(*, enquiry, expected_version, by, status, assignee, note=""):
    """Apply what a handler changed on the enquiry page, all or nothing: refused with
    EnquiryEditConflict if someone else saved the enquiry after the handler opened it."""
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        current = enquiry_assign(enquiry=current, assignee=assignee, by=by)
        current = enquiry_change_status(enquiry=current, status=status, by=by)
        if note:
            current = enquiry_add_note(enquiry=current, text=note, by=by)
    return current


class Notification(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    # Already sent, or being sent right now by another request or command.
    SKIPPED = "skipped"


def enquiry_notify_staff(*, enquiry, now=None):
    """Email staff the reference, time and admin link, and nothing else about the person.
    A failure leaves the enquiry waiting for the retry command."""
    now = now or timezone.now()
    claimed = (
        Enquiry.objects.awaiting_notification()
        .filter(pk=enquiry.pk)
        .exclude(notification_claimed_until__gt=now)
        .update(
            notification_claimed_until=now + NOTIFICATION_CLAIM,
            notification_attempts=F("notification_attempts") + 1,
        )
    )
    if not claimed:
        return Notification.SKIPPED
    try:
        _send_staff_notification(enquiry)
    except Exception as error:  # Whatever stopped the email, the enquiry waits for a retry.
        Enquiry.objects.filter(pk=enquiry.pk).update(notification_claimed_until=None)
        logger.warning(
            "Could not notify staff of enquiry %s (%s); will retry", enquiry.reference, type(error).__name__
        )
        return Notification.FAILED
    Enquiry.objects.filter(pk=enquiry.pk).update(
        staff_notified_at=timezone.now(), notification_claimed_until=None
    )
    return Notification.SENT


def _send_staff_notification(enquiry):
    if not settings.ENQUIRY_NOTIFY_EMAILS:
        raise RuntimeError("ENQUIRY_NOTIFY_EMAILS is empty")
    link = settings.ENQUIRY_ADMIN_BASE_URL.rstrip("/") + reverse(
        "admin:enquiries_enquiry_change", args=[enquiry.pk]
    )
    received = date_format(timezone.localtime(enquiry.received_at), r"j F Y \a\t H:i")
    send_mail(
        subject=f"New enquiry {enquiry.reference}",
        message=(
            f"A new enquiry, {enquiry.reference}, arrived on {received}.\n\n"
            f"Open it here (staff sign-in needed):\n{link}\n"
        ),
        from_email=None,
        recipient_list=settings.ENQUIRY_NOTIFY_EMAILS,
    )


def enquiries_retry_notifications(*, now=None):
    """Try again for every enquiry staff have not yet been told about: how many of each
    outcome, as a Counter keyed by Notification."""
    return Counter(
        enquiry_notify_staff(enquiry=enquiry, now=now)
        for enquiry in Enquiry.objects.awaiting_notification().order_by("received_at")
    )


@dataclass(frozen=True)
class RetentionSummary:
    anonymised: int
    spam_deleted: int


PERSONAL_FIELDS_BLANKED = {"name": "", "phone": "", "email": "", "best_time_to_call": "", "message": ""}


def enquiries_apply_retention(*, now=None, dry_run=False):
    """Blank personal details of enquiries closed for longer than ENQUIRY_RETENTION_DAYS
    (keeping reference, dates, status and topics), and delete spam kept longer than
    ENQUIRY_SPAM_RETENTION_DAYS."""
    now = now or timezone.now()
    to_anonymise = Enquiry.objects.filter(
        status=Status.CLOSED,
        anonymised_at__isnull=True,
        status_changed_at__lt=now - timedelta(days=settings.ENQUIRY_RETENTION_DAYS),
    )
    spam_to_delete = Enquiry.objects.filter(
        status=Status.SPAM,
        status_changed_at__lt=now - timedelta(days=settings.ENQUIRY_SPAM_RETENTION_DAYS),
    )
    if dry_run:
        return RetentionSummary(anonymised=to_anonymise.count(), spam_deleted=spam_to_delete.count())
    with transaction.atomic():
        ids = list(to_anonymise.select_for_update().values_list("pk", flat=True))
        # Notes are staff's words about the person: they go with the personal details.
        EnquiryEvent.objects.filter(enquiry_id__in=ids, kind=EnquiryEvent.Kind.NOTE).update(text="")
        anonymised = Enquiry.objects.filter(pk__in=ids).update(
            **PERSONAL_FIELDS_BLANKED, anonymised_at=now, version=F("version") + 1
        )
        _audit_many(ids, kind=EnquiryEvent.Kind.ANONYMISED, by=None, now=now)
        _total, deleted_by_model = spam_to_delete.delete()
    spam_deleted = deleted_by_model.get(Enquiry._meta.label, 0)
    return RetentionSummary(anonymised=anonymised, spam_deleted=spam_deleted)


# The record of who read what. Lines are added to the timeline without raising the
# enquiry's version: reading an enquiry must not make a colleague's open edit conflict.
def enquiry_record_viewed(*, enquiry, by, now=None):
    """`by` opened the enquiry's page."""
    EnquiryEvent.objects.create(
        enquiry=enquiry, kind=EnquiryEvent.Kind.VIEWED, author=by, created_at=now or timezone.now()
    )


def enquiries_record_export(*, enquiry_ids, by, list_filter, now=None):
    """`by` exported these enquiries as CSV from the list narrowed by `list_filter` (the
    list's query parameters, without search text)."""
    detail = f"{len(enquiry_ids)} rows; filter: {list_filter or 'none'}"
    _audit_many(enquiry_ids, kind=EnquiryEvent.Kind.EXPORTED, by=by, now=now or timezone.now(), detail=detail)


def _audit_many(enquiry_ids, *, kind, by, now, detail=""):
    EnquiryEvent.objects.bulk_create(
        EnquiryEvent(
            enquiry_id=enquiry_id,
            kind=kind,
            author=by,
            created_at=now,
            detail=detail[:AUDIT_DETAIL_MAX_LENGTH],
        )
        for enquiry_id in enquiry_ids
    )


HANDLERS_GROUP_NAME = "Enquiry handlers"
# See and triage enquiries. Exporting is a separate permission, given person by person.
HANDLERS_PERMISSIONS = ["view_enquiry", "change_enquiry"]


def enquiry_handlers_group_ensure():
    """The handlers' group with exactly its permissions, however often this runs."""
    group, _created = Group.objects.get_or_create(name=HANDLERS_GROUP_NAME)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="enquiries", codename__in=HANDLERS_PERMISSIONS)
    )
    return group
