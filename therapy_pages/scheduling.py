"""
Scheduled publishing: "publish this draft at 09:00 on Tuesday", "unpublish this page when
the service ends".

A PublicationSchedule row keeps what an editor asked for; `manage.py publish_scheduled`, run
from cron every minute, carries out whatever is due through djangocms-versioning's own
`publish` and `unpublish`, as the editor who asked. So every check versioning runs applies
at that moment (publish permission, the crisis box's refusals, clinical sign-off), and
everything a publish does follows as if the editor had pressed the button then: the page
cache generation rises for every instance and the search index is rebuilt. A check that
refuses marks the schedule refused with its reason and tells the editor by email.

Not djangocms-timed-publishing: it publishes a version dated for the future at once (taking
the live version down meanwhile) and then hides or shows published versions by date at
query time, without changing their state. Nothing happens at the set time, so no publish
signal fires and the page cache and search index keep what they had.

Cron, not a delayed task (django-tasks' `run_after`): the row itself is what waits, so
cancelling is deleting it, a run missed while cron was down is caught up by the next one,
and nothing depends on a worker being up or a queued task matching the row. Several
instances may run the command at once: each due row is taken with SELECT ... FOR UPDATE
SKIP LOCKED in its own transaction, so it is acted on once (SQLite's IMMEDIATE
transactions serialise the runs instead).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.models import Version

from therapy_pages.models import PublicationSchedule

logger = logging.getLogger(__name__)

Action = PublicationSchedule.Action
Outcome = PublicationSchedule.Outcome
# How far ahead an editor may schedule.
MAX_DAYS_AHEAD = 365
# The state a version must be in for each action to apply to it.
STATE_FOR_ACTION = {Action.PUBLISH: DRAFT, Action.UNPUBLISH: PUBLISHED}
PAST_TENSE = {Action.PUBLISH: "published", Action.UNPUBLISH: "unpublished"}


class AlreadyScheduled(Exception):
    """The page already has one of these waiting."""


def action_for(version):
    """What can be scheduled for this version: publishing a draft, unpublishing the live one."""
    return next((action for action, state in STATE_FOR_ACTION.items() if version.state == state), None)


def may_schedule(version, user):
    """Only those who may publish a page may schedule it."""
    return action_for(version) is not None and version.has_publish_permission(user)


def refusal_now(version, user):
    """Why versioning would refuse the action if it were done now, or "" if it would not.
    Scheduling is allowed anyway: a sign-off, say, may come before the time."""
    checks = {Action.PUBLISH: version.check_publish, Action.UNPUBLISH: version.check_unpublish}
    action = action_for(version)
    allowed = checks[action].as_bool(user) if action else True
    return "" if allowed else str(allowed)


def latest_allowed(now=None):
    return (now or timezone.now()) + timedelta(days=MAX_DAYS_AHEAD)


def pending_for_page(page):
    return PublicationSchedule.objects.filter(page=page, outcome=Outcome.PENDING).select_related(
        "scheduled_by"
    )


def schedule(*, version, action, due_at, user):
    try:
        with transaction.atomic():
            return PublicationSchedule.objects.create(
                version=version, page=version.content.page, action=action, due_at=due_at, scheduled_by=user
            )
    except IntegrityError as clash:
        raise AlreadyScheduled from clash


def cancel(schedule_to_cancel):
    """Forget a waiting schedule; one already carried out stays on record."""
    PublicationSchedule.objects.filter(pk=schedule_to_cancel.pk, outcome=Outcome.PENDING).delete()


def when(moment):
    """A time as editors read it: "Tue 8 Dec 2026 at 09:00 GMT", in the clinic's time zone."""
    return dateformat.format(timezone.localtime(moment), r"D j M Y \a\t H:i T")


def scheduler_name(user):
    if user is None:
        return "a former member of staff"
    return user.get_full_name() or user.get_username()


def describe(pending):
    """ "Will be published on Tue 8 Dec 2026 at 09:00 GMT by Sam"."""
    return (
        f"Will be {PAST_TENSE[pending.action]} on {when(pending.due_at)} "
        f"by {scheduler_name(pending.scheduled_by)}"
    )


def describe_briefly(pending):
    """ "Publishing Tue 8 Dec, 09:00": the toolbar has little room."""
    verb = "Publishing" if pending.action == Action.PUBLISH else "Unpublishing"
    return f"{verb} {dateformat.format(timezone.localtime(pending.due_at), 'D j M, H:i')}"


# Carrying out what is due


def carry_out_due(*, now=None):
    """Carry out every schedule due by `now`, each in its own transaction; returns the
    schedules carried out (done or refused) and the ids of those that failed unexpectedly,
    which stay waiting for the next run."""
    now = now or timezone.now()
    carried_out, failed = [], []
    while True:
        due = None
        try:
            with transaction.atomic():
                due = _next_due(now, skip=failed)
                if due is None:
                    break
                _carry_out(due)
        except Exception:
            if due is None:
                raise
            logger.exception(
                "Scheduled %s of page %s failed; it will be tried again", due.action, due.page_id
            )
            failed.append(due.pk)
            continue
        logger.info(
            "Scheduled %s of page %s (version %s): %s", due.action, due.page_id, due.version_id, due.outcome
        )
        carried_out.append(due)
        if due.outcome == Outcome.REFUSED and not _tell_scheduler(due):
            failed.append(due.pk)
    return carried_out, failed


def _next_due(now, skip):
    """The earliest due schedule that no other run holds, locked until this transaction ends."""
    return (
        PublicationSchedule.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(outcome=Outcome.PENDING, due_at__lte=now)
        .exclude(pk__in=skip)
        .select_related("version", "scheduled_by")
        .order_by("due_at", "pk")
        .first()
    )


def _carry_out(due):
    try:
        _apply(due)
    except ConditionFailed as refusal:
        due.outcome, due.refusal_reason = Outcome.REFUSED, str(refusal)
    else:
        due.outcome = Outcome.DONE
    due.carried_out_at = timezone.now()
    due.save(update_fields=["outcome", "refusal_reason", "carried_out_at"])


def _apply(due):
    """Publish or unpublish as the editor who asked, through versioning's own checks."""
    user = due.scheduled_by
    if user is None:
        raise ConditionFailed("The member of staff who scheduled it no longer has an account.")
    if due.action == Action.PUBLISH:
        version = due.version
        if version.state != DRAFT:
            raise ConditionFailed(
                f"It was no longer a draft at that time ({version.short_name()}), "
                "so it was not published again."
            )
        version.check_publish(user)
        version.publish(user)
    else:
        # Whichever version is live then comes down, even if a newer one went up meanwhile.
        version = _published_version(due.version)
        if version is None:
            raise ConditionFailed(
                "The page was not published at that time, so there was nothing to unpublish."
            )
        version.check_unpublish(user)
        version.unpublish(user)


def _published_version(version):
    contents = version.versionable.for_content_grouping_values(version.content).values_list("pk", flat=True)
    return Version.objects.filter(
        content_type=version.content_type, object_id__in=contents, state=PUBLISHED
    ).first()


def _tell_scheduler(refused):
    """Email the editor who scheduled it, in plain words; False if that failed."""
    user = refused.scheduled_by
    if user is None or not user.email:
        logger.warning(
            "Scheduled %s of page %s was refused; nobody to tell by email", refused.action, refused.page_id
        )
        return True
    title = refused.version.content.title
    verb = PAST_TENSE[refused.action]
    body = (
        f'You asked for the page "{title}" to be {verb} on {when(refused.due_at)}.\n\n'
        f"At that time it could not be, so the page was left as it was:\n\n"
        f"{refused.refusal_reason}\n\n"
        f"The page: {settings.SITE_URL.rstrip('/')}{refused.page.get_absolute_url()}\n"
    )
    try:
        send_mail(f'Not {verb}: "{title}"', body, None, [user.email])
    except Exception:
        logger.exception("Could not email about the refused %s of page %s", refused.action, refused.page_id)
        return False
    return True
