"""How the desk's search forgives: accents, apostrophe style and case in names, and spaces
or a +44 prefix in phone numbers. The same normalised text is stored on each enquiry and
made from what a handler types, so every database matches the same way."""

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.db.models import Q

APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4"
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")
# Fewer digits than this would match half the desk.
PHONE_DIGITS_MIN = 3


def normalised(text):
    """`Siobhán O\u2019Néill` → `siobhan oneill`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    plain = plain.translate({ord(mark): None for mark in APOSTROPHES})
    return " ".join(plain.casefold().split())


def enquiry_search_text(*, reference, name, email):
    return normalised(" ".join(part for part in (reference, name, email) if part))


def phone_digits(phone):
    """The digits as a handler dials them: `07400123456` for a UK number, the full
    international digits otherwise."""
    if not phone:
        return ""
    number = phone if isinstance(phone, phonenumbers.PhoneNumber) else phonenumbers.parse(str(phone), None)
    dialled = phonenumbers.format_out_of_country_calling_number(number, settings.PHONENUMBER_DEFAULT_REGION)
    return re.sub(r"\D", "", dialled)


def _typed_digits(term):
    """A typed (part of a) number in the stored form: `+44 7400 88` → `0740088`."""
    digits = re.sub(r"\D", "", term)
    international = term.strip().startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("00")
    if international and digits.startswith("44"):
        return "0" + digits[2:]
    return digits


def search_filter(term):
    """A filter for what a handler typed: a run of phone digits, or words that must all
    appear in one enquiry's reference, name or email. None when there is nothing to look for."""
    term = term.strip()
    if PHONE_LIKE.match(term):
        digits = _typed_digits(term)
        if len(digits) >= PHONE_DIGITS_MIN:
            return Q(phone_digits__contains=digits)
    words = normalised(term).split()
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition
