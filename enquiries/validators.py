"""Refuse text that hides what it says: control characters, direction overrides, and
answers made only of invisible characters."""

import unicodedata

from django.core.exceptions import ValidationError

# Control characters a person can type into a multi-line box.
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
# Joiners are part of how some scripts (Persian, Hindi) and emoji are written, so they
# may appear inside visible text; every other format character is refused.
JOINERS = frozenset("\u200c\u200d")

HIDDEN_CHARACTERS_MESSAGE = "Remove the hidden or control characters from this answer."
NOTHING_VISIBLE_MESSAGE = "Enter something we can read."


def _is_hidden(character, *, allowed):
    if character in allowed:
        return False
    category = unicodedata.category(character)
    # Cc control, Cf format (bidi overrides, zero-width space), Cs surrogate, Co private
    # use, Cn unassigned.
    return category in {"Cc", "Cf", "Cs", "Co", "Cn"}


def _is_visible(character):
    return not (character.isspace() or character in JOINERS or unicodedata.category(character) == "Cf")


def validate_single_line_text(value):
    if any(_is_hidden(character, allowed=JOINERS) for character in value):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
    if value and not any(_is_visible(character) for character in value):
        raise ValidationError(NOTHING_VISIBLE_MESSAGE, code="nothing_visible")


def validate_multi_line_text(value):
    if any(_is_hidden(character, allowed=JOINERS | LINE_BREAKS_AND_TABS) for character in value):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE, code="hidden_characters")
