from cms.extensions import PageContentExtensionAdmin
from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from djangocms_versioning.helpers import version_list_url

from portal.admin import ReadOnlyAdmin
from therapy_pages import crisis_support, selectors, views
from therapy_pages.models import CrisisSupportBox, PageReview, PageReviewDue, PublicationSchedule


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
