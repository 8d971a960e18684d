import time
from datetime import UTC

import factory
import pytest
from cms.api import add_plugin
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from enquiries.consent import CONSENT_WORDING_VERSION
from enquiries.models import OPEN_STATUSES, ContactMethod, Enquirer, Enquiry, Status, response_time
from enquiries.search import enquiry_search_text, phone_digits
from enquiries.services import enquiry_handlers_group_ensure, new_reference
from enquiries.tokens import issue_form_token
from portal.roles import ensure_clinic_administrators_group
from tests.conftest import LANGUAGE, draft_of, publish

# Old enough that the minimum fill time has passed.
SECONDS_A_PERSON_TAKES = 60


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    reference = factory.LazyFunction(new_reference)
    name = factory.Faker("first_name")
    contact_method = ContactMethod.PHONE
    phone = factory.Sequence(lambda number: f"+447400{number % 1000000:06d}")
    email = factory.Faker("email")
    enquirer = Enquirer.MYSELF
    submission_key = factory.Sequence(lambda number: f"key-{number}")
    consent_wording_version = CONSENT_WORDING_VERSION
    consented_at = factory.SelfAttribute("received_at")
    received_at = factory.Faker("past_datetime", start_date="-2d", tzinfo=UTC)
    status_changed_at = factory.SelfAttribute("received_at")
    status = Status.NEW
    # What enquiries.services keeps up to date on a saved enquiry.
    due_at = factory.LazyAttribute(
        lambda enquiry: enquiry.received_at + response_time() if enquiry.status in OPEN_STATUSES else None
    )
    search_text = factory.LazyAttribute(
        lambda enquiry: enquiry_search_text(
            reference=enquiry.reference, name=enquiry.name, email=enquiry.email
        )
    )
    phone_digits = factory.LazyAttribute(lambda enquiry: phone_digits(enquiry.phone))


def form_token(*, seconds_ago=SECONDS_A_PERSON_TAKES):
    return issue_form_token(now=time.time() - seconds_ago)


def valid_form_data(**overrides):
    data = {
        "name": "Sam",
        "contact_method": "phone",
        "phone": "07400 123456",
        "email": "",
        "best_time_to_call": "Weekday mornings",
        "enquirer": "myself",
        "topics": ["alcohol", "gambling"],
        "message": "I would like to talk about my drinking.",
        "consent": "on",
        "website": "",
        "form_token": form_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def enquiry_data():
    return valid_form_data


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def notify_staff(settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["triage@clinic.example"]
    settings.ENQUIRY_ADMIN_BASE_URL = "https://portal.example"


@pytest.fixture
def failing_mail_server(settings, notify_staff):
    settings.EMAIL_BACKEND = "tests.enquiries.failing_email_backend.EmailBackend"


def create_contact_page(make_page, author):
    """A published "Contact us" page holding the enquiry form plugin, at /contact-us/."""
    page = make_page("Contact us", published=False, reverse_id="contact", in_navigation=True)
    draft = draft_of(page)
    add_plugin(draft.get_placeholders().get(slot="content"), "EnquiryFormPlugin", LANGUAGE)
    publish(draft, author)
    return page


@pytest.fixture
def contact_page(make_page, staff_author):
    return create_contact_page(make_page, staff_author)


def create_handler(username):
    user = get_user_model().objects.create_user(
        username=username, password=f"{username}-password", is_staff=True
    )
    user.groups.add(enquiry_handlers_group_ensure())
    return user


@pytest.fixture
def handler(db):
    return create_handler("handler")


@pytest.fixture
def second_handler(db):
    return create_handler("colleague")


@pytest.fixture
def exporter(handler):
    handler.user_permissions.add(Permission.objects.get(codename="export_enquiry"))
    return get_user_model().objects.get(pk=handler.pk)


@pytest.fixture
def content_editor(db):
    """Staff who edit pages but have no enquiry permission."""
    user = get_user_model().objects.create_user(username="editor", password="editor-password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="cms"))
    return user


@pytest.fixture
def auditor_client(db):
    user = get_user_model().objects.create_user("auditor", password="a-long-test-password", is_staff=True)
    user.groups.add(ensure_clinic_administrators_group())
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client


CHANGELIST = "/admin/enquiries/enquiry/"


def change_url(enquiry):
    return f"{CHANGELIST}{enquiry.pk}/change/"


def triage_data(enquiry, **changes):
    """The enquiry page's form as the handler sees it for `enquiry` (as loaded), with
    `changes` typed in."""
    data = {
        "status": enquiry.status,
        "assigned_to": enquiry.assigned_to_id or "",
        "version": enquiry.version,
        "note": "",
        "attempt_outcome": "",
        "next_attempt": "suggested",
        "next_attempt_time": "",
        "_save": "Save",
    }
    data.update(changes)
    return data


def enquiry_admin_urls(enquiry):
    """Every address the admin serves for the enquiries app, read from its URL patterns so
    that a screen added later is walked too, and one for an enquiry that does not exist."""
    urls = []
    for model in apps.get_app_config("enquiries").get_models():
        if not admin.site.is_registered(model):
            continue
        for pattern in admin.site.get_model_admin(model).get_urls():
            # The one unnamed pattern, "<id>/", only redirects to the enquiry's change page.
            if pattern.name:
                args = [enquiry.pk] if "object_id" in pattern.pattern.converters else []
                urls.append(reverse(f"admin:{pattern.name}", args=args))
    return [*urls, reverse("admin:enquiries_enquiry_change", args=[enquiry.pk + 1000])]
