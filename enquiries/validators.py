"""Refuse text that hides what it says: control characters, direction overrides, answers
made only of invisible characters, and text that did not arrive intact."""

import unicodedata

from django.core.exceptions import ValidationError

# Control characters a person can type into a multi-line box.
LINE_BREAKS_AND_TABS = frozenset({"\n", "\r", "\t"})
# Joiners are part of how some scripts (Persian, Hindi) and emoji are written, so they
# may appear inside visible text; every other format character is refused.
JOINERS = frozenset({"\u200c", "\u200d"})

HIDDEN_CHARACTERS_MESSAGE = "Remove the hidden or control characters from this answer."
NOTHING_VISIBLE_MESSAGE = "Enter something we can read."
# Django reads a form body that is not valid UTF-8 with U+FFFD in place of each bad byte:
# what the person wrote is already lost, so they are asked to write it again.
REPLACEMENT_CHARACTER = "\ufffd"
UNREADABLE_MESSAGE = (
    "Some characters in this answer did not reach us and show as \ufffd. Type the answer again "
    "rather than pasting it."
)


def _is_hidden(character, *, allowed):
    if character in allowed:
        return False
    category = unicodedata.category(character)
    # Cc control, Cf format (bidi overrides, zero-width space), Cs surrogate, Co private
    # use, Cn unassigned.
    return category in {"Cc", "Cf", "Cs", "Co", "Cn"}


def _is_visible(character):
    # Joiners, the only format characters a single line keeps, are invisible on their own.
    return not (character.isspace() or unicodedata.category(character) == "Cf")


def _refuse_unreadable(value):
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(UNREADABLE_MESSAGE)


def validate_single_line_text(value):
    _refuse_unreadable(value)
    if any(_is_hidden(character, allowed=JOINERS) for character in value):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE)
    if value and not any(_is_visible(character) for character in value):
        raise ValidationError(NOTHING_VISIBLE_MESSAGE)


def validate_multi_line_text(value):
    _refuse_unreadable(value)
    if any(_is_hidden(character, allowed=JOINERS | LINE_BREAKS_AND_TABS) for character in value):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE)
