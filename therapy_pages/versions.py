"""Putting an earlier version back in front of visitors in one step."""

from django.db import transaction
from djangocms_versioning.constants import DRAFT
from djangocms_versioning.models import Version


class DraftInTheWay(Exception):
    """A draft exists, and the editor has not said what becomes of it."""


@transaction.atomic
def publish_earlier_version(version, user, *, draft_action=None):
    """Copy `version` and publish the copy; returns the new, published version.

    An existing draft is archived or discarded first, as `draft_action` says ("archive",
    "discard"). Runs the same checks as django CMS's revert and publish (ConditionFailed
    says why not), and publishing raises the page cache generation and updates the search
    index as any publish does."""
    version.check_revert(user)
    pks = version.versionable.for_content_grouping_values(version.content).values_list("pk", flat=True)
    draft = Version.objects.filter(object_id__in=pks, content_type=version.content_type, state=DRAFT).first()
    if draft is not None:
        if draft_action == "archive":
            draft.archive(user)
        elif draft_action == "discard":
            draft.delete()
        else:
            raise DraftInTheWay
    copy = version.copy(user)
    copy.check_publish(user)
    copy.publish(user)
    return copy
