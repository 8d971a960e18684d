"""An enquiry from the website, its topics, and the append-only timeline staff build on it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

NAME_MAX_LENGTH = 100
PHONE_MAX_LENGTH = 32
EMAIL_MAX_LENGTH = 254
BEST_TIME_MAX_LENGTH = 100
MESSAGE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 4000
AUDIT_DETAIL_MAX_LENGTH = 500
LANGUAGE_MAX_LENGTH = 50
LAST_ACTION_MAX_LENGTH = 80
SEARCH_TEXT_MAX_LENGTH = 500


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    EITHER = "either", "Either"


class Enquirer(models.TextChoices):
    MYSELF = "myself", "Myself"
    SOMEONE_I_CARE_ABOUT = "someone_i_care_about", "Someone I care about"
    PROFESSIONAL = "professional", "A client (I am a professional)"


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    CONTACTED = "contacted", "Contacted"
    CLOSED = "closed", "Closed"
    SPAM = "spam", "Spam"


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.CONTACTED)


class SafeToContact(models.TextChoices):
    """The visitor's answer to "is it safe to ...?"; blank when they did not say."""

    YES = "yes", "Yes"
    NO = "no", "No"


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "Rang, no answer"
    VOICEMAIL = "voicemail", "Left a voicemail"
    SPOKE = "spoke", "Spoke to them"
    TEXTED = "texted", "Sent a text"
    EMAILED = "emailed", "Sent an email"
    WRONG_NUMBER = "wrong_number", "Wrong number"


# Outcomes that answer the person: an email is how someone who asked by email is answered.
CONTACT_OUTCOMES = (AttemptOutcome.SPOKE, AttemptOutcome.EMAILED)
# After these another attempt is not the obvious next step, so none is suggested.
FINAL_OUTCOMES = (AttemptOutcome.SPOKE, AttemptOutcome.WRONG_NUMBER)


def open_first():
    """0 for an open enquiry, 1 for the rest: the triage desk's first sort key. The
    enquiry_open_first index holds exactly this expression, so the desk's first page is
    read from the index instead of sorting every enquiry."""
    return models.Case(
        models.When(status__in=OPEN_STATUSES, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


# Slug and label of each topic, in the order the form lists them; the Topic table holds
# the same rows (created by a migration).
TOPICS = [
    ("alcohol", "Alcohol"),
    ("drugs", "Drugs"),
    ("gambling", "Gambling"),
    ("another_behaviour", "Another behaviour"),
    ("not_sure", "Not sure"),
]


class Topic(models.Model):
    """What an enquiry is about. A small fixed table, so enquiries filter by topic with a
    plain indexed join on every database (SQLite has no JSON "contains")."""

    slug = models.SlugField(primary_key=True, max_length=30)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class EnquiryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, now=None):
        """Open, and past its due time: nobody reached the person within the promised
        response time, or the next attempt someone set has passed."""
        return self.open().filter(due_at__lt=now or timezone.now())

    def needing_action(self, *, now=None):
        """The "Needs action now" queue: new and unassigned, or due (which covers overdue
        ones and a handler's next attempts that have come round), most urgent first."""
        now = now or timezone.now()
        return (
            self.open()
            .filter(models.Q(status=Status.NEW, assigned_to__isnull=True) | models.Q(due_at__lte=now))
            .order_by(models.F("due_at").asc(nulls_last=True), "received_at", "pk")
        )

    def awaiting_notification(self):
        return self.filter(staff_notified_at__isnull=True).exclude(status=Status.SPAM)


def response_time():
    return timedelta(hours=settings.ENQUIRY_RESPONSE_HOURS)


class Enquiry(models.Model):
    reference = models.CharField(max_length=10, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    name = models.CharField("what to call them", max_length=NAME_MAX_LENGTH, blank=True)
    contact_method = models.CharField("how to reach them", max_length=10, choices=ContactMethod.choices)
    phone = PhoneNumberField(max_length=PHONE_MAX_LENGTH, blank=True)
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, blank=True)
    best_time_to_call = models.CharField(max_length=BEST_TIME_MAX_LENGTH, blank=True)
    enquirer = models.CharField("who it is for", max_length=30, choices=Enquirer.choices)
    topics = models.ManyToManyField(Topic, related_name="enquiries")
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    voicemail_safe = models.CharField(
        "safe to leave a voicemail", max_length=3, choices=SafeToContact.choices, blank=True
    )
    text_safe = models.CharField(
        "a text is all right", max_length=3, choices=SafeToContact.choices, blank=True
    )
    preferred_language = models.CharField(max_length=LANGUAGE_MAX_LENGTH, blank=True)

    consent_wording_version = models.CharField(max_length=20, editable=False)
    consented_at = models.DateTimeField(editable=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enquiries",
    )
    spam_reasons = models.CharField(max_length=200, blank=True, editable=False)

    # The form's one-time token: a second POST of the same form finds this enquiry
    # instead of creating another.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)

    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A sender claims an enquiry until this time, so two senders (the running sender, the
    # one from cron, the request that saved it) never email staff twice about it.
    notification_claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    notification_attempts = models.PositiveIntegerField(default=0, editable=False)

    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Kept up to date by enquiries.services with every timeline line, so the desk's lists
    # read them from the row instead of from every enquiry's timeline.
    first_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the enquiry next needs someone: the promised reply time until someone has reached
    # the person, or the next attempt if that comes sooner. Empty once closed.
    due_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempt_count = models.PositiveIntegerField(default=0, editable=False)
    last_action = models.CharField(max_length=LAST_ACTION_MAX_LENGTH, blank=True, editable=False)
    last_action_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Name, email and reference without accents, apostrophes or case; phone digits as dialled
    # in the UK. Search matches these, the same way on every database.
    search_text = models.CharField(max_length=SEARCH_TEXT_MAX_LENGTH, blank=True, editable=False)
    phone_digits = models.CharField(max_length=PHONE_MAX_LENGTH, blank=True, editable=False)

    # Raised by every change; an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["received_at"]
        permissions = [("export_enquiry", "Can export enquiries as CSV")]
        indexes = [
            models.Index(fields=["status", "received_at"], name="enquiry_status_received"),
            models.Index(fields=["staff_notified_at"], name="enquiry_awaiting_notification"),
            models.Index(open_first(), models.F("received_at"), models.F("id"), name="enquiry_open_first"),
            models.Index(
                fields=["due_at"], condition=models.Q(status__in=OPEN_STATUSES), name="enquiry_open_due"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def reply_by(self):
        """The time the visitor was promised a reply by."""
        return self.received_at + response_time()


class EnquiryEvent(models.Model):
    """One line of an enquiry's timeline: never edited, only added to.

    The timeline is also the record of who read what: opening the enquiry's page, exporting
    it and anonymising it each add a line, which names the person and the action and never
    the enquirer's details.
    """

    class Kind(models.TextChoices):
        STATUS = "status", "Status change"
        ASSIGNMENT = "assignment", "Assignment"
        NOTE = "note", "Note"
        ATTEMPT = "attempt", "Contact attempt"
        VIEWED = "viewed", "Opened"
        EXPORTED = "exported", "Exported"
        ANONYMISED = "anonymised", "Anonymised"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # How an access happened, for the record: for an export, the list filter used and the
    # number of rows. Never search text, names or contact details.
    detail = models.CharField(max_length=AUDIT_DETAIL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.enquiry}"


class AuditEntry(EnquiryEvent):
    """The timelines of all enquiries as one list, for whoever checks who read what."""

    class Meta:
        proxy = True
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        ordering = ["-created_at", "-pk"]
