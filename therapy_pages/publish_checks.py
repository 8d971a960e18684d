"""What must be true of a therapy page before djangocms-versioning lets anyone publish it.

The create wizard adds each question with an empty answer for the editor to write on the
page; a question with no answer must never reach visitors (or the FAQ index, or search
engines' FAQPage data)."""

from cms.models import PageContent
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.models import Version

from therapy_pages.models import FaqEntry


def unanswered_questions(page_content):
    entries = FaqEntry.objects.filter(
        placeholder__in=page_content.get_placeholders(), language=page_content.language
    ).order_by("placeholder_id", "position")
    return [entry.question for entry in entries if not entry.answer_text]


def refuse_unanswered_questions(version, user):
    if not isinstance(version.content, PageContent):
        return
    questions = unanswered_questions(version.content)
    if len(questions) == 1:
        raise ConditionFailed(
            f"This page cannot be published yet: the question “{questions[0]}” has no answer. "
            "Double-click the question on the page, write its answer, then publish."
        )
    if questions:
        listed = "; ".join(f"“{question}”" for question in questions)
        raise ConditionFailed(
            f"This page cannot be published yet: {len(questions)} questions have no answer ({listed}). "
            "Double-click each question on the page, write its answer, then publish."
        )


def guard_versioning():
    """Add the check to those djangocms-versioning runs before any publish (its admin, its
    toolbar and code alike)."""
    if refuse_unanswered_questions not in Version.check_publish:
        Version.check_publish += [refuse_unanswered_questions]
