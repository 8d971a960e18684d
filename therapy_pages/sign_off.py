"""
Clinical sign-off: with CLINICAL_SIGN_OFF on, a change to a therapy page goes live only once
a member of "Clinical reviewers" has approved it, and the approval becomes the page's
"last reviewed" record.

Built here on djangocms-versioning's own states rather than with djangocms-moderation:
moderation 2.5.1 (the latest release, December 2026) declares Django 3.2 to 5.0 only, not the
5.2 this portal runs; it adds django-admin-sortable2 and monkeypatches versioning's admin,
toolbar and placeholder checks; and its collections, workflows and roles are far more than
one approval by one clinician. Here a draft stays a draft: the editor submits it, a reviewer
approves it (which publishes it) or asks for changes, and each step is a ClinicalReview row.

The gate is one more check in `Version.check_publish`, which versioning runs in its admin and
toolbar and every caller of check_publish runs in code (revert-and-publish, scheduled
publishing), so none of them can publish an unapproved therapy page. An approval holds for
the draft exactly as approved: any edit after it (a plugin, the page's settings, its review
dates) changes the draft's fingerprint and needs approval again. Code that publishes without
asking check_publish (the content loader, putting the clinic's own copy from the repository
in place) is not held.
"""

import hashlib

from cms.models import CMSPlugin, PageContent
from cms.toolbar.utils import get_object_preview_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from djangocms_versioning.constants import DRAFT
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.models import Version

from portal.transactions import after_commit
from therapy_pages.cms_wizards import THERAPY_TEMPLATE
from therapy_pages.editors import CLINICAL_REVIEWERS_GROUP
from therapy_pages.models import ClinicalReview, PageReview

DECIDE_PERMISSION = "therapy_pages.decide_clinicalreview"

NEEDS_APPROVAL = (
    "This change to a therapy page needs a clinical reviewer's approval before it can be "
    "published. Use 'Submit for clinical review'."
)
OWN_CHANGE = (
    "You made this change, so you cannot approve it yourself: another clinical reviewer must approve it."
)
ALREADY_DECIDED = "This change has already been decided, or is no longer a draft."
ALREADY_AWAITING = "This change is already waiting for a clinical reviewer."
CHANGED_WHILE_REVIEWING = (
    "The page was changed while you were reviewing it. Look at the change again before you approve it."
)
NOT_HELD = "This page is published without clinical sign-off: use Publish."


def needs_sign_off(version):
    """Whether publishing this version waits for a clinical reviewer: a therapy page's draft,
    with sign-off on. A page moving off the therapy template is held too, or changing the
    template would be a way round the review."""
    content = version.content
    if not settings.CLINICAL_SIGN_OFF or version.state != DRAFT or not isinstance(content, PageContent):
        return False
    if content.get_template() == THERAPY_TEMPLATE:
        return True
    published = PageContent.objects.filter(page_id=content.page_id, language=content.language).first()
    return published is not None and published.get_template() == THERAPY_TEMPLATE


def fingerprint(version):
    """A digest of everything an edit to the draft changes: the version's modified time
    (versioning moves it on every edit made in the editor, to the page's settings and its
    extensions alike) and each of its plugins, however they were changed."""
    modified = Version.objects.filter(pk=version.pk).values_list("modified", flat=True).get()
    plugins = CMSPlugin.objects.filter(
        placeholder__content_type=ContentType.objects.get_for_model(version.content),
        placeholder__object_id=version.object_id,
    ).order_by("pk")
    rows = plugins.values_list("pk", "placeholder_id", "parent_id", "position", "language", "changed_date")
    return hashlib.sha256(repr((modified, list(rows))).encode()).hexdigest()


def is_approved(version):
    approved = version.clinical_reviews.filter(decision=ClinicalReview.Decision.APPROVED)
    return approved.filter(approved_fingerprint=fingerprint(version)).exists()


def awaits_sign_off(version):
    return needs_sign_off(version) and not is_approved(version)


def refuse_unapproved(version, user):
    if awaits_sign_off(version):
        raise ConditionFailed(NEEDS_APPROVAL)


def guard_versioning():
    """Add the gate to the checks djangocms-versioning runs before anything is published."""
    if refuse_unapproved not in Version.check_publish:
        Version.check_publish += [refuse_unapproved]


def awaiting_review(version):
    return version.clinical_reviews.filter(decision="").first()


def latest_review(version):
    return version.clinical_reviews.first()


def may_submit(version, user):
    return version.state == DRAFT and version.has_publish_permission(user)


def submit(version, user, note=""):
    """Ask the clinical reviewers to approve this draft; they are emailed a link."""
    if not needs_sign_off(version):
        raise ConditionFailed(NOT_HELD)
    if not may_submit(version, user):
        raise ConditionFailed("You may not publish this page, so you cannot submit it for review.")
    if awaiting_review(version):
        raise ConditionFailed(ALREADY_AWAITING)
    review = ClinicalReview.objects.create(version=version, submitted_by=user, note=note)
    after_commit(_tell_reviewers, review)
    return review


def prefilled_role(user):
    """The role this reviewer gave last time, to save them typing it again."""
    name = reviewer_name(user)
    return (
        PageReview.objects.filter(reviewer_name=name)
        .order_by("-last_reviewed", "-pk")
        .values_list("reviewer_role", flat=True)
        .first()
        or ""
    )


def reviewer_name(user):
    return user.get_full_name() or user.get_username()


def check_may_approve(review, user):
    version = review.version
    if not review.is_awaiting or version.state != DRAFT:
        raise ConditionFailed(ALREADY_DECIDED)
    if user.pk in (version.created_by_id, review.submitted_by_id):
        raise ConditionFailed(OWN_CHANGE)


@transaction.atomic
def approve(review, user, *, page_review, seen_fingerprint):
    """ "Approve and publish": record the approval, then publish the draft. Publishing is
    checked as the editor who submitted it, so a reviewer needs no publishing rights of
    their own; versioning records the reviewer as who published."""
    record_approval(review, user, page_review=page_review, seen_fingerprint=seen_fingerprint)
    version = review.version
    version.check_publish(review.submitted_by)
    version.publish(user)
    return review


def record_approval(review, user, *, page_review, seen_fingerprint):
    """Approve the draft as the reviewer saw it (`seen_fingerprint`) and make `page_review`
    (unsaved, validated) its review record. The approval holds until the draft changes."""
    check_may_approve(review, user)
    version = review.version
    if seen_fingerprint != fingerprint(version):
        raise ConditionFailed(CHANGED_WHILE_REVIEWING)
    PageReview.objects.update_or_create(
        extended_object=version.content,
        defaults={
            field: getattr(page_review, field)
            for field in ("last_reviewed", "reviewer_name", "reviewer_role", "next_review_due")
        },
    )
    review.decision = ClinicalReview.Decision.APPROVED
    review.decided_by, review.decided_at = user, timezone.now()
    # Taken after the review record is written, which itself counts as an edit.
    review.approved_fingerprint = fingerprint(version)
    review.save()
    return review


@transaction.atomic
def ask_for_changes(review, user, comment):
    """Send the draft back to its editor with the reviewer's comment, by email too."""
    if not review.is_awaiting or review.version.state != DRAFT:
        raise ConditionFailed(ALREADY_DECIDED)
    review.decision = ClinicalReview.Decision.CHANGES_REQUESTED
    review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment
    review.save()
    after_commit(_tell_editor, review)
    return review


def awaiting_reviews():
    """Changes waiting for a reviewer, oldest first, with what the list shows."""
    return (
        ClinicalReview.objects.filter(decision="", version__state=DRAFT)
        .select_related("version", "submitted_by")
        .prefetch_related("version__content")
        .order_by("submitted_at", "pk")
    )


def review_url(review):
    return reverse("admin:therapy_pages_clinicalreview_review", args=[review.pk])


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _tell_reviewers(review):
    """Reference and link only: what the change says stays behind the sign-in."""
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=CLINICAL_REVIEWERS_GROUP, email__gt="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            f"A therapy page change awaits clinical review ({review})",
            f"{review} is waiting for a clinical reviewer. Look at it and decide here:\n\n"
            f"{_absolute(review_url(review))}\n",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )


def _tell_editor(review):
    editor = review.submitted_by
    draft_url = _absolute(get_object_preview_url(review.version.content))
    if editor.email:
        send_mail(
            f"Changes asked for before publishing ({review})",
            f"A clinical reviewer asked for changes to your draft before it can be published:\n\n"
            f"{review.comment}\n\nOpen the draft: {draft_url}\n"
            "Make the changes, then use 'Submit for clinical review' again.\n",
            settings.DEFAULT_FROM_EMAIL,
            [editor.email],
        )
