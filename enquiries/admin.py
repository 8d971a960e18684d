"""The triage desk: enquiries in the Django admin, every change through enquiries.services."""

import csv

import phonenumbers
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from enquiries import search, selectors, services
from enquiries.forms import EnquiryTriageForm
from enquiries.models import (
    NOTE_MAX_LENGTH,
    OPEN_STATUSES,
    AuditEntry,
    Enquiry,
    EnquiryEvent,
    Status,
)
from enquiries.templatetags.enquiry_admin import age, contact_summary, phone_link, time_left
from portal.admin import ReadOnlyAdmin

EXPORT_PERMISSION = "enquiries.export_enquiry"
KEPT_NOTE_SESSION_KEY = "enquiry-kept-note-{pk}"


class OpenStatusFilter(admin.SimpleListFilter):
    """Open enquiries unless asked otherwise; Closed and Spam one click away."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Status.choices, (self.ALL, "All")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Open (new, in progress, contacted)",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


class AssignmentFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        colleagues = [(str(user.pk), user.get_username()) for user in selectors.enquiry_handlers()]
        return [("me", "Me"), ("nobody", "Nobody"), *colleagues]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(assigned_to_id=int(self.value()))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


class TopicFilter(admin.RelatedFieldListFilter):
    """Every enquiry has a topic: no "-" entry for none."""

    include_empty_choice = False


class LimitedCountPaginator(Paginator):
    """Counts no further than `count_limit`: the desk needs its first pages, not an exact
    total that costs a pass over every enquiry on each load. Past the limit, the list says
    "more than" and filters or search narrow it down."""

    count_limit = 1000

    @cached_property
    def count(self):
        # Unsorted, the database stops at the limit instead of sorting every match first.
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def count_is_limited(self):
        return self.count > self.count_limit


def _spreadsheet_safe(value):
    """Stop a spreadsheet from running what a visitor typed as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


SENT_DETAILS = [
    "reference",
    "received_at",
    "name",
    "contact_method",
    "phone_number",
    "email",
    "best_time_to_call",
    "enquirer",
    "topic_names",
    "message",
]
RECORD_FIELDS = ["consent", "spam_reasons", "staff_notified", "anonymised_at"]


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    form = EnquiryTriageForm
    list_display = ["reference", "urgency", "person", "contact", "topic_names", "progress"]
    list_filter = [
        OpenStatusFilter,
        AssignmentFilter,
        OverdueFilter,
        ("topics", TopicFilter),
        ("received_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["assigned_to"]
    list_per_page = 50
    paginator = LimitedCountPaginator
    show_full_result_count = False
    search_fields = ["reference"]
    search_help_text = "Reference, name, email, or any part of a phone number."
    ordering = ["received_at"]
    actions = ["assign_to_me", "mark_contacted", "close", "mark_spam", "restore_from_spam"]
    readonly_fields = ["at_a_glance", *SENT_DETAILS, "timeline", *RECORD_FIELDS]
    fieldsets = [
        (None, {"fields": ["at_a_glance"]}),
        (
            "Triage",
            {
                "fields": [
                    "status",
                    "confirm_spam",
                    "assigned_to",
                    "take_over",
                    "attempt_outcome",
                    "next_attempt",
                    "next_attempt_time",
                    "note",
                    "version",
                ]
            },
        ),
        ("What they sent", {"fields": SENT_DETAILS}),
        ("Timeline", {"fields": ["timeline"]}),
        ("Record", {"fields": RECORD_FIELDS}),
    ]

    class Media:
        css = {"all": ["enquiries/desk.css"]}

    # Enquiries come only from the website, and leave only through the retention rules.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return selectors.enquiries_open_first().prefetch_related("topics")

    def get_ordering(self, request):
        # Ends on the primary key, so the admin adds no tie-breaker of its own and the
        # order is exactly the enquiry_open_first index.
        return ["open_first", "received_at", "pk"]

    def get_search_results(self, request, queryset, search_term):
        condition = search.search_filter(search_term)
        return (queryset.filter(condition) if condition else queryset), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = selectors.enquiry_handlers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        if obj is not None and request.method == "GET":
            form.kept_note = request.session.pop(KEPT_NOTE_SESSION_KEY.format(pk=obj.pk), "")
        return form

    def get_urls(self):
        export = path(
            "export/", self.admin_site.admin_view(self.export_view), name="enquiries_enquiry_export"
        )
        response_times = path(
            "response-times/",
            self.admin_site.admin_view(self.response_times_view),
            name="enquiries_enquiry_response_times",
        )
        return [export, response_times, *super().get_urls()]

    def response_times_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = selectors.response_times()
        return TemplateResponse(
            request,
            "admin/enquiries/enquiry/response_times.html",
            {
                **self.admin_site.each_context(request),
                "title": "Response times",
                "weeks": weeks,
                "chart": response_chart(weeks, promise_hours=settings.ENQUIRY_RESPONSE_HOURS),
                "promise_hours": settings.ENQUIRY_RESPONSE_HOURS,
            },
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Enquiries",
            **(extra_context or {}),
            "can_export": request.user.has_perm(EXPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (
            request.method == "POST"
            and "_load_latest" in request.POST
            and self.has_change_permission(request)
        ):
            # Post, redirect, get: the reload is a plain page, and the note waits in the session.
            note = request.POST.get("note", "")[:NOTE_MAX_LENGTH]
            request.session[KEPT_NOTE_SESSION_KEY.format(pk=int(object_id))] = note
            return HttpResponseRedirect(request.path)
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            services.enquiry_record_viewed(enquiry=response.context_data["original"], by=request.user)
        return response

    def history_view(self, request, object_id, extra_context=None):
        """The timeline on the enquiry's page is its one history."""
        enquiry = self.get_object(request, object_id)
        if enquiry is None or not self.has_view_permission(request, enquiry):
            raise PermissionDenied
        # Django's admin gives each fieldset's heading an id by the fieldset's place.
        timeline = [name for name, _options in self.fieldsets].index("Timeline")
        return HttpResponseRedirect(
            reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]) + f"#fieldset-0-{timeline}-heading"
        )

    def save_model(self, request, obj, form, change):
        saved = services.enquiry_triage(
            enquiry=obj,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            status=form.cleaned_data["status"],
            assignee=form.cleaned_data["assignee"],
            note=form.cleaned_data["note"],
            outcome=form.cleaned_data["attempt_outcome"],
            next_attempt_at=form.cleaned_data["next_attempt_due"],
            take_over=form.cleaned_data["take_over"],
        )
        obj.changed_now = saved.version != form.cleaned_data["version"]

    def save_related(self, request, form, formsets, change):
        """Nothing else on the page is editable."""

    def log_change(self, request, obj, message):
        """The enquiry's timeline records every change, with its values."""

    def response_change(self, request, obj):
        if not getattr(obj, "changed_now", True):
            self.message_user(request, "Nothing was changed, so nothing was saved.", messages.INFO)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # Columns
    def action_checkbox(self, enquiry):
        """The box that picks a row for a bulk action. Django renders it through the form
        widget templates, one render per row and a fifth of the list's time: the same box,
        written out, and named by the enquiry's reference for screen reader users."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="Select {}">',
            helpers.ACTION_CHECKBOX_NAME,
            enquiry.pk,
            enquiry.reference,
        )

    @admin.display(description="due", ordering="due_at")
    def urgency(self, enquiry):
        return format_html(
            '{}<br><span class="quiet">received {}</span>', time_left(enquiry), age(enquiry.received_at)
        )

    @admin.display(description="who")
    def person(self, enquiry):
        return format_html(
            "{}<br>for {}", enquiry.name or "(no name)", enquiry.get_enquirer_display().lower()
        )

    @admin.display(description="how to reach")
    def contact(self, enquiry):
        return contact_summary(enquiry)

    @admin.display(description="topics")
    def topic_names(self, enquiry):
        return ", ".join(topic.name for topic in enquiry.topics.all())

    @admin.display(description="progress")
    def progress(self, enquiry):
        return format_html(
            "{}, {}<br>{} attempt{}; last: {}<br>Next: {}",
            enquiry.get_status_display(),
            enquiry.assigned_to or "unassigned",
            enquiry.attempt_count,
            "" if enquiry.attempt_count == 1 else "s",
            enquiry.last_action or "-",
            _next_step(enquiry),
        )

    # Enquiry page
    @admin.display(description="at a glance")
    def at_a_glance(self, enquiry):
        return format_html(
            '<p class="enquiry-due">{}: reply promised by {}</p>{}',
            time_left(enquiry),
            _local_time(enquiry.reply_by),
            contact_summary(enquiry, full=True),
        )

    @admin.display(description="phone")
    def phone_number(self, enquiry):
        return phone_link(enquiry.phone)

    @admin.display(description="staff notified at")
    def staff_notified(self, enquiry):
        explained = "When staff were emailed that this enquiry arrived (reference and link only)."
        if not settings.ENQUIRY_NOTIFY_EMAILS:
            return format_html(
                '<strong class="enquiry-warning">Staff notifications are not configured: nobody is emailed '
                "about new enquiries (ENQUIRY_NOTIFY_EMAILS is empty).</strong><br>{}",
                explained,
            )
        if enquiry.staff_notified_at is None:
            return f"Not yet. {explained} A retry runs until it is sent."
        return f"{_local_time(enquiry.staff_notified_at)}. {explained}"

    @admin.display(description="timeline")
    def timeline(self, enquiry):
        events = enquiry.events.select_related("author", "assigned_to")
        return format_html(
            '<ol class="enquiry-timeline">{}</ol>',
            format_html_join(
                "", "<li><strong>{}</strong>, {}: {}</li>", (_timeline_line(event) for event in events)
            ),
        )

    @admin.display(description="consent")
    def consent(self, enquiry):
        return f"Wording version {enquiry.consent_wording_version}, given {_local_time(enquiry.consented_at)}"

    # Bulk actions
    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        held = [
            enquiry
            for enquiry in queryset.select_related("assigned_to")
            if _held_by_colleague(enquiry, request.user)
        ]
        if held and "take_over" not in request.POST:
            return self._confirm(
                request,
                queryset,
                title="Take over enquiries from colleagues?",
                explanation="These enquiries are assigned to a colleague. Each will be told by email.",
                listed=held,
                action="assign_to_me",
                confirm_name="take_over",
                confirm_label="Yes, take them over",
            )
        self._apply(
            request,
            queryset,
            "assigned to you",
            services.enquiry_assign,
            assignee=request.user,
            take_over=True,
        )

    @admin.action(description="Mark as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._apply(
            request, queryset, "marked as contacted", services.enquiry_change_status, status=Status.CONTACTED
        )

    @admin.action(description="Close", permissions=["change"])
    def close(self, request, queryset):
        self._apply(request, queryset, "closed", services.enquiry_change_status, status=Status.CLOSED)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        if "confirm_spam" not in request.POST:
            return self._confirm(
                request,
                queryset,
                title="Mark as spam?",
                explanation=(
                    "Spam leaves the open list. It can be restored to New for "
                    f"{settings.ENQUIRY_SPAM_RETENTION_DAYS} days; after that it is deleted."
                ),
                listed=list(queryset),
                action="mark_spam",
                confirm_name="confirm_spam",
                confirm_label="Yes, mark as spam",
            )
        self._apply(request, queryset, "marked as spam", services.enquiry_change_status, status=Status.SPAM)

    @admin.action(description="Not spam: restore to New", permissions=["change"])
    def restore_from_spam(self, request, queryset):
        self._apply(
            request,
            queryset.filter(status=Status.SPAM),
            "restored to New",
            services.enquiry_restore_from_spam,
        )

    def _confirm(self, request, queryset, *, title, explanation, listed, action, confirm_name, confirm_label):
        return TemplateResponse(
            request,
            "admin/enquiries/enquiry/confirm_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "explanation": explanation,
                "listed": listed,
                "selected": [enquiry.pk for enquiry in queryset],
                "action": action,
                "confirm_name": confirm_name,
                "confirm_label": confirm_label,
            },
        )

    def _apply(self, request, queryset, outcome, service, **arguments):
        with transaction.atomic():
            enquiries = list(queryset)
            changed = 0
            for enquiry in enquiries:
                saved = service(enquiry=enquiry, by=request.user, **arguments)
                changed += saved.version != enquiry.version
        if not changed:
            self.message_user(
                request, "Nothing was changed: the chosen enquiries were like that already.", messages.INFO
            )
            return
        self.message_user(
            request, f"{changed} {'enquiry' if changed == 1 else 'enquiries'} {outcome}.", messages.SUCCESS
        )

    # Export
    def export_view(self, request):
        if not (self.has_view_permission(request) and request.user.has_perm(EXPORT_PERMISSION)):
            raise PermissionDenied
        enquiries = list(self.get_changelist_instance(request).get_queryset(request))
        services.enquiries_record_export(
            enquiry_ids=[enquiry.pk for enquiry in enquiries],
            by=request.user,
            list_filter=_filter_used(request),
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="enquiries-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(
            [
                "reference",
                "received",
                "name",
                "contact by",
                "phone",
                "email",
                "topics",
                "status",
                "assigned to",
                "overdue",
            ]
        )
        for enquiry in enquiries:
            writer.writerow(
                [
                    enquiry.reference,
                    timezone.localtime(enquiry.received_at).isoformat(timespec="minutes"),
                    _spreadsheet_safe(enquiry.name),
                    enquiry.get_contact_method_display(),
                    _phone_as_dialled(enquiry.phone),
                    _spreadsheet_safe(enquiry.email),
                    self.topic_names(enquiry),
                    enquiry.get_status_display(),
                    _spreadsheet_safe(enquiry.assigned_to or ""),
                    "yes" if enquiry.is_overdue else "",
                ]
            )
        return response


CHART_WIDTH = 640
CHART_HEIGHT = 240
CHART_LEFT = 48
CHART_BOTTOM = 28


def response_chart(weeks, *, promise_hours):
    """Where each week's bars go in the server-drawn SVG: median as a bar, 90th percentile as
    a mark above it, the promise as a line across."""
    top = max([promise_hours * 1.25, *(week.p90_hours or 0 for week in weeks)])
    plot_height = CHART_HEIGHT - CHART_BOTTOM - 8
    slot = (CHART_WIDTH - CHART_LEFT) / len(weeks)

    def y(hours):
        return round(CHART_HEIGHT - CHART_BOTTOM - hours / top * plot_height, 1)

    bars = []
    for number, week in enumerate(weeks):
        x = round(CHART_LEFT + number * slot + slot * 0.2, 1)
        bars.append(
            {
                "x": x,
                "width": round(slot * 0.6, 1),
                "label_x": round(x + slot * 0.3, 1),
                "median_y": y(week.median_hours or 0),
                "median_height": round(CHART_HEIGHT - CHART_BOTTOM - y(week.median_hours or 0), 1),
                "p90_y": y(week.p90_hours) if week.p90_hours is not None else None,
                "week": week,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "axis_y": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - 10,
        "promise_y": y(promise_hours),
        "top_hours": round(top),
        "bars": bars,
    }


def _held_by_colleague(enquiry, user):
    return enquiry.assigned_to_id is not None and enquiry.assigned_to_id != user.pk


def _next_step(enquiry):
    if not enquiry.is_open:
        return "none"
    if enquiry.next_attempt_at:
        return f"try again {_local_time(enquiry.next_attempt_at)}"
    if enquiry.first_contact_at is None:
        return f"first contact by {_local_time(enquiry.reply_by)}"
    return "none set"


def _phone_as_dialled(phone):
    """The number as someone at the clinic dials it: `07400 123456`, or `00 33 1 23 45 67 89`
    from abroad. A spreadsheet keeps that as text (it starts with 0 and has spaces), where the
    stored `+447400123456` would become 4.47E+11; and no apostrophe is needed in front."""
    if not phone:
        return ""
    return phonenumbers.format_out_of_country_calling_number(phone, settings.PHONENUMBER_DEFAULT_REGION)


def _local_time(moment):
    return date_format(timezone.localtime(moment), "j M Y H:i")


def _filter_used(request):
    """The list's query parameters as the export record keeps them: search text may be a
    name or a phone number, so only the fact that there was a search is kept."""
    parameters = request.GET.copy()
    searched = parameters.pop(SEARCH_VAR, None)
    described = parameters.urlencode()
    if searched and searched != [""]:
        described = f"{described}&search (text not kept)" if described else "search (text not kept)"
    return described


def _timeline_line(event):
    return _local_time(event.created_at), _who(event), _what(event, notes=True)


def _who(event):
    if event.author:
        return event.author.get_username()
    return "Retention rules" if event.kind == EnquiryEvent.Kind.ANONYMISED else "Website"


def _what(event, *, notes):
    """What happened, in words; a note's text only where `notes` allows it."""
    Kind = EnquiryEvent.Kind
    with_detail = f" ({event.detail})" if event.detail else ""
    if event.kind == Kind.STATUS:
        return f"status {event.get_status_display()}{with_detail}"
    if event.kind == Kind.ASSIGNMENT:
        who = f"assigned to {event.assigned_to.get_username()}" if event.assigned_to else "unassigned"
        return who + with_detail
    if event.kind == Kind.ATTEMPT:
        next_attempt = (
            f"next attempt {_local_time(event.next_attempt_at)}"
            if event.next_attempt_at
            else "no further attempt"
        )
        return f"contact attempt: {event.get_outcome_display()}; {next_attempt}"
    if event.kind == Kind.VIEWED:
        return "opened the enquiry"
    if event.kind == Kind.EXPORTED:
        return f"exported as CSV ({event.detail})"
    if event.kind == Kind.ANONYMISED:
        return "personal details removed under the retention rules"
    if not notes:
        return "note added"
    return f"note: {event.text}" if event.text else "note (removed under the retention rules)"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Who opened, changed, exported or anonymised which enquiry, across all of them. Only
    references and actions: no enquirer's details and no note's text."""

    list_display = ["when", "enquiry", "who", "what"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["enquiry", "author", "assigned_to"]
    search_fields = ["enquiry__reference", "author__username"]
    search_help_text = "Enquiry reference or staff username."
    list_per_page = 100
    show_full_result_count = False
    # The list says all there is; an entry's own page would show a note's text.
    list_display_links = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .only(
                "created_at",
                "kind",
                "status",
                "detail",
                "enquiry__reference",
                "author__username",
                "assigned_to__username",
            )
        )

    def get_urls(self):
        return [url for url in super().get_urls() if url.name and url.name.endswith("_changelist")]

    @admin.display(description="when", ordering="created_at")
    def when(self, event):
        return _local_time(event.created_at)

    @admin.display(description="who")
    def who(self, event):
        return _who(event)

    @admin.display(description="what")
    def what(self, event):
        return _what(event, notes=False)
