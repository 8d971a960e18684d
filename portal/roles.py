"""The "Clinic administrators" role: staff who look after other staff's accounts and roles.

They add, change and deactivate staff accounts and put people in groups, see which groups
exist, and read the audit list of who opened, changed or exported which enquiry (references
and actions only, never what an enquiry says). They do not edit what a group may do (the setup
commands define that, and reset it when run again), make superusers, give a person permissions
one by one, or change their own account's roles: so they cannot give themselves anything,
enquiries least of all.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CLINIC_ADMINISTRATORS_GROUP = "Clinic administrators"
CLINIC_ADMINISTRATOR_PERMISSIONS = {
    "auth": ["add_user", "change_user", "view_user", "view_group"],
    "enquiries": ["view_auditentry"],
}


def ensure_clinic_administrators_group():
    """The group with exactly its permissions, however often this runs."""
    group, _created = Group.objects.get_or_create(name=CLINIC_ADMINISTRATORS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, codenames in CLINIC_ADMINISTRATOR_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
