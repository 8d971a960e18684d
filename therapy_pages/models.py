"""
The parts an explainer page is built from, each a django CMS plugin with its own model,
and the clinical review dates kept with each version of a page.

Plugins live inside a page's versioned content, so every change to them goes through
draft, preview and publish with the page around them.
"""

import html

from cms.extensions import PageContentExtension, extension_pool
from cms.models import CMSPlugin
from cms.models.fields import PageField
from django.conf import settings
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from djangocms_alias.models import Alias
from djangocms_text.fields import HTMLField
from filer.fields.image import FilerImageField

ANCHOR_MAX_LENGTH = 80
# The longest a page may go between clinical reviews.
MAX_REVIEW_INTERVAL_YEARS = 3


class AnchoredPlugin(CMSPlugin):
    """A plugin that visitors can link to with #anchor, unique on its page."""

    anchor = models.SlugField(
        "link to this part",
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        help_text="The end of the link to this part of the page (lower-case words joined by hyphens). "
        "Left empty, it is made from the text.",
    )

    class Meta:
        abstract = True

    def anchor_source(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self._unused_anchor(slugify(self.anchor_source())[:ANCHOR_MAX_LENGTH] or "part")
        super().save(*args, **kwargs)

    def _unused_anchor(self, wanted):
        """`wanted`, or `wanted-2`, `wanted-3`...: the first no other part of the page uses,
        sections and questions alike, since both become ids on the same page."""
        taken = {
            anchor
            for plugin_type in AnchoredPlugin.__subclasses__()
            for anchor in plugin_type.objects.filter(
                placeholder_id=self.placeholder_id, language=self.language
            )
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        }
        anchor, number = wanted, 1
        while anchor in taken:
            number += 1
            suffix = f"-{number}"
            anchor = wanted[: ANCHOR_MAX_LENGTH - len(suffix)] + suffix
        return anchor


class Section(AnchoredPlugin):
    """A titled part of a page; the page's "On this page" list is made from these."""

    heading = models.CharField(
        max_length=200,
        help_text='The heading of this part of the page; it is listed under "On this page" too.',
    )

    def __str__(self):
        return self.heading

    def anchor_source(self):
        return self.heading


class TitledPoint(CMSPlugin):
    """One point of a list: a short title and a few sentences about it."""

    title = models.CharField(max_length=200, help_text="A few words that sum up the point, shown in bold.")
    body = HTMLField("text", blank=True, help_text="A few sentences about the point.")

    def __str__(self):
        return self.title


class FaqEntry(AnchoredPlugin):
    """A question and its answer, shown as a disclosure and in the FAQ index."""

    question = models.CharField(max_length=300, help_text="The question as a visitor would ask it.")
    answer = HTMLField(
        help_text="Shown when the question is opened, and on the Frequently asked questions page."
    )

    class Meta:
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question

    def anchor_source(self):
        return self.question

    @property
    def answer_text(self):
        """The answer as plain text, as search engines are given it: the words a reader sees,
        with entities such as `&amp;` decoded."""
        return " ".join(html.unescape(strip_tags(self.answer)).split())


class CallToAction(CMSPlugin):
    """An invitation to get in touch, with a button to the contact page."""

    heading = models.CharField(max_length=200, default="Contact us today", help_text="The box's heading.")
    text = models.TextField(
        blank=True, max_length=1000, help_text="A sentence or two inviting the visitor to get in touch."
    )
    button_label = models.CharField(
        "button text", max_length=100, default="Contact us today", help_text="The words on the button."
    )
    link_page = PageField(
        verbose_name="button opens",
        on_delete=models.PROTECT,
        help_text="The page the button opens, usually Contact us.",
    )

    def __str__(self):
        return self.heading


class Image(CMSPlugin):
    """A picture with the words a screen reader says instead of it."""

    image = FilerImageField(
        verbose_name="picture",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Choose a picture from the media library, or upload a new one there.",
    )
    alt_text = models.CharField(
        "alternative text",
        max_length=300,
        help_text="What the picture shows, for people who cannot see it.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Optional words shown under the picture."
    )

    def __str__(self):
        return Truncator(self.alt_text).chars(40)


class PageReview(PageContentExtension):
    """When a clinician last checked a page, who they were, and when it is next due."""

    last_reviewed = models.DateField(
        help_text="The day a clinician last checked this page was right. It cannot be in the future."
    )
    reviewer_name = models.CharField(
        "reviewed by (name)",
        max_length=200,
        help_text='The clinician who checked it. The page shows "Reviewed by <name>, <role>".',
    )
    reviewer_role = models.CharField(
        "reviewed by (role)", max_length=200, help_text="Their job title, for example Clinical lead."
    )
    next_review_due = models.DateField(
        help_text=f"When the page must be checked again: after the last review, and at most "
        f"{MAX_REVIEW_INTERVAL_YEARS} years after it."
    )

    class Meta:
        verbose_name = "clinical review"

    def __str__(self):
        return f"Reviewed {self.last_reviewed:%d %B %Y} by {self.reviewer_name}"

    def clean(self):
        """Dates a visitor can trust: a review that happened, and a next one that is due."""
        errors = {}
        last, due = self.last_reviewed, self.next_review_due
        if last and last > timezone.localdate():
            errors["last_reviewed"] = "The last review cannot be in the future. Use the day it happened."
        if last and due and due <= last:
            errors["next_review_due"] = "The next review must come after the last review."
        elif last and due and due > years_after(last, MAX_REVIEW_INTERVAL_YEARS):
            errors["next_review_due"] = (
                f"The next review must be at most {MAX_REVIEW_INTERVAL_YEARS} years after the last one "
                f"(by {years_after(last, MAX_REVIEW_INTERVAL_YEARS):%d %B %Y})."
            )
        if errors:
            raise ValidationError(errors)


def years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        # 29 February, in a year that has none.
        return day.replace(year=day.year + years, day=28)


class PageReviewDue(PageReview):
    """The published pages whose clinical review is overdue or due soon, for staff to act on."""

    class Meta:
        proxy = True
        verbose_name = "page due for review"
        verbose_name_plural = "pages due for review"


class LoadedPage(models.Model):
    """Which copy the content loader last published for a page.

    The loader brings a page up to date with the copy in the repository only while the
    version it published is still the page's latest; once staff have made a version of
    their own, the page is theirs."""

    reverse_id = models.CharField(max_length=40, unique=True)
    source_digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.reverse_id


extension_pool.register(PageReview)


class CrisisSupportBox(Alias):
    """The crisis support box, under its own name in the staff screens (it is kept as a
    static alias of djangocms-alias; see therapy_pages.crisis_support)."""

    class Meta:
        proxy = True
        verbose_name = "crisis support box"
        verbose_name_plural = "crisis support box"


class SearchEntry(models.Model):
    """One thing a visitor can find with the site search: a published page, or one FAQ
    entry on it (linked by its anchor).

    Rows exist for published content only and are rebuilt whenever a page is published or
    unpublished (see therapy_pages.search); deleting a page deletes its rows. Each database
    keeps its own full-text index of these rows: PostgreSQL in `search_document`, SQLite in
    an FTS5 table kept in step by triggers (both made in migration 0002)."""

    page_content = models.ForeignKey("cms.PageContent", on_delete=models.CASCADE, related_name="+")
    anchor = models.SlugField(max_length=ANCHOR_MAX_LENGTH, blank=True)
    title = models.CharField(max_length=300)
    headings = models.TextField(blank=True)
    body = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    # Filled on PostgreSQL only: title, headings and body, stemmed and weighted in that order.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        ordering = ["page_content", "position"]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A stemmed word of the search index, with how many entries hold it: the vocabulary
    that misspelt words are corrected against. Kept by the database itself (made in
    migration 0002): SQLite's is live; PostgreSQL's is refreshed whenever pages are indexed,
    so a deleted page's words may linger until the next publish, matching nothing."""

    term = models.TextField(primary_key=True)
    entries = models.IntegerField(db_column="doc")

    class Meta:
        managed = False
        db_table = "therapy_pages_search_vocabulary"

    def __str__(self):
        return self.term


# On PostgreSQL, misspelt words are looked up with pg_trgm's % operator ("similar enough",
# by its default threshold of 0.3), which the vocabulary's trigram index can answer.
SearchTerm._meta.get_field("term").register_lookup(TrigramSimilar)


class ClinicalReview(models.Model):
    """A request for a clinical reviewer's approval of one draft of a therapy page, and the
    reviewer's decision (see therapy_pages.sign_off)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes asked for"

    version = models.ForeignKey(
        "djangocms_versioning.Version", on_delete=models.CASCADE, related_name="clinical_reviews"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    note = models.TextField("note for the reviewer", blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField("reviewer's comment", blank=True, max_length=1000)
    # The draft exactly as approved: any later edit changes it, and the approval lapses.
    approved_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        permissions = [("decide_clinicalreview", "Can approve therapy pages or ask for changes")]

    def __str__(self):
        return f"Clinical review CR-{self.pk}"

    @property
    def is_awaiting(self):
        return not self.decision


class ChangeAwaitingReview(ClinicalReview):
    """The therapy page changes a clinical reviewer has yet to approve, in the staff screens."""

    class Meta:
        proxy = True
        verbose_name = "change awaiting clinical review"
        verbose_name_plural = "awaiting clinical review"


class PublicationSchedule(models.Model):
    """A page version to be published, or unpublished, at a set time (see
    therapy_pages.scheduling). A page has at most one of each waiting."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "publish"
        UNPUBLISH = "unpublish", "unpublish"

    class Outcome(models.TextChoices):
        PENDING = "pending", "waiting"
        DONE = "done", "done"
        REFUSED = "refused", "refused"

    version = models.ForeignKey(
        "djangocms_versioning.Version", on_delete=models.CASCADE, related_name="publication_schedules"
    )
    # The version's page, kept here so that the one-of-each rule is the database's.
    page = models.ForeignKey("cms.Page", on_delete=models.CASCADE, related_name="publication_schedules")
    action = models.CharField(max_length=10, choices=Action.choices)
    due_at = models.DateTimeField("when")
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "scheduled publishing"
        verbose_name_plural = "scheduled publishing"
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "action"],
                condition=models.Q(outcome="pending"),
                name="one_pending_schedule_per_page_and_action",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(outcome="pending"), name="pending_schedule_due_at"
            )
        ]

    def __str__(self):
        due = timezone.localtime(self.due_at)
        return f"{self.get_action_display().capitalize()} {self.version} at {due:%d %b %Y %H:%M %Z}"
