"""
The "Content editors" group: clinic staff who write, preview, compare, publish and revert
pages, without being superusers.

djangocms-versioning checks the version models' own permissions on top of django CMS's
page and plugin permissions, and each plugin type needs the permissions of its model, so
the list is longer than it looks like it should be.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CONTENT_EDITORS_GROUP = "Content editors"

EDIT = ("add", "change", "delete", "view")
EDITOR_PERMISSIONS = {
    "cms": {
        "page": ("add", "change", "view", "publish"),
        "cmsplugin": EDIT,
        "structure": ("use",),
    },
    # The plugins with no settings of their own: lists, the FAQ index, the enquiry form.
    "portal": {"labelledplugin": EDIT},
    "djangocms_versioning": {
        "version": ("add", "change", "view"),
        "pagecontentversion": ("add", "change", "view"),
        "aliascontentversion": ("add", "change", "view"),
        "versionlock": ("delete",),
    },
    "djangocms_alias": {
        "alias": ("change", "view"),
        "aliascontent": ("add", "change", "view"),
        "category": ("view",),
    },
    "djangocms_text": {"text": EDIT},
    "therapy_pages": {
        "section": EDIT,
        "titledpoint": EDIT,
        "faqentry": EDIT,
        "calltoaction": EDIT,
        "image": EDIT,
        "pagereview": ("add", "change", "view"),
        "pagereviewdue": ("view",),
        "publicationschedule": ("view",),
    },
    "filer": {
        "folder": ("add", "change", "view", "can_use_directory_listing"),
        "file": ("add", "change", "view"),
        "image": ("add", "change", "view"),
        "clipboard": EDIT,
        "clipboarditem": EDIT,
    },
}


def _codename(action, model):
    # A few permissions are named as a verb on their own, not "<action>_<model>".
    return action if action == "can_use_directory_listing" else f"{action}_{model}"


def editor_permissions():
    wanted = Q(pk__in=[])
    for app_label, models in EDITOR_PERMISSIONS.items():
        codenames = [_codename(action, model) for model, actions in models.items() for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(wanted)


def ensure_content_editors_group():
    """Create the group if needed and give it exactly the editing permissions."""
    group, _created = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    group.permissions.set(editor_permissions())
    return group


CLINICAL_REVIEWERS_GROUP = "Clinical reviewers"
# Clinical reviewers read drafts (preview, compare, the version list) and decide on the
# changes waiting for them; they edit nothing and publish only what they approve.
CLINICAL_REVIEWER_PERMISSIONS = {
    "cms": ("view_page",),
    "djangocms_versioning": ("view_version", "view_pagecontentversion"),
    "therapy_pages": (
        "view_clinicalreview",
        "decide_clinicalreview",
        "view_changeawaitingreview",
        "view_pagereviewdue",
    ),
}


def ensure_clinical_reviewers_group():
    """Create the "Clinical reviewers" group if needed, with exactly its permissions."""
    wanted = Q(pk__in=[])
    for app_label, codenames in CLINICAL_REVIEWER_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group, _created = Group.objects.get_or_create(name=CLINICAL_REVIEWERS_GROUP)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
