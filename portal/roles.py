"""The "Clinic administrators" role: staff who look after other staff's accounts and roles.

They add, change and deactivate staff accounts and put people in groups, and see which groups
exist. They do not edit what a group may do (the setup commands define that, and reset it when
run again), make superusers, give a person permissions one by one, or change their own account's
roles: so they cannot give themselves anything, enquiries least of all.
"""

from django.contrib.auth.models import Group, Permission

CLINIC_ADMINISTRATORS_GROUP = "Clinic administrators"
CLINIC_ADMINISTRATOR_PERMISSIONS = ["add_user", "change_user", "view_user", "view_group"]


def ensure_clinic_administrators_group():
    """The group with exactly its permissions, however often this runs."""
    group, _created = Group.objects.get_or_create(name=CLINIC_ADMINISTRATORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=CLINIC_ADMINISTRATOR_PERMISSIONS
        )
    )
    return group
