"""The weekly reminder of the pages whose clinical review falls due soon."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from therapy_pages import selectors
from therapy_pages.editors import CONTENT_EDITORS_GROUP


def reminder_recipients():
    """Every active content editor with an address, and the clinical lead's addresses."""
    editors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=CONTENT_EDITORS_GROUP, email__gt="")
        .values_list("email", flat=True)
    )
    return sorted({*editors, *settings.REVIEW_REMINDER_EMAILS})


def send_review_reminder(today=None):
    """Email the list of pages due for review; nothing when none are due or nobody is to
    be told. Returns how many pages the email listed."""
    today = today or timezone.localdate()
    reviews = sorted(selectors.reviews_due(today), key=lambda review: review.next_review_due)
    recipients = reminder_recipients()
    if not reviews or not recipients:
        return 0
    lines = [
        f"- {review.extended_object.title}: "
        f"{'overdue since' if review.next_review_due < today else 'due'} {review.next_review_due:%d %B %Y}\n"
        f"  {settings.SITE_URL.rstrip('/')}"
        f"{review.extended_object.page.get_absolute_url(review.extended_object.language)}"
        for review in reviews
    ]
    body = (
        f"These pages need a clinical review within {selectors.REVIEW_WARNING_DAYS} days, or are overdue:\n\n"
        + "\n".join(lines)
        + "\n\nThe full list is in the staff screens: Therapy pages, then Pages due for review."
    )
    send_mail(
        f"{len(reviews)} page(s) due for clinical review",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
    return len(reviews)
