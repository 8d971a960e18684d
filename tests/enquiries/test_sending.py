"""Sending the form: the plugin, CSRF, spam checks, double submission and the thank-you page."""

import logging
import re
import secrets
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import signing

from enquiries.consent import CONSENT_WORDING_VERSION
from enquiries.models import Enquiry, EnquiryEvent, Status
from enquiries.services import enquiry_submit
from enquiries.views import THANKS_COOKIE, THANKS_COOKIE_SALT
from tests.enquiries.conftest import CHANGELIST, form_token, valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"
THANKS_URL = "/enquiries/thanks/"
REFERENCE = re.compile(r"ENQ-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")


def hidden_value(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_plugin_renders_a_fresh_form_for_each_visitor_who_can_both_send_it(
    contact_page, csrf_client, settings
):
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    second_visitor = type(csrf_client)(enforce_csrf_checks=True)

    first_page = csrf_client.get("/contact-us/")
    second_page = second_visitor.get("/contact-us/")

    assert hidden_value(first_page.text, "csrfmiddlewaretoken") != hidden_value(
        second_page.text, "csrfmiddlewaretoken"
    )
    assert hidden_value(first_page.text, "form_token") != hidden_value(second_page.text, "form_token")
    for visitor, page in [(csrf_client, first_page), (second_visitor, second_page)]:
        data = valid_form_data(
            csrfmiddlewaretoken=hidden_value(page.text, "csrfmiddlewaretoken"),
            form_token=hidden_value(page.text, "form_token"),
        )
        assert visitor.post(SEND_URL, data).status_code == 302
    assert list(Enquiry.objects.values_list("status", flat=True)) == [Status.NEW, Status.NEW]


def test_a_page_that_only_links_to_the_form_sets_no_cookie(client, make_page, contact_page):
    make_page("Alcohol", in_navigation=True)

    response = client.get("/alcohol/")

    assert response.status_code == 200
    assert response.cookies == {}


def test_form_explains_consent_and_links_the_privacy_notice(client, contact_page):
    html = client.get("/contact-us/").text

    assert 'type="checkbox" name="consent"' in html
    assert 'name="consent" checked' not in html
    assert "including information about my health" in html
    assert '<a href="/privacy-notice/">privacy notice</a>' in html
    assert 'aria-hidden="true"' in html and "Leave this blank" in html
    assert 'action="/enquiries/send/"' in html
    assert "/static/enquiries/enquiry-form.css" in html


def test_a_valid_enquiry_is_saved_with_its_consent_record(client):
    response = client.post(SEND_URL, valid_form_data())

    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    enquiry = Enquiry.objects.get()
    assert REFERENCE.fullmatch(enquiry.reference)
    assert enquiry.status == Status.NEW
    assert (enquiry.name, str(enquiry.phone), enquiry.contact_method) == ("Sam", "+447400123456", "phone")
    assert enquiry.consent_wording_version == CONSENT_WORDING_VERSION == "2026-12"
    assert enquiry.consented_at == enquiry.received_at
    assert list(enquiry.events.values_list("kind", "status")) == [(EnquiryEvent.Kind.STATUS, Status.NEW)]


# In the test's own transaction: a savepoint, one insert each for the enquiry, its topics
# and the first line of its timeline, and the savepoint's release. Nothing is read first,
# and nothing is written for the staff email; outside a test the savepoint is the
# transaction's begin and commit.
SEND_QUERIES = 5


def test_sending_an_enquiry_makes_one_insert_per_thing_it_saves(
    client, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    settings.ENQUIRY_NOTIFY_DURING_REQUEST = False

    with django_assert_max_num_queries(SEND_QUERIES), django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND_URL, valid_form_data())

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert sorted(enquiry.topics.values_list("slug", flat=True)) == ["alcohol", "gambling"]
    assert list(enquiry.events.values_list("kind", flat=True)) == [EnquiryEvent.Kind.STATUS]
    assert list(Enquiry.objects.awaiting_notification()) == [enquiry]


def test_an_enquiry_from_the_website_is_due_in_the_promised_hours_and_found_by_name_and_number(
    client, handler_client, settings, caplog
):
    settings.ENQUIRY_RESPONSE_HOURS = 48

    with caplog.at_level(logging.INFO, logger="enquiries"):
        client.post(SEND_URL, valid_form_data(name="Siobhán", phone="07400 123987"))

    enquiry = Enquiry.objects.get()
    assert enquiry.due_at == enquiry.received_at + timedelta(hours=48)
    assert (enquiry.last_action, enquiry.last_action_at) == ("Received", enquiry.received_at)
    assert f"Enquiry {enquiry.reference} received (status new)" in caplog.messages
    for term in ["siobhan", "123987", enquiry.reference]:
        assert enquiry.reference in handler_client.get(CHANGELIST, {"q": term}).text, term


def test_suspected_spam_is_not_due_for_an_answer(client):
    client.post(SEND_URL, valid_form_data(website="http://spam.example"))

    assert Enquiry.objects.get().due_at is None


def test_thank_you_page_shows_reference_next_steps_and_crisis_numbers(client, settings):
    settings.ENQUIRY_RESPONSE_HOURS = 48

    response = client.post(SEND_URL, valid_form_data(name="Zebedee"), follow=True)

    enquiry = Enquiry.objects.get()
    html = response.text
    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert enquiry.reference in html
    assert "within 48 hours" in html
    assert "116 123" in html
    assert 'href="tel:02079460000"' in html
    assert "Zebedee" not in html
    assert "no-store" in response["Cache-Control"]
    assert "/static/enquiries/enquiry-form.css" in html


@pytest.mark.parametrize("secure", [True, False])
def test_the_reference_cookie_goes_only_to_the_thank_you_page_and_never_to_scripts(client, settings, secure):
    settings.SESSION_COOKIE_SECURE = secure

    response = client.post(SEND_URL, valid_form_data())

    cookie = response.cookies[THANKS_COOKIE]
    assert cookie["path"] == "/enquiries/thanks/"
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"]) == (True, "Lax", secure or "")
    # Gone when the browser closes.
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_a_form_refused_for_its_answers_shows_their_errors_and_no_other_notice(client):
    response = client.post(SEND_URL, valid_form_data(name=""))

    assert response.status_code == 200
    assert "enquiry-notice" not in response.text


def test_thank_you_page_without_a_sent_enquiry_shows_no_reference(client):
    response = client.get(THANKS_URL)

    assert response.status_code == 200
    assert not REFERENCE.search(response.text)
    assert "020 7946 0000" in response.text


def test_thank_you_page_forgets_the_reference_after_an_hour(client):
    client.post(SEND_URL, valid_form_data())
    reference = Enquiry.objects.get().reference
    # The cookie as the browser would hold it an hour and a second later.
    an_hour_ago = time.time() - 60 * 60 - 1
    client.cookies[THANKS_COOKIE] = signing.dumps(
        {"reference": reference, "sent_at": an_hour_ago}, salt=THANKS_COOKIE_SALT
    )

    html = client.get(THANKS_URL).text

    assert reference not in html


def test_thank_you_page_shows_no_reference_from_a_cookie_it_did_not_sign(client):
    client.post(SEND_URL, valid_form_data())
    reference = Enquiry.objects.get().reference
    client.cookies[THANKS_COOKIE] = signing.dumps(
        {"reference": reference, "sent_at": time.time()}, salt="another-purpose"
    )

    assert reference not in client.get(THANKS_URL).text


def test_thank_you_page_answers_a_signed_cookie_of_another_shape_without_a_reference(client):
    """A cookie from an earlier version of the page, signed but holding a list, is read as
    no enquiry, not as a crash."""
    client.cookies[THANKS_COOKIE] = signing.dumps(["ENQ-ABCDEF", time.time()], salt=THANKS_COOKIE_SALT)

    response = client.get(THANKS_URL)

    assert response.status_code == 200
    assert REFERENCE.search(response.text) is None


def test_sending_an_enquiry_starts_no_session(client, settings):
    """The visitor's later pages still come from the page cache, and the database keeps
    nothing of theirs but the enquiry."""
    response = client.post(SEND_URL, valid_form_data(), follow=True)

    assert Enquiry.objects.get().reference in response.text
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


def test_sending_the_same_form_twice_creates_one_enquiry(client):
    data = valid_form_data()

    first = client.post(SEND_URL, data, follow=True)
    second = client.post(SEND_URL, data, follow=True)

    enquiry = Enquiry.objects.get()
    assert enquiry.reference in first.text
    assert enquiry.reference in second.text
    assert list(enquiry.events.values_list("kind", flat=True)) == [EnquiryEvent.Kind.STATUS]


def test_the_same_form_sent_again_with_changes_keeps_them_for_staff(client, handler_client, caplog):
    data = valid_form_data(message="I drink most nights.")
    client.post(SEND_URL, data)
    changed = {
        **data,
        "message": "Please call after 6pm.",
        "phone": "07400 654321",
        "topics": ["drugs", "gambling"],
        "voicemail_safe": "no",
    }

    with caplog.at_level(logging.INFO, logger="enquiries"):
        for _twice in range(2):
            response = client.post(SEND_URL, changed, follow=True)

    enquiry = Enquiry.objects.get()
    assert enquiry.reference in response.text
    assert enquiry.message == "I drink most nights."
    [note] = enquiry.events.filter(kind=EnquiryEvent.Kind.NOTE)
    assert note.author is None
    assert note.text.splitlines() == [
        "Sent again from the same form, with changes. As sent this time:",
        "What to call them: Sam",
        "How to reach them: Phone",
        "Phone: +447400654321",
        "Email: -",
        "Best time to call: Weekday mornings",
        "Safe to leave a voicemail: No",
        "A text is all right: -",
        "Preferred language: -",
        "Who it is for: Myself",
        "Topics: Drugs, Gambling",
        "Message: Please call after 6pm.",
    ]
    # Once, for the sending that changed something; by reference only.
    assert [record.getMessage() for record in caplog.records if "sent again" in record.getMessage()] == [
        f"Enquiry {enquiry.reference} sent again with changes"
    ]
    staff_page = handler_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").text
    assert "Please call after 6pm." in staff_page


def test_the_latest_version_sent_is_always_the_last_on_the_timeline(client):
    data = valid_form_data(message="First words.")
    client.post(SEND_URL, data)
    client.post(SEND_URL, {**data, "message": "Second words."})

    client.post(SEND_URL, data)

    notes = Enquiry.objects.get().events.filter(kind=EnquiryEvent.Kind.NOTE)
    assert [note.text.splitlines()[-1] for note in notes] == [
        "Message: Second words.",
        "Message: First words.",
    ]


def test_the_same_form_token_through_the_service_finds_the_first_enquiry():
    details = {
        "name": "Sam",
        "contact_method": "email",
        "phone": "",
        "email": "sam@example.com",
        "best_time_to_call": "",
        "voicemail_safe": "",
        "text_safe": "",
        "preferred_language": "",
        "enquirer": "myself",
        "topics": ["alcohol"],
        "message": "",
    }

    first = enquiry_submit(details=details, submission_key="same-key")
    second = enquiry_submit(details=details, submission_key="same-key")

    assert (first.created, second.created) == (True, False)
    assert first.enquiry.pk == second.enquiry.pk


def test_a_taken_reference_is_retried(client, monkeypatch):
    client.post(SEND_URL, valid_form_data())
    taken = Enquiry.objects.get().reference
    characters = iter(taken[4:] + "ABCDEF")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(characters))

    client.post(SEND_URL, valid_form_data())

    assert sorted(Enquiry.objects.values_list("reference", flat=True)) == sorted([taken, "ENQ-ABCDEF"])


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_wrong_method_answers_405(client, method):
    assert getattr(client, method)(SEND_URL).status_code == 405


def test_a_body_over_the_upload_limit_answers_400(csrf_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000

    response = csrf_client.post(SEND_URL, valid_form_data(message="x" * 6_000))

    assert response.status_code == 400
    assert "shorten your message" in response.text
    assert settings.CLINIC_PHONE in response.text
    assert Enquiry.objects.count() == 0


def test_missing_csrf_token_keeps_what_was_typed_and_sends_on_the_next_try(csrf_client):
    data = valid_form_data(name="Robin", message="Still here")

    refused = csrf_client.post(SEND_URL, data)

    assert refused.status_code == 403
    assert Enquiry.objects.count() == 0
    html = refused.text
    assert "stopped working after a while" in html
    assert 'value="Robin"' in html and "Still here" in html
    assert 'href="tel:02079460000"' in html
    assert "/static/css/portal.css" in html
    retry = {**data, "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    retry["form_token"] = hidden_value(html, "form_token")
    assert csrf_client.post(SEND_URL, retry).status_code == 302
    assert Enquiry.objects.get().name == "Robin"


def test_a_refused_form_comes_back_with_its_topics_ticked_and_the_trap_field_empty(csrf_client):
    refused = csrf_client.post(
        SEND_URL, valid_form_data(topics=["drugs", "gambling"], website="http://spam.example")
    )

    assert refused.status_code == 403
    ticked = set(
        re.findall(r'<input type="checkbox" name="topics" value="([^"]+)"[^>]* checked', refused.text)
    )
    assert ticked == {"drugs", "gambling"}
    assert "spam.example" not in refused.text


def test_a_refused_form_leaves_unticked_what_was_not_ticked(csrf_client):
    refused = csrf_client.post(SEND_URL, valid_form_data(consent=None, message=None))

    assert refused.status_code == 403
    assert re.search(r'<input type="checkbox" name="consent"[^>]*>', refused.text)
    assert not re.search(r'<input type="checkbox" name="consent"[^>]* checked', refused.text)
    assert re.search(r'<textarea name="message"[^>]*>\s*</textarea>', refused.text)


def test_a_form_refused_after_it_was_sent_is_still_the_same_enquiry_when_sent_again(csrf_client, client):
    """Pressing Send twice, the second press after the page's security check expired: the
    form keeps its own token, so the retry finds the enquiry already sent."""
    data = valid_form_data(name="Robin")
    assert client.post(SEND_URL, data).status_code == 302

    refused = csrf_client.post(SEND_URL, data)
    assert hidden_value(refused.text, "form_token") == data["form_token"]
    retry = {**data, "csrfmiddlewaretoken": hidden_value(refused.text, "csrfmiddlewaretoken")}

    assert csrf_client.post(SEND_URL, retry).status_code == 302
    assert Enquiry.objects.count() == 1


def test_a_refused_form_without_a_genuine_token_gets_one_so_the_retry_is_not_taken_for_spam(csrf_client):
    data = valid_form_data(form_token="not-a-token")

    refused = csrf_client.post(SEND_URL, data)
    retry = {
        **data,
        "csrfmiddlewaretoken": hidden_value(refused.text, "csrfmiddlewaretoken"),
        "form_token": hidden_value(refused.text, "form_token"),
    }

    assert retry["form_token"] != "not-a-token"
    assert csrf_client.post(SEND_URL, retry).status_code == 302
    assert Enquiry.objects.get().status == Status.NEW


def test_stale_csrf_token_from_an_old_page_gets_the_friendly_page(csrf_client, contact_page):
    old_page = csrf_client.get("/contact-us/")
    stale_token = hidden_value(old_page.text, "csrfmiddlewaretoken")
    csrf_client.cookies.clear()
    csrf_client.get("/contact-us/")

    response = csrf_client.post(SEND_URL, valid_form_data(csrfmiddlewaretoken=stale_token[:-4] + "abcd"))

    assert response.status_code == 403
    assert "stopped working after a while" in response.text


def test_csrf_failure_elsewhere_gets_a_page_with_the_phone_number(csrf_client):
    response = csrf_client.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Please try again" in response.text
    assert "020 7946 0000" in response.text


def test_honeypot_filled_in_is_kept_as_spam_and_looks_sent(
    client, mailoutbox, notify_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND_URL, valid_form_data(website="http://spam.example"), follow=True)

    enquiry = Enquiry.objects.get()
    assert (enquiry.status, enquiry.spam_reasons) == (Status.SPAM, "honeypot filled in")
    assert enquiry.reference in response.text
    assert "020 7946 0000" in response.text
    assert mailoutbox == []


def test_form_sent_too_fast_is_kept_as_spam(client, settings):
    settings.ENQUIRY_MIN_FILL_SECONDS = 3

    client.post(SEND_URL, valid_form_data(form_token=form_token(seconds_ago=1)))

    assert Enquiry.objects.get().spam_reasons == "sent too fast"


@pytest.mark.parametrize("token", ["", "forged-token", form_token()[:-3] + "abc"])
def test_form_without_a_genuine_token_is_kept_as_spam(client, token):
    client.post(SEND_URL, valid_form_data(form_token=token))

    assert Enquiry.objects.get().spam_reasons == "missing or forged form token"


def test_every_reason_a_form_looks_sent_by_a_program_is_kept(client):
    client.post(SEND_URL, valid_form_data(website="http://spam.example", form_token="forged-token"))

    assert Enquiry.objects.get().spam_reasons == "honeypot filled in; missing or forged form token"


def test_rate_limited_visitor_is_told_to_call_and_keeps_what_they_typed(client, settings):
    settings.ENQUIRY_RATE_LIMIT_COUNT = 2
    for _ in range(2):
        assert client.post(SEND_URL, valid_form_data()).status_code == 302

    refused = client.post(SEND_URL, valid_form_data(name="Third"))

    assert refused.status_code == 429
    assert "cannot accept another one just now" in refused.text
    assert 'href="tel:02079460000"' in refused.text
    assert 'value="Third"' in refused.text
    assert Enquiry.objects.count() == 2


def test_rate_limit_is_per_address_and_per_ipv6_block(client, settings):
    settings.ENQUIRY_RATE_LIMIT_COUNT = 1
    client.post(SEND_URL, valid_form_data(), REMOTE_ADDR="2001:db8:1:1::1")

    same_block = client.post(SEND_URL, valid_form_data(), REMOTE_ADDR="2001:db8:1:1::2")
    other_block = client.post(SEND_URL, valid_form_data(), REMOTE_ADDR="2001:db8:1:2::1")
    other_address = client.post(SEND_URL, valid_form_data(), REMOTE_ADDR="192.0.2.7")

    assert [same_block.status_code, other_block.status_code, other_address.status_code] == [429, 302, 302]


def test_resending_a_sent_form_is_not_rate_limited(client, settings):
    settings.ENQUIRY_RATE_LIMIT_COUNT = 1
    data = valid_form_data()
    client.post(SEND_URL, data)

    assert client.post(SEND_URL, data).status_code == 302


@pytest.mark.parametrize("mail_server", ["answering", "failing"])
def test_no_personal_data_in_addresses_or_logs(
    client, caplog, mailoutbox, notify_staff, settings, django_capture_on_commit_callbacks, mail_server
):
    if mail_server == "failing":
        settings.EMAIL_BACKEND = "tests.enquiries.failing_email_backend.EmailBackend"
    data = valid_form_data(name="Zebedee", email="zebedee@example.com", message="private words")
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND_URL, data, follow=True)

    enquiry = Enquiry.objects.get()
    # The notification path ran, and logged what it did.
    assert (enquiry.staff_notified_at is not None, len(mailoutbox)) == (
        (True, 1) if mail_server == "answering" else (False, 0)
    )
    assert enquiry.notification_attempts == 1
    addresses = " ".join(url for url, _status in response.redirect_chain)
    for secret in ["Zebedee", "zebedee", "7400123456", "private words"]:
        assert secret not in addresses
        assert secret not in caplog.text
    assert enquiry.reference in caplog.text
