"""The version lists in words: named after what they hold ("Page versions", not "Page content
versions"), and their Publish and Unpublish saying why when they cannot be used on a version
(a draft is not on the site yet, the crisis support box is never taken off, a page with an
unanswered question is not published yet).

djangocms-versioning makes one version model and admin per versioned model while django CMS
starts; once it has, `explain_version_actions` names each and registers its admin again with
the explanations added."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.text import format_lazy
from djangocms_versioning.admin import VersionAdmin
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.exceptions import ConditionFailed

DRAFT_NOT_ON_THE_SITE = (
    "Unpublish takes a published version off the site. This draft is not on the site yet; "
    "discard it if it is not wanted."
)


def refusal(check, version, user):
    """Why djangocms-versioning's `check` refuses `user` this version, or None if it allows it."""
    try:
        check(user)
    except ConditionFailed as refused:
        return str(refused)
    return None


def unpublish_unavailable_reason(version, user):
    if version.state == DRAFT:
        return DRAFT_NOT_ON_THE_SITE
    if version.state == PUBLISHED:
        return refusal(version.check_unpublish, version, user)
    return None


def publish_unavailable_reason(version, user):
    if version.can_be_published():
        return refusal(version.check_publish, version, user)
    return None


def unavailable_action(version, name, title, reason):
    return render_to_string(
        "djangocms_versioning/admin/icons/unavailable.html",
        {"version": version, "name": name, "icon": name, "title": title, "reason": reason},
    )


class ExplainedVersionActions:
    """Publish and Unpublish greyed out with the reason beside them, where they cannot be used."""

    def _get_publish_link(self, obj, request):
        reason = publish_unavailable_reason(obj, request.user)
        if reason is None:
            return super()._get_publish_link(obj, request)
        return unavailable_action(obj, "publish", "Publish", reason)

    def _get_unpublish_link(self, obj, request, disabled=False):
        reason = unpublish_unavailable_reason(obj, request.user)
        if reason is None:
            return super()._get_unpublish_link(obj, request, disabled)
        return unavailable_action(obj, "unpublish", "Unpublish", reason)


def explain_version_actions(site=admin.site):
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        if isinstance(model_admin, VersionAdmin) and not isinstance(model_admin, ExplainedVersionActions):
            # Named by djangocms-versioning from its class name, as "page content version".
            content_name = model._source_model._meta.verbose_name
            model._meta.verbose_name = format_lazy("{} version", content_name)
            model._meta.verbose_name_plural = format_lazy("{} versions", content_name)
            site.unregister(model)
            site.register(
                model, type(f"Explained{admin_class.__name__}", (ExplainedVersionActions, admin_class), {})
            )
