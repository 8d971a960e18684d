"""
The crisis support box: the numbers every page shows to someone who may need help now.

Staff keep it in one static alias, edited and published like a page. It can be changed but
never taken away: djangocms-versioning refuses to unpublish it, or to publish a version of it
with no text, and says why. Should it still have no published text (a new database, say),
pages show the built-in box instead, so visitors always see the numbers.
"""

import re

from django.utils.html import strip_tags
from djangocms_alias.models import Alias, AliasContent
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.models import Version

from portal.models import LabelledPlugin

CRISIS_SUPPORT_ALIAS = "crisis-support"
UNPUBLISH_REFUSED = (
    "The crisis support box cannot be unpublished: every page shows it to people who may need "
    "help now. To change the numbers, edit a new draft of it and publish that instead."
)
EMPTY_REFUSED = (
    "The crisis support box cannot be published empty: every page shows it to people who may need "
    "help now. Put the numbers back in before you publish."
)
# Editing markup django CMS adds around content in edit mode: scripts and templates.
_EDITING_MARKUP = re.compile(r"<(script|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


def crisis_support_alias():
    return Alias.objects.filter(static_code=CRISIS_SUPPORT_ALIAS, site__isnull=True).first()


def is_crisis_support(content):
    return isinstance(content, AliasContent) and content.alias.static_code == CRISIS_SUPPORT_ALIAS


def visible_text(html):
    """The words a visitor would read in rendered HTML."""
    return " ".join(strip_tags(_EDITING_MARKUP.sub("", html)).split())


def has_text(alias_content):
    """Whether any plugin of this version of the box holds words."""
    plugins = alias_content.placeholder.get_plugins(alias_content.language)
    for plugin in plugins:
        instance, _plugin_class = plugin.get_plugin_instance()
        if isinstance(instance, LabelledPlugin):
            # A list or a form: its label describes it, its words are in its children.
            continue
        if instance is not None and visible_text(getattr(instance, "body", "") or str(instance)):
            return True
    return False


def refuse_unpublishing(version, user):
    if is_crisis_support(version.content):
        raise ConditionFailed(UNPUBLISH_REFUSED)


def refuse_publishing_empty(version, user):
    if is_crisis_support(version.content) and not has_text(version.content):
        raise ConditionFailed(EMPTY_REFUSED)


def guard_versioning():
    """Add the box's two refusals to the checks djangocms-versioning runs before it
    unpublishes or publishes anything (its admin, its toolbar and code alike)."""
    if refuse_unpublishing not in Version.check_unpublish:
        Version.check_unpublish += [refuse_unpublishing]
    if refuse_publishing_empty not in Version.check_publish:
        Version.check_publish += [refuse_publishing_empty]


def editable_version():
    """The version an editor opens to change the box: its draft, or else the published one
    (which djangocms-versioning copies to a new draft when it is opened)."""
    alias = crisis_support_alias()
    if alias is None:
        return None
    versions = Version.objects.filter_by_grouper(alias).filter(state__in=[DRAFT, PUBLISHED])
    return min(versions, key=lambda version: version.state != DRAFT, default=None)
