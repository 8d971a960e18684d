from datetime import UTC, datetime

from cms.forms.utils import get_page_choices_for_site
from cms.models import Page
from django import forms
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language

from therapy_pages import scheduling, selectors
from therapy_pages.models import CallToAction, PageReview

MAX_QUERY_LENGTH = 200
CALL_TO_ACTION_TEXT = (
    "Tell us a little about what is happening and a member of our team will get back to you."
)
# Deep enough for any real search; a limit keeps a crafted address from costing much.
MAX_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Use fewer words: up to {MAX_QUERY_LENGTH} characters."},
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_page(self):
        return self.cleaned_data["page"] or 1


class SubmitForReviewForm(forms.Form):
    note = forms.CharField(
        label="Note for the reviewer (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What changed and why, so the reviewer knows where to look. Up to 1000 characters.",
        error_messages={"max_length": "Keep the note to 1000 characters or fewer."},
    )


APPROVE, ASK_FOR_CHANGES = "approve", "ask_for_changes"


class ReviewDecisionForm(forms.Form):
    """The reviewer's decision. Approving needs their name, role and the next review date,
    which become the page's review record; asking for changes needs a comment."""

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve and publish"), (ASK_FOR_CHANGES, "Ask for changes")]
    )
    reviewer_name = forms.CharField(
        label="Your name, as the page shows it",
        max_length=200,
        required=False,
        help_text='The page shows "Reviewed by <name>, <role>".',
    )
    reviewer_role = forms.CharField(
        label="Your role",
        max_length=200,
        required=False,
        help_text="Your job title, for example Clinical lead.",
    )
    next_review_due = forms.DateField(
        label="Next review due",
        required=False,
        # A date field in the browser: it sends, and must be given, the ISO form.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="When the page must be checked again: after today, and at most 3 years from now.",
        error_messages={"invalid": "Enter a date, for example 1 December 2027."},
    )
    comment = forms.CharField(
        label="Comment for the editor",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when you ask for changes: what should change. Up to 1000 characters.",
        error_messages={"max_length": "Keep the comment to 1000 characters or fewer."},
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == APPROVE:
            self._clean_approval(cleaned)
        elif cleaned.get("decision") == ASK_FOR_CHANGES and not cleaned.get("comment"):
            self.add_error("comment", "Say what should change, so the editor knows what to do.")
        return cleaned

    def _clean_approval(self, cleaned):
        for field, message in (
            ("reviewer_name", "Enter your name: the page shows who reviewed it."),
            ("reviewer_role", "Enter your role, for example Clinical lead."),
            ("next_review_due", "Enter the date the page must be checked again."),
        ):
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        if self.errors:
            return
        review = self.page_review()
        try:
            review.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)

    def page_review(self):
        """The page's review record this approval makes (not saved)."""
        return PageReview(
            last_reviewed=timezone.localdate(),
            reviewer_name=self.cleaned_data["reviewer_name"],
            reviewer_role=self.cleaned_data["reviewer_role"],
            next_review_due=self.cleaned_data["next_review_due"],
        )


class PublicationScheduleForm(forms.Form):
    """When to publish or unpublish: a date and a time in the clinic's time zone, entered in
    the browser's own date and time fields (plain text boxes without JavaScript)."""

    day = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example 08/12/2026. At most a year from today.",
        error_messages={
            "required": "Enter the date.",
            "invalid": "Enter a real date, for example 08/12/2026.",
        },
    )
    time = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="UK time (GMT in winter, BST in summer) on the 24-hour clock, for example 09:00. "
        "It happens within a minute of this time.",
        error_messages={
            "required": "Enter the time.",
            "invalid": "Enter a time on the 24-hour clock, for example 09:00.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = timezone.localtime()
        self.latest = timezone.localtime(scheduling.latest_allowed(self.now))
        self.fields["day"].widget.attrs.update(
            min=self.now.date().isoformat(), max=self.latest.date().isoformat()
        )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        zone = timezone.get_current_timezone()
        moment = datetime.combine(day, time, tzinfo=zone)
        if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
            self.add_error(
                "time", "The clocks go forward at that time, so it never happens. Choose another time."
            )
        elif day < self.now.date():
            self.add_error("day", "That date has passed. Choose today or a later date.")
        elif moment <= self.now:
            self.add_error("time", f"That time has passed. Choose a time after {self.now:%H:%M} today.")
        elif moment > self.latest:
            self.add_error(
                "day", f"Choose a date within a year from today: {self.latest:%d/%m/%Y} at the latest."
            )
        else:
            cleaned["due_at"] = moment
        return cleaned


class CallToActionForm(forms.ModelForm):
    """The call to action's settings, with its button leading to Contact us unless the editor
    chooses another page, from one list of the site's published pages."""

    link_page = forms.ModelChoiceField(
        queryset=Page.objects.all(),
        label="Button opens",
        help_text="The page the button opens, usually Contact us.",
        error_messages={
            "required": "Choose the page the button opens.",
            "invalid_choice": "Choose a page from the list.",
        },
    )

    class Meta:
        model = CallToAction
        fields = ["heading", "text", "button_label", "link_page"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = Site.objects.get_current()
        pages = self.fields["link_page"]
        pages.queryset = Page.objects.on_site(site)
        pages.choices = [("", "Choose a page"), *get_page_choices_for_site(site, get_language())]
        if self.instance.pk is None:
            self.initial.setdefault("link_page", getattr(selectors.contact_page(), "pk", None))
            self.initial.setdefault("text", CALL_TO_ACTION_TEXT)
