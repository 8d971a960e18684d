"""What can happen to an enquiry. Views, the admin and management commands call these;
each change is saved together with its line in the enquiry's timeline."""

import enum
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enquiries.consent import CONSENT_WORDING_VERSION
from enquiries.models import (
    AUDIT_DETAIL_MAX_LENGTH,
    CONTACT_OUTCOMES,
    LAST_ACTION_MAX_LENGTH,
    OPEN_STATUSES,
    TOPICS,
    AttemptOutcome,
    Enquiry,
    EnquiryEvent,
    Status,
    response_time,
)
from enquiries.search import enquiry_search_text, phone_digits
from portal.transactions import after_commit

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


class EnquiryHeldByColleague(Exception):
    """Taking the enquiry would take it from a colleague, and nobody confirmed that."""


def new_reference():
    return "ENQ-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


@dataclass(frozen=True)
class Submission:
    enquiry: Enquiry
    created: bool


class _AlreadyTaken(Exception):
    """The new enquiry's reference or form key is another enquiry's."""


def enquiry_submit(*, details, submission_key, spam_reasons=(), now=None):
    """Save an enquiry, once per form: the same form sent again finds the first enquiry,
    and keeps what was changed on it. Staff are told once the save has committed: by
    `send_enquiry_notifications`, which finds the enquiry by its empty `staff_notified_at`,
    or with ENQUIRY_NOTIFY_DURING_REQUEST on, by this request.

    A new form is the common case, so its enquiry is inserted straight away, with nothing
    read first and no savepoint: three inserts and one commit. Only when the insert finds
    the form (or the reference) taken is anything looked up, and the save tried again."""
    now = now or timezone.now()
    key = submission_key or secrets.token_urlsafe(24)
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            enquiry = _save_new(details=details, key=key, spam_reasons=spam_reasons, now=now)
        except _AlreadyTaken:
            existing = Enquiry.objects.filter(submission_key=key).first()
            if existing:
                return Submission(enquiry=_keep_changes(existing, details=details, now=now), created=False)
            continue  # Only the reference was taken: the next attempt draws another.
        logger.info("Enquiry %s received (status %s)", enquiry.reference, enquiry.status)
        return Submission(enquiry=enquiry, created=True)
    raise RuntimeError(f"No free enquiry reference after {REFERENCE_ATTEMPTS} attempts")


def _save_new(*, details, key, spam_reasons, now):
    """The new enquiry with its topics and the first line of its timeline, in one
    transaction. Nothing about the staff email is written: an enquiry not yet notified is
    the sender's whole queue, so the email can never be queued without the enquiry, nor
    the enquiry saved without its place in the queue."""
    with transaction.atomic():
        enquiry = _create(details=details, key=key, spam_reasons=spam_reasons, now=now)
        enquiry.topics.add(*details["topics"])
        EnquiryEvent.objects.create(enquiry=enquiry, kind=EnquiryEvent.Kind.STATUS, status=enquiry.status)
        if settings.ENQUIRY_NOTIFY_DURING_REQUEST and enquiry.status != Status.SPAM:
            after_commit(enquiry_notify_staff, enquiry=enquiry)
    return enquiry


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


SENT_FIELDS = [
    "name",
    "contact_method",
    "phone",
    "email",
    "best_time_to_call",
    "voicemail_safe",
    "text_safe",
    "preferred_language",
    "enquirer",
    "message",
]


def _as_text(details):
    """The details as staff read them, in the same words however they were saved."""
    lines = []
    for name in SENT_FIELDS:
        field = Enquiry._meta.get_field(name)
        # A choice is shown by its label; any other answer, and an empty choice, as it is.
        value = dict(field.flatchoices).get(details[name], details[name])
        lines.append(f"{field.verbose_name.capitalize()}: {value or '-'}")
    lines.insert(-1, "Topics: " + ", ".join(label for slug, label in TOPICS if slug in details["topics"]))
    return "\n".join(lines)


def _create(*, details, key, spam_reasons, now):
    """The enquiry's row, with a new reference. A reference or form key already in use
    spoils the transaction, which the caller then leaves."""
    fields = {name: value for name, value in details.items() if name != "topics"}
    reference = new_reference()
    try:
        return Enquiry.objects.create(
            **fields,
            reference=reference,
            received_at=now,
            status_changed_at=now,
            status=Status.SPAM if spam_reasons else Status.NEW,
            spam_reasons="; ".join(spam_reasons),
            submission_key=key,
            consent_wording_version=CONSENT_WORDING_VERSION,
            consented_at=now,
            due_at=None if spam_reasons else now + response_time(),
            last_action="Received",
            last_action_at=now,
            search_text=_search_text(fields, reference=reference),
            phone_digits=phone_digits(fields.get("phone")),
        )
    except IntegrityError as error:
        raise _AlreadyTaken from error


def _search_text(fields, *, reference):
    return enquiry_search_text(
        reference=reference, name=fields.get("name", ""), email=fields.get("email", "")
    )


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
    """Apply the changes with a new version, and add the matching line to the timeline. The
    desk's summary of the enquiry (last action, when it is next due) moves with it."""
    event = EnquiryEvent(enquiry=enquiry, kind=kind, author=by, created_at=now, **event_fields)
    changes = {
        **(changes or {}),
        "last_action": action_words(event)[:LAST_ACTION_MAX_LENGTH],
        "last_action_at": now,
    }
    for name, value in changes.items():
        setattr(enquiry, name, value)
    changes["due_at"] = _due_at(enquiry)
    _bump(enquiry, **changes)
    event.save()


def _due_at(enquiry):
    """When an open enquiry next needs someone: the promised reply time until the person has
    been reached, or the next attempt if that is sooner."""
    if enquiry.status not in OPEN_STATUSES:
        return None
    candidates = [enquiry.next_attempt_at] if enquiry.next_attempt_at else []
    if enquiry.first_contact_at is None:
        candidates.append(enquiry.reply_by)
    return min(candidates, default=None)


def action_words(event):
    """What a timeline line did, in a few words and without anyone's details."""
    Kind = EnquiryEvent.Kind
    if event.kind == Kind.ATTEMPT:
        return event.get_outcome_display()
    if event.kind == Kind.STATUS:
        return f"Status {event.get_status_display()}"
    if event.kind == Kind.ASSIGNMENT:
        return f"Assigned to {event.assigned_to.get_username()}" if event.assigned_to else "Unassigned"
    return "Note added"


def enquiry_change_status(*, enquiry, status, by, expected_version=None, now=None, detail=""):
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        if current.status == status:
            return current
        changes = {"status": status, "status_changed_at": now}
        if status == Status.CONTACTED and current.first_contact_at is None:
            changes["first_contact_at"] = now
        if status not in OPEN_STATUSES:
            changes["next_attempt_at"] = None
        _record(
            current,
            kind=EnquiryEvent.Kind.STATUS,
            by=by,
            now=now,
            changes=changes,
            status=status,
            detail=detail or f"from {current.get_status_display()}",
        )
    return current


def enquiry_restore_from_spam(*, enquiry, by, now=None):
    """Undo a spam mark: the enquiry is New again (and will not be deleted with the spam)."""
    with transaction.atomic():
        current = _locked(enquiry)
        if current.status != Status.SPAM:
            return current
        return enquiry_change_status(
            enquiry=current, status=Status.NEW, by=by, now=now, detail="restored from spam"
        )


def enquiry_assign(*, enquiry, assignee, by, now=None, take_over=False):
    """Give the enquiry to a handler (or to nobody, with assignee None). Taking it from a
    colleague needs `take_over`, goes on the timeline as such, and tells the colleague."""
    with transaction.atomic():
        current = _locked(enquiry)
        holder = current.assigned_to
        if current.assigned_to_id == (assignee.pk if assignee else None):
            return current
        taken_from_colleague = holder is not None and holder != by and assignee is not None
        if taken_from_colleague and not take_over:
            raise EnquiryHeldByColleague
        detail = f"taken over from {holder.get_username()}" if taken_from_colleague else ""
        _record(
            current,
            kind=EnquiryEvent.Kind.ASSIGNMENT,
            by=by,
            now=now or timezone.now(),
            changes={"assigned_to": assignee},
            assigned_to=assignee,
            detail=detail,
        )
        if taken_from_colleague and holder.email:
            after_commit(_tell_of_take_over, current, holder=holder, by=by)
    return current


def _tell_of_take_over(enquiry, *, holder, by):
    """The colleague learns the reference and who took it; nothing about the person."""
    send_mail(
        subject=f"Enquiry {enquiry.reference} has been taken over",
        message=(
            f"{by.get_username()} has taken over enquiry {enquiry.reference}, which was assigned to you.\n\n"
            f"Open it here (staff sign-in needed):\n{_admin_link(enquiry)}\n"
        ),
        from_email=None,
        recipient_list=[holder.email],
    )


def enquiry_add_note(*, enquiry, text, by, expected_version=None, now=None):
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        _record(current, kind=EnquiryEvent.Kind.NOTE, by=by, now=now or timezone.now(), text=text)
    return current


# How long to wait before trying again: soon after a missed call, a day after a message the
# person may answer in their own time.
SUGGESTED_WAIT = {
    AttemptOutcome.NO_ANSWER: timedelta(hours=2),
    AttemptOutcome.VOICEMAIL: timedelta(hours=2),
    AttemptOutcome.TEXTED: timedelta(days=1),
    AttemptOutcome.EMAILED: timedelta(days=1),
}


def suggested_next_attempt(outcome, *, now=None):
    """When to try again after this outcome; None after speaking to them or a wrong number."""
    wait = SUGGESTED_WAIT.get(outcome)
    return (now or timezone.now()) + wait if wait else None


def enquiry_record_attempt(*, enquiry, outcome, next_attempt_at, by, now=None):
    """A call, text or email to the person and how it went, with when to try next (None for
    no further attempt). Speaking to them, or emailing someone who asked by email, is the
    first contact the response-time promise is about."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(enquiry)
        changes = {"attempt_count": current.attempt_count + 1, "next_attempt_at": next_attempt_at}
        if outcome in CONTACT_OUTCOMES and current.first_contact_at is None:
            changes["first_contact_at"] = now
        _record(
            current,
            kind=EnquiryEvent.Kind.ATTEMPT,
            by=by,
            now=now,
            changes=changes,
            outcome=outcome,
            next_attempt_at=next_attempt_at,
        )
    return current


def enquiry_triage(
    *,
    enquiry,
    expected_version,
    by,
    status,
    assignee,
    note,
    outcome,
    next_attempt_at,
    take_over,
):
    """Apply what a handler changed on the enquiry page, all or nothing: refused with
    EnquiryEditConflict if someone else saved the enquiry after the handler opened it, and
    with EnquiryHeldByColleague if it takes a colleague's enquiry unconfirmed. The enquiry
    as saved; its version is unchanged when nothing changed."""
    with transaction.atomic():
        current = _locked(enquiry, expected_version=expected_version)
        current = enquiry_assign(enquiry=current, assignee=assignee, by=by, take_over=take_over)
        if outcome:
            current = enquiry_record_attempt(
                enquiry=current, outcome=outcome, next_attempt_at=next_attempt_at, by=by
            )
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
    A failure leaves the enquiry waiting for the sender's next round."""
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


def _admin_link(enquiry):
    return settings.ENQUIRY_ADMIN_BASE_URL.rstrip("/") + reverse(
        "admin:enquiries_enquiry_change", args=[enquiry.pk]
    )


def _send_staff_notification(enquiry):
    if not settings.ENQUIRY_NOTIFY_EMAILS:
        raise RuntimeError("ENQUIRY_NOTIFY_EMAILS is empty")
    link = _admin_link(enquiry)
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


def enquiries_notify_staff_of_waiting(*, now=None):
    """Email staff about every enquiry they have not yet been told about: how many of each
    outcome, as a Counter keyed by Notification."""
    return Counter(
        enquiry_notify_staff(enquiry=enquiry, now=now)
        for enquiry in Enquiry.objects.awaiting_notification().order_by("received_at")
    )


@dataclass(frozen=True)
class RetentionSummary:
    anonymised: int
    spam_deleted: int


PERSONAL_FIELDS_BLANKED = {
    "name": "",
    "phone": "",
    "email": "",
    "best_time_to_call": "",
    "message": "",
    "preferred_language": "",
    "phone_digits": "",
}


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
            **PERSONAL_FIELDS_BLANKED,
            search_text=Lower("reference"),
            anonymised_at=now,
            version=F("version") + 1,
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
