from cms.extensions import PageContentExtensionAdmin
from cms.toolbar.utils import get_object_preview_url
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.helpers import version_list_url
from djangocms_versioning.models import Version

from portal.admin import ReadOnlyAdmin
from therapy_pages import crisis_support, selectors, sign_off, views
from therapy_pages.forms import APPROVE, ReviewDecisionForm, SubmitForReviewForm
from therapy_pages.models import (
    ChangeAwaitingReview,
    ClinicalReview,
    CrisisSupportBox,
    PageReview,
    PageReviewDue,
    PublicationSchedule,
    years_after,
)


@admin.register(PageReview)
class PageReviewAdmin(PageContentExtensionAdmin):
    """Edited from the page's toolbar menu, with the page's draft."""

    fields = ["last_reviewed", "reviewer_name", "reviewer_role", "next_review_due"]


@admin.register(PageReviewDue)
class PageReviewDueAdmin(ReadOnlyAdmin):
    """The published pages a clinician should review now or within the warning period."""

    list_display = ["page_title", "review_status", "next_review_due", "last_reviewed", "reviewer_name"]
    ordering = ["next_review_due"]
    list_display_links = None

    def get_queryset(self, request):
        return selectors.reviews_due()

    @admin.display(description="page")
    def page_title(self, review):
        content = review.extended_object
        return format_html(
            '<a href="{}">{}</a>', content.page.get_absolute_url(content.language), content.title
        )

    @admin.display(description="status")
    def review_status(self, review):
        return "Overdue" if review.next_review_due < timezone.localdate() else "Due soon"


@admin.register(CrisisSupportBox)
class CrisisSupportBoxAdmin(ReadOnlyAdmin):
    """Leads to the box's versions, where it is edited, compared and published."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("djangocms_alias.change_aliascontent")

    def changelist_view(self, request, extra_context=None):
        version = crisis_support.editable_version() if self.has_view_permission(request) else None
        if version is None:
            raise Http404("There is no crisis support box yet: run load_site_content.")
        return redirect(version_list_url(version.content))


# As djangocms-versioning's own publish says it: another published page has the address.
PUBLISH_CONFLICT = (
    "The change could not be published: another page already uses its address. Ask the editor "
    "to change the page's address (slug), then approve it again."
)
SCREEN_TITLES = {"submit": "Submit for clinical review", "review": "Clinical review"}


class ReviewedVersionColumns:
    """The page and version a clinical review is of, as list columns."""

    @admin.display(description="page")
    def page_title(self, review):
        return review.version.content.title

    @admin.display(description="version")
    def version_number(self, review):
        return f"#{review.version.number}"


@admin.register(ClinicalReview)
class ClinicalReviewAdmin(ReviewedVersionColumns, ReadOnlyAdmin):
    """Every request for clinical sign-off and its decision: who, when, and what they said.
    Also the two screens of sign-off: an editor submits a draft, a reviewer decides."""

    list_display = [
        "__str__",
        "page_title",
        "version_number",
        "submitted_by",
        "submitted_at",
        "decision_made",
    ]
    list_filter = ["decision"]
    list_select_related = ["version", "submitted_by", "decided_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("version__content")

    def get_urls(self):
        return [
            path(
                "submit/<int:version_id>/",
                self.admin_site.admin_view(self.submit_view),
                name="therapy_pages_clinicalreview_submit",
            ),
            path(
                "<int:review_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="therapy_pages_clinicalreview_review",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="decision")
    def decision_made(self, review):
        if review.is_awaiting:
            return "Awaiting clinical review"
        return f"{review.get_decision_display()} by {review.decided_by} on {review.decided_at:%d %B %Y %H:%M}"

    def submit_view(self, request, version_id):
        version = get_object_or_404(Version, pk=version_id, state=DRAFT)
        if not sign_off.may_submit(version, request.user):
            raise PermissionDenied
        form = SubmitForReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                sign_off.submit(version, request.user, form.cleaned_data["note"])
            except ConditionFailed as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    "Sent to the clinical reviewers. The page is published once one of them approves it.",
                )
            return redirect(get_object_preview_url(version.content))
        return self._render(request, "submit", version, form=form, review=sign_off.latest_review(version))

    def review_view(self, request, review_id):
        if not request.user.has_perm(sign_off.DECIDE_PERMISSION):
            raise PermissionDenied
        review = get_object_or_404(ClinicalReview.objects.select_related("version"), pk=review_id)
        version = review.version
        form = ReviewDecisionForm(request.POST or None, initial=self._decision_initial(request.user, version))
        if request.method == "POST" and form.is_valid():
            try:
                self._decide(request, review, form)
            except ConditionFailed as refusal:
                messages.error(request, str(refusal))
            except IntegrityError:
                messages.error(request, PUBLISH_CONFLICT)
            else:
                return redirect("admin:therapy_pages_changeawaitingreview_changelist")
        return self._render(request, "review", version, form=form, review=review)

    @staticmethod
    def _decision_initial(user, version):
        return {
            "reviewer_name": sign_off.reviewer_name(user),
            "reviewer_role": sign_off.prefilled_role(user),
            "next_review_due": years_after(timezone.localdate(), 1),
            "fingerprint": sign_off.fingerprint(version),
        }

    @staticmethod
    def _decide(request, review, form):
        if form.cleaned_data["decision"] == APPROVE:
            sign_off.approve(
                review,
                request.user,
                page_review=form.page_review(),
                seen_fingerprint=form.cleaned_data["fingerprint"],
            )
            messages.success(
                request, f'Approved and published: "{review.version.content.title}" is live now.'
            )
        else:
            sign_off.ask_for_changes(review, request.user, form.cleaned_data["comment"])
            messages.success(request, "Sent back to the editor with your comment.")

    @staticmethod
    def _way_back(screen, content):
        if screen == "review":
            return {
                "back_url": reverse("admin:therapy_pages_changeawaitingreview_changelist"),
                "back_label": "Back to the changes awaiting clinical review",
            }
        return {"back_url": get_object_preview_url(content), "back_label": "Back to the draft"}

    def _render(self, request, screen, version, **context):
        content = version.content
        published = Version.objects.filter_by_grouper(content.page).filter(state=PUBLISHED).first()
        compare_url = None
        if published is not None:
            compare = reverse("admin:djangocms_versioning_pagecontentversion_compare", args=[published.pk])
            compare_url = f"{compare}?compare_to={version.pk}"
        context.update(
            self.admin_site.each_context(request),
            title=f"{SCREEN_TITLES[screen]}: {content.title}",
            version=version,
            content=content,
            preview_url=get_object_preview_url(content),
            **self._way_back(screen, content),
            compare_url=compare_url,
            history=ClinicalReview.objects.filter(
                version__in=Version.objects.filter_by_grouper(content.page)
            ).select_related("version", "submitted_by", "decided_by"),
            opts=self.model._meta,
        )
        return TemplateResponse(request, f"admin/therapy_pages/clinicalreview/{screen}.html", context)


@admin.register(ChangeAwaitingReview)
class ChangeAwaitingReviewAdmin(ReviewedVersionColumns, ReadOnlyAdmin):
    """The clinical reviewers' list: therapy page changes waiting for a decision, oldest first."""

    list_display = ["page_title", "version_number", "submitted_by", "submitted_at", "note", "review_link"]
    list_display_links = None

    def get_queryset(self, request):
        return sign_off.awaiting_reviews()

    @admin.display(description="")
    def review_link(self, review):
        return format_html('<a href="{}">Review this change</a>', sign_off.review_url(review))


@admin.register(PublicationSchedule)
class PublicationScheduleAdmin(ReadOnlyAdmin):
    """What is waiting to be published or unpublished, and what was done or refused. Editors
    schedule and cancel from the page's toolbar (therapy_pages.views)."""

    list_display = ["page", "action", "due_at", "scheduled_by", "outcome", "carried_out_at", "refusal_reason"]
    list_filter = ["outcome", "action"]
    list_select_related = ["page", "scheduled_by"]
    list_display_links = None

    def get_urls(self):
        return [
            path(
                "<int:version_id>/schedule/",
                self.admin_site.admin_view(views.publication_schedule),
                name="therapy_pages_publicationschedule_schedule",
            ),
            path(
                "<int:schedule_id>/cancel/",
                self.admin_site.admin_view(views.cancel_publication_schedule),
                name="therapy_pages_publicationschedule_cancel",
            ),
            *super().get_urls(),
        ]
