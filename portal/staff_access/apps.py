from django.apps import AppConfig


class StaffAccessConfig(AppConfig):
    name = "portal.staff_access"
    label = "staff_access"
    verbose_name = "Staff sign-in"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.staff_access.services import start_staff_session

        user_logged_in.connect(start_staff_session, dispatch_uid="staff_access.start_staff_session")
