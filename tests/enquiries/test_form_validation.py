"""Every bad answer gets a plain message beside its field, and nothing is saved."""

from urllib.parse import urlencode

import pytest

from enquiries.models import Enquiry
from tests.enquiries.conftest import form_token, valid_form_data

pytestmark = pytest.mark.django_db

SEND_URL = "/enquiries/send/"
HIDDEN_CHARACTERS = "Remove the hidden or control characters from this answer."


def send(client, **overrides):
    return client.post(SEND_URL, valid_form_data(**overrides))


def assert_refused(response, field, message):
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    html = response.text
    assert f'id="id_{field}_error"' in html
    assert message in html
    # Listed in the summary at the top, linked to the field.
    assert f'<a href="#id_{field}' in html


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 100),
        ("email", 254),
        ("best_time_to_call", 100),
        ("message", 2000),
        ("phone", 32),
        ("preferred_language", 50),
    ],
)
def test_each_text_field_has_a_length_limit(client, field, limit):
    too_long = {
        "email": "a" * (limit - 11) + "@example.com",
        "phone": "0" * (limit + 1),
    }.get(field, "x" * (limit + 1))

    overrides = {"contact_method": "either", "email": "sam@example.com", field: too_long}
    response = send(client, **overrides)

    assert_refused(response, field, f"Use {limit:,} characters or fewer")


def test_text_at_the_limit_is_accepted(client):
    response = send(client, name="n" * 100, best_time_to_call="b" * 100, message="m" * 2000)

    assert response.status_code == 302
    assert Enquiry.objects.get().message == "m" * 2000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Sam\x00"),
        ("name", "Sam\u202egnp.exe"),
        ("name", "\u200b\u200b"),
        # A tab or line break belongs in the message, not in a one-line answer.
        ("name", "Sam\tSmith"),
        ("best_time_to_call", "mornings\r\nevenings"),
        ("best_time_to_call", "mornings\u2066"),
        # Private use and unassigned characters show as nothing, or as a box.
        ("name", "Sam\ue000"),
        ("preferred_language", "Polish\u0378"),
        ("message", "Hello\x07 there"),
        ("message", "right-to-left \u202e override"),
        ("message", "zero\ufeffwidth"),
        ("message", "private \U000f0000 use"),
    ],
)
def test_hidden_and_control_characters_are_refused(client, field, value):
    assert_refused(send(client, **{field: value}), field, HIDDEN_CHARACTERS)


def test_a_name_made_only_of_joiners_is_refused(client):
    assert_refused(send(client, name="\u200d\u200c"), "name", "Enter something we can read.")


def test_line_breaks_in_the_message_and_joiners_in_visible_names_are_kept(client):
    send(client, name="\u0645\u0647\u200c\u0633\u0627", message="First line\r\nSecond line\tindented")

    enquiry = Enquiry.objects.get()
    assert enquiry.name == "\u0645\u0647\u200c\u0633\u0627"
    assert enquiry.message == "First line\r\nSecond line\tindented"


def test_name_is_required(client):
    assert_refused(send(client, name="   "), "name", "Enter what we should call you")


@pytest.mark.parametrize("phone", ["12345", "not a phone", "07400 12345", "+999 123"])
def test_bad_phone_number_is_refused(client, phone):
    assert_refused(send(client, phone=phone), "phone", "Enter a phone number we can call")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07400 123456", "+447400123456"),
        ("+33 1 42 68 53 00", "+33142685300"),
        ("020 7946 0000", "+442079460000"),
    ],
)
def test_phone_number_is_stored_in_international_form(client, typed, stored):
    send(client, phone=typed)

    assert str(Enquiry.objects.get().phone) == stored


@pytest.mark.parametrize("email", ["sam", "sam@", "sam@example", "sam example@example.com"])
def test_bad_email_is_refused(client, email):
    assert_refused(
        send(client, contact_method="email", phone="", email=email), "email", "Enter an email address like"
    )


ASK_FOR_PHONE = "Enter a phone number, or choose to be contacted by email."
ASK_FOR_EMAIL = "Enter an email address, or choose to be contacted by phone."


@pytest.mark.parametrize(
    ("method", "phone", "email", "missing", "message"),
    [
        ("phone", "", "sam@example.com", "phone", ASK_FOR_PHONE),
        ("email", "07400 123456", "", "email", ASK_FOR_EMAIL),
        ("either", "", "sam@example.com", "phone", ASK_FOR_PHONE),
        ("either", "07400 123456", "", "email", ASK_FOR_EMAIL),
    ],
)
def test_the_chosen_way_to_reach_you_is_required(client, method, phone, email, missing, message):
    response = send(client, contact_method=method, phone=phone, email=email)

    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    assert (
        f'<p class="enquiry-field__error" id="id_{missing}_error">'
        f'<span class="visually-hidden">Error: </span>{message}</p>'
    ) in response.text


def test_email_only_needs_no_phone(client):
    send(client, contact_method="email", phone="", email="sam@example.com", best_time_to_call="")

    enquiry = Enquiry.objects.get()
    assert (enquiry.email, enquiry.phone) == ("sam@example.com", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_method", None, "Choose how we should contact you."),
        ("contact_method", "pigeon", "Select a valid choice"),
        ("enquirer", None, "Choose who you are asking about."),
        ("topics", None, "Choose at least one"),
        ("topics", ["alcohol", "knitting"], "Choose from the list."),
    ],
)
def test_choices_must_be_made_from_the_list(client, field, value, message):
    response = client.post(SEND_URL, valid_form_data(**{field: value}) if value else _without(field))

    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    assert message in response.text
    assert f'<a href="#id_{field}_0">' in response.text


def test_consent_must_be_ticked(client):
    response = client.post(SEND_URL, _without("consent"))

    assert_refused(response, "consent", "Tick the box so that we can use what you have written")


def test_several_topics_are_kept(client):
    send(client, topics=["drugs", "another_behaviour", "not_sure"])

    assert sorted(Enquiry.objects.get().topics.values_list("slug", flat=True)) == [
        "another_behaviour",
        "drugs",
        "not_sure",
    ]


def test_errors_are_announced_and_tied_to_their_fields(client):
    html = send(client, name="", phone="123").text

    assert "<title>Error: Contact us" in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true" aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true" aria-describedby="id_phone_helptext id_phone_error"' in html
    # What was typed is still there to correct.
    assert 'value="123"' in html
    assert "I would like to talk about my drinking." in html
    assert "/static/css/portal.css" in html


def _without(field):
    data = valid_form_data()
    data.pop(field)
    return data


def raw_form_body(**raw_fields):
    """A valid form, url-encoded, with some fields replaced by raw bytes as a client sent them."""
    body = urlencode(valid_form_data(), doseq=True).encode()
    for name, raw in raw_fields.items():
        prefix = f"{name}=".encode()
        start = body.index(prefix) + len(prefix)
        end = body.find(b"&", start)
        body = body[:start] + raw + (body[end:] if end != -1 else b"")
    return body


UNREADABLE = "did not reach us"


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("name", b"Sam%FF%FE"),
        ("name", b"Sam\xc3("),
        ("best_time_to_call", b"mornings%C0%AF"),
        ("message", b"I need %ED%A0%80help"),
    ],
)
def test_invalid_utf8_is_refused_beside_its_field(client, field, raw):
    response = client.generic(
        "POST", SEND_URL, raw_form_body(**{field: raw}), content_type="application/x-www-form-urlencoded"
    )

    assert_refused(response, field, UNREADABLE)


@pytest.mark.parametrize("field", ["name", "best_time_to_call", "message"])
def test_a_replacement_character_is_refused(client, field):
    assert_refused(send(client, **{field: "Sam \ufffd"}), field, UNREADABLE)


def test_other_answers_stay_intact_beside_a_field_that_was_not_utf8(client):
    body = raw_form_body(best_time_to_call="après 18h".encode(), message=b"Hello \xff")

    response = client.generic("POST", SEND_URL, body, content_type="application/x-www-form-urlencoded")

    assert_refused(response, "message", UNREADABLE)
    assert 'value="après 18h"' in response.text
    assert 'id="id_best_time_to_call_error"' not in response.text


@pytest.mark.parametrize("field", ["voicemail_safe", "text_safe"])
def test_a_safe_contact_answer_must_be_yes_or_no(client, field):
    assert_refused(send(client, **{field: "maybe"}), field, "Choose Yes or No.")


def test_safe_contact_answers_are_saved_and_optional(client):
    assert send(client, voicemail_safe="no", text_safe="yes", preferred_language="Welsh").status_code == 302
    assert send(client, form_token=form_token()).status_code == 302

    answered, unanswered = Enquiry.objects.order_by("pk")
    assert (answered.voicemail_safe, answered.text_safe, answered.preferred_language) == (
        "no",
        "yes",
        "Welsh",
    )
    assert (unanswered.voicemail_safe, unanswered.text_safe, unanswered.preferred_language) == ("", "", "")


def test_the_form_asks_about_voicemail_texts_and_language_in_plain_words(client, contact_page):
    html = client.get("/contact-us/").text

    assert "Is it safe for us to leave a voicemail that says who we are?" in html
    assert "Can we send you a text message?" in html
    assert "a language other than English" in html
    assert "and how it is safe to contact me" in html
