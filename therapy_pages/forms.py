from datetime import UTC, datetime

from django import forms
from django.utils import timezone

from therapy_pages import scheduling

MAX_QUERY_LENGTH = 200
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
