"""The "Contact us" form: what a visitor may send, in plain words when something is wrong."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.html import format_html
from phonenumber_field.formfields import PhoneNumberField

from enquiries import models, services
from enquiries.consent import CONSENT_WORDING, PRIVACY_NOTICE_URL
from enquiries.models import (
    NOTE_MAX_LENGTH,
    AttemptOutcome,
    ContactMethod,
    Enquirer,
    Enquiry,
    SafeToContact,
    Status,
)
from enquiries.tokens import read_form_token
from enquiries.validators import validate_multi_line_text, validate_single_line_text


def _too_long(limit):
    return f"Use {limit:,} characters or fewer (you have used %(show_value)s)."


def _safe_to_contact_field(label, *, yes, no, help_text=""):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        choices=[(SafeToContact.YES, yes), (SafeToContact.NO, no)],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose Yes or No."},
    )


class EnquiryFormRenderer(DjangoTemplates):
    field_template_name = "enquiries/forms/field.html"


class EnquiryForm(forms.Form):
    default_renderer = EnquiryFormRenderer

    name = forms.CharField(
        label="What should we call you?",
        help_text="A first name or a nickname is fine.",
        max_length=models.NAME_MAX_LENGTH,
        validators=[validate_single_line_text],
        error_messages={
            "required": "Enter what we should call you. A first name or a nickname is fine.",
            "max_length": _too_long(models.NAME_MAX_LENGTH),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=[
            (ContactMethod.PHONE, "By phone"),
            (ContactMethod.EMAIL, "By email"),
            (ContactMethod.EITHER, "Either: give us both and we will use whichever works"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should contact you."},
    )
    phone = PhoneNumberField(
        label="Phone number",
        help_text="For example 07400 123456. For a number outside the UK, start with + and the country code.",
        required=False,
        max_length=models.PHONE_MAX_LENGTH,
        error_messages={
            "invalid": "Enter a phone number we can call, like 07400 123456, or start with + and the "
            "country code.",
            "max_length": _too_long(models.PHONE_MAX_LENGTH),
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=models.EMAIL_MAX_LENGTH,
        error_messages={
            "invalid": "Enter an email address like name@example.com.",
            "max_length": _too_long(models.EMAIL_MAX_LENGTH),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    best_time_to_call = forms.CharField(
        label="Best time to call (optional)",
        help_text="For example: weekday mornings, or after 6pm.",
        required=False,
        max_length=models.BEST_TIME_MAX_LENGTH,
        validators=[validate_single_line_text],
        error_messages={"max_length": _too_long(models.BEST_TIME_MAX_LENGTH)},
    )
    voicemail_safe = _safe_to_contact_field(
        "Is it safe for us to leave a voicemail that says who we are? (optional)",
        yes="Yes, a voicemail is fine",
        no="No, do not leave a message",
        help_text="If someone else might hear it, choose No: we will not leave a message.",
    )
    text_safe = _safe_to_contact_field(
        "Can we send you a text message? (optional)", yes="Yes, a text is all right", no="No texts, please"
    )
    preferred_language = forms.CharField(
        label="If you would rather we spoke in a language other than English, which one? (optional)",
        help_text="For example: Welsh, Polish, Urdu.",
        required=False,
        max_length=models.LANGUAGE_MAX_LENGTH,
        validators=[validate_single_line_text],
        error_messages={"max_length": _too_long(models.LANGUAGE_MAX_LENGTH)},
    )
    enquirer = forms.ChoiceField(
        label="Who are you asking about?",
        choices=Enquirer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you are asking about."},
    )
    topics = forms.MultipleChoiceField(
        label="What is it about?",
        help_text="Choose all that apply.",
        choices=models.TOPICS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one, or choose \u201cNot sure\u201d.",
            "invalid_choice": "Choose from the list.",
        },
    )
    message = forms.CharField(
        label="Anything you would like to tell us (optional)",
        help_text=f"Up to {models.MESSAGE_MAX_LENGTH:,} characters. Share only what you are comfortable "
        "with; we can talk about the rest when we speak.",
        required=False,
        max_length=models.MESSAGE_MAX_LENGTH,
        validators=[validate_multi_line_text],
        error_messages={"max_length": _too_long(models.MESSAGE_MAX_LENGTH)},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=CONSENT_WORDING,
        help_text=format_html(
            'Read how we keep it safe and how long we keep it in our <a href="{}">privacy notice</a>.',
            PRIVACY_NOTICE_URL,
        ),
        error_messages={
            "required": "Tick the box so that we can use what you have written to reply. If you would "
            "rather not, you can call us instead."
        },
    )
    # The honeypot: hidden from people and screen readers; a bot that fills it in is
    # recognised without a puzzle for anyone else.
    website = forms.CharField(
        label="Leave this blank",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        method = cleaned_data.get("contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.EITHER) and not self._has_value("phone"):
            self.add_error("phone", "Enter a phone number, or choose to be contacted by email.")
        if method in (ContactMethod.EMAIL, ContactMethod.EITHER) and not self._has_value("email"):
            self.add_error("email", "Enter an email address, or choose to be contacted by phone.")
        return cleaned_data

    def _has_value(self, name):
        # A field that failed its own checks already carries a message.
        return name in self.errors or bool(self.cleaned_data.get(name))

    def error_summary(self):
        """(id of the field's first input, message) for the summary at the top."""
        return [
            (self._anchor_id(name), message) for name, messages in self.errors.items() for message in messages
        ]

    def _anchor_id(self, name):
        bound_field = self[name]
        if bound_field.use_fieldset:
            return f"{bound_field.auto_id}_0"
        return bound_field.auto_id

    def suspected_spam_reasons(self):
        """Why this looks sent by a program; empty for a person."""
        reasons = []
        if self.cleaned_data.get("website"):
            reasons.append("honeypot filled in")
        token = read_form_token(self.cleaned_data.get("form_token"))
        if token is None:
            reasons.append("missing or forged form token")
        elif token.seconds_since_issued() < settings.ENQUIRY_MIN_FILL_SECONDS:
            reasons.append("sent too fast")
        return reasons

    def submission_details(self):
        """What the services need to save the enquiry: every answer but the consent box,
        the trap field and the form's token (an empty answer is "")."""
        return {name: self.cleaned_data[name] for name in [*services.SENT_FIELDS, "topics"]}


CONFLICT_MESSAGE = (
    "Someone else saved this enquiry after you opened it, so your changes have not been saved. "
    "The choices below now show what is saved. Press \u201cLoad the latest and keep my note\u201d "
    "to see their changes, with your note still in the box."
)
NEXT_ATTEMPT_SUGGESTED = "suggested"
NEXT_ATTEMPT_NONE = "none"
NEXT_ATTEMPT_AT = "at"
NEXT_ATTEMPT_FURTHEST = timedelta(days=90)


class EnquiryTriageForm(forms.ModelForm):
    attempt_outcome = forms.ChoiceField(
        label="Contact attempt",
        required=False,
        choices=[("", "No attempt to record"), *AttemptOutcome.choices],
        help_text="What happened when you tried to reach them.",
    )
    next_attempt = forms.ChoiceField(
        label="Next attempt",
        required=False,
        initial=NEXT_ATTEMPT_SUGGESTED,
        choices=[
            (
                NEXT_ATTEMPT_SUGGESTED,
                "Suggested: in 2 hours after a missed call, tomorrow after a message, none after speaking",
            ),
            (NEXT_ATTEMPT_AT, "At the time below"),
            (NEXT_ATTEMPT_NONE, "No further attempt"),
        ],
    )
    next_attempt_time = forms.DateTimeField(
        label="Next attempt at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Only used with \u201cAt the time below\u201d, for example 02/12/2026 14:30.",
        error_messages={"invalid": "Enter a date and time like 02/12/2026 14:30."},
    )
    note = forms.CharField(
        label="Add a note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        validators=[validate_multi_line_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Notes are added to the timeline and cannot be edited afterwards.",
    )
    take_over = forms.BooleanField(label="Yes, take this enquiry over from my colleague", required=False)
    confirm_spam = forms.BooleanField(label="Yes, this is spam", required=False)

    # Set per request by EnquiryAdmin.get_form.
    user = None
    kept_note = ""

    class Meta:
        model = Enquiry
        fields = ["status", "assigned_to", "version"]
        widgets = {"version": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.kept_note:
            self.fields["note"].initial = self.kept_note
        self.has_conflict = False

    def clean(self):
        cleaned_data = super().clean()
        # The admin saves inside one transaction: the lock taken here holds until the
        # change is written, so no other save can slip in between check and write.
        current = (
            Enquiry.objects.select_for_update(of=("self",))
            .select_related("assigned_to")
            .get(pk=self.instance.pk)
        )
        if cleaned_data.get("version") != current.version:
            self._show_saved_choices(current)
            raise forms.ValidationError(CONFLICT_MESSAGE)
        assignee = self.user if "_assign_to_me" in self.data else cleaned_data.get("assigned_to")
        cleaned_data["assignee"] = assignee
        holder = current.assigned_to
        if holder and assignee and holder not in (assignee, self.user) and not cleaned_data.get("take_over"):
            self.add_error(
                "take_over",
                f"{holder.get_username()} has this enquiry. Tick the box to take it over: "
                f"they will be told by email.",
            )
        if cleaned_data.get("status") == Status.SPAM != current.status and not cleaned_data.get(
            "confirm_spam"
        ):
            self.add_error(
                "confirm_spam",
                f"Tick the box to confirm this is spam. Spam can be restored to New for "
                f"{settings.ENQUIRY_SPAM_RETENTION_DAYS} days, then it is deleted.",
            )
        cleaned_data["next_attempt_due"] = self._next_attempt_due(cleaned_data)
        return cleaned_data

    def _next_attempt_due(self, cleaned_data):
        outcome = cleaned_data.get("attempt_outcome")
        choice = cleaned_data.get("next_attempt") or NEXT_ATTEMPT_SUGGESTED
        at = cleaned_data.get("next_attempt_time")
        if choice == NEXT_ATTEMPT_AT and not outcome:
            self.add_error(
                "attempt_outcome", "Choose what happened on this attempt, so the next one can be set."
            )
            return None
        if not outcome or choice == NEXT_ATTEMPT_NONE:
            return None
        if choice == NEXT_ATTEMPT_SUGGESTED:
            return services.suggested_next_attempt(outcome)
        now = timezone.now()
        if at is None:
            if "next_attempt_time" not in self.errors:  # One message, not two, for a time mistyped.
                self.add_error("next_attempt_time", "Enter the date and time of the next attempt.")
        elif at < now:
            self.add_error("next_attempt_time", "Choose a time from now on.")
        elif at > now + NEXT_ATTEMPT_FURTHEST:
            self.add_error("next_attempt_time", "Choose a time within the next 90 days.")
        return at

    def _show_saved_choices(self, current):
        """A refused form shows what is saved, never the unsaved choices as if they were."""
        self.has_conflict = True
        self.data = self.data.copy()
        self.data["status"] = current.status
        self.data["assigned_to"] = current.assigned_to_id or ""
