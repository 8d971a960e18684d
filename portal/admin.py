"""Staff accounts in the admin, with the limits that keep the clinic administrators' role
from granting itself more (see portal.roles); and the base for the admin's read-only lists."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()

# Only a superuser gives these; nobody changes them on their own account.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
OWN_ACCOUNT_FIXED_FIELDS = ("is_staff", "is_active", "groups")

admin.site.unregister(User)

# Staff screens carry the clinic's name, not Django's.
admin.site.site_header = f"{settings.SITE_NAME} staff"
admin.site.site_title = f"{settings.SITE_NAME} staff"
admin.site.index_title = f"{settings.SITE_NAME} staff"


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read: nobody adds, changes or deletes through it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += SUPERUSER_ONLY_FIELDS
            if obj is not None and obj.pk == request.user.pk:
                readonly += OWN_ACCOUNT_FIXED_FIELDS
        return readonly

    def has_change_permission(self, request, obj=None):
        """A superuser's account is changed only by a superuser."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
