"""The triage desk: enquiries in the Django admin, every change through enquiries.services."""

import csv

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from enquiries import selectors, services
from enquiries.models import NOTE_MAX_LENGTH, AuditEntry, Enquiry, EnquiryEvent, Status
from enquiries.validators import validate_multi_line_text
from portal.admin import ReadOnlyAdmin

EXPORT_PERMISSION = "enquiries.export_enquiry"
CONFLICT_MESSAGE = (
    "Someone else saved this enquiry after you opened it, so your changes have not been saved "
    "and theirs are kept. Copy anything you typed below, reload the page to see their changes "
    "in the timeline, then make yours again."
)


class EnquiryTriageForm(forms.ModelForm):
    note = forms.CharField(
        label="Add a note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        validators=[validate_multi_line_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Notes are added to the timeline and cannot be edited afterwards.",
    )

    class Meta:
        model = Enquiry
        fields = ["status", "assigned_to", "version"]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned_data = super().clean()
        # The admin saves inside one transaction: the lock taken here holds until the
        # change is written, so no other save can slip in between check and write.
        current_version = (
            Enquiry.objects.select_for_update().values_list("version", flat=True).get(pk=self.instance.pk)
        )
        if cleaned_data.get("version") != current_version:
            raise forms.ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned_data


class AssignmentFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("nobody", "Nobody")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
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


class LimitedCountPaginator(Paginator):
    """Counts no further than `count_limit`: the desk needs its first pages, not an exact
    total that costs a pass over every enquiry on each load. Past the limit, the list says
    "more than" and filters or search narrow it down."""

    count_limit = 1000

    @cached_property
    def count(self):
        return self.object_list[: self.count_limit + 1].count()

    @property
    def count_is_limited(self):
        return self.count > self.count_limit


def _spreadsheet_safe(value):
    """Stop a spreadsheet from running what a visitor typed as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    form = EnquiryTriageForm
    list_display = [
        "reference",
        "received",
        "name",
        "how_to_reach",
        "topic_names",
        "status",
        "assigned_to",
        "overdue",
    ]
    list_filter = [
        "status",
        AssignmentFilter,
        OverdueFilter,
        "topics",
        ("received_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["assigned_to"]
    list_per_page = 50
    paginator = LimitedCountPaginator
    show_full_result_count = False
    search_fields = ["reference", "name", "email", "phone"]
    search_help_text = "Reference, name, email or phone number."
    ordering = ["received_at"]
    actions = ["assign_to_me", "mark_contacted", "close", "mark_spam"]
    readonly_fields = [
        "reference",
        "received_at",
        "name",
        "contact_method",
        "phone",
        "email",
        "best_time_to_call",
        "enquirer",
        "topic_names",
        "message",
        "timeline",
        "consent",
        "spam_reasons",
        "staff_notified_at",
        "anonymised_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "received_at", "name", "contact_method", "phone", "email"]}),
        (None, {"fields": ["best_time_to_call", "enquirer", "topic_names", "message"]}),
        ("Triage", {"fields": ["status", "assigned_to", "note", "version"]}),
        ("Timeline", {"fields": ["timeline"]}),
        ("Record", {"fields": ["consent", "spam_reasons", "staff_notified_at", "anonymised_at"]}),
    ]

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
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = _as_phone_number(search_term)
        if phone:
            results |= queryset.filter(phone=phone)
        return results, may_have_duplicates

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = selectors.enquiry_handlers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        export = path(
            "export/", self.admin_site.admin_view(self.export_view), name="enquiries_enquiry_export"
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": request.user.has_perm(EXPORT_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            services.enquiry_record_viewed(enquiry=response.context_data["original"], by=request.user)
        return response

    def save_model(self, request, obj, form, change):
        assignee = request.user if "_assign_to_me" in request.POST else form.cleaned_data["assigned_to"]
        services.enquiry_triage(
            enquiry=obj,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            status=form.cleaned_data["status"],
            assignee=assignee,
            note=form.cleaned_data["note"],
        )

    def save_related(self, request, form, formsets, change):
        """Nothing else on the page is editable."""

    # Columns
    @admin.display(description="received", ordering="received_at")
    def received(self, enquiry):
        return format_html(
            '{}<br><span class="quiet">{} ago</span>',
            _local_time(enquiry.received_at),
            timesince(enquiry.received_at),
        )

    @admin.display(description="how to reach")
    def how_to_reach(self, enquiry):
        details = [str(value) for value in (enquiry.phone, enquiry.email) if value]
        return format_html("{}<br>{}", enquiry.get_contact_method_display(), ", ".join(details))

    @admin.display(description="topics")
    def topic_names(self, enquiry):
        return ", ".join(topic.name for topic in enquiry.topics.all())

    @admin.display(description="overdue")
    def overdue(self, enquiry):
        return mark_safe("<strong>Overdue</strong>") if enquiry.is_overdue else ""

    # Enquiry page
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
        self._apply(request, queryset, "assigned to you", services.enquiry_assign, assignee=request.user)

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
        self._apply(request, queryset, "marked as spam", services.enquiry_change_status, status=Status.SPAM)

    def _apply(self, request, queryset, outcome, service, **arguments):
        with transaction.atomic():
            for enquiry in queryset:
                service(enquiry=enquiry, by=request.user, **arguments)
        count = len(queryset)
        self.message_user(
            request, f"{count} {'enquiry' if count == 1 else 'enquiries'} {outcome}.", messages.SUCCESS
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


def _phone_as_dialled(phone):
    """The number as someone at the clinic dials it: `07400 123456`, or `00 33 1 23 45 67 89`
    from abroad. A spreadsheet keeps that as text (it starts with 0 and has spaces), where the
    stored `+447400123456` would become 4.47E+11; and no apostrophe is needed in front."""
    if not phone:
        return ""
    return phonenumbers.format_out_of_country_calling_number(phone, settings.PHONENUMBER_DEFAULT_REGION)


def _local_time(moment):
    return date_format(timezone.localtime(moment), "j M Y H:i")


def _as_phone_number(text):
    """The search text in stored (E.164) form if it reads as a phone number, else None."""
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
    if event.kind == Kind.STATUS:
        return f"status {event.get_status_display()}"
    if event.kind == Kind.ASSIGNMENT:
        return f"assigned to {event.assigned_to.get_username()}" if event.assigned_to else "unassigned"
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
