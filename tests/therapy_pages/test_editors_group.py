import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from therapy_pages.editors import CONTENT_EDITORS_GROUP, EDITOR_PERMISSIONS, editor_permissions

pytestmark = pytest.mark.django_db


def permission_names(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_loader_creates_the_group_with_every_listed_permission(site_content):
    group = Group.objects.get(name=CONTENT_EDITORS_GROUP)

    listed = sum(len(actions) for models in EDITOR_PERMISSIONS.values() for actions in models.values())
    assert group.permissions.count() == listed
    assert ("therapy_pages", "change_faqentry") in permission_names(group)
    assert ("djangocms_versioning", "change_pagecontentversion") in permission_names(group)
    assert ("cms", "use_structure") in permission_names(group)


def test_group_gives_no_power_over_users_or_permissions(site_content):
    names = {codename for _app, codename in permission_names(Group.objects.get(name=CONTENT_EDITORS_GROUP))}

    assert not any(
        name.endswith(("_user", "_group", "_permission", "_pageuser", "_pageusergroup")) for name in names
    )
    assert "delete_page" not in names


def test_loader_puts_back_exactly_the_editing_permissions(site_content):
    group = Group.objects.get(name=CONTENT_EDITORS_GROUP)
    group.permissions.clear()

    call_command("load_site_content", verbosity=0)

    assert set(group.permissions.all()) == set(editor_permissions())


def test_editor_is_staff_but_not_superuser(content_editor):
    assert content_editor.is_staff
    assert not content_editor.is_superuser
    assert content_editor.has_perm("therapy_pages.change_faqentry")
    assert content_editor.has_perm("djangocms_versioning.change_pagecontentversion")
    assert not content_editor.has_perm("auth.change_user")
