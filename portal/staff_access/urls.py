from django.urls import path

from portal.staff_access import views

app_name = "staff_access"

urlpatterns = [
    path("", views.methods, name="methods"),
    path("verify/", views.verify, name="verify"),
    path("authenticator-app/", views.authenticator_app, name="authenticator-app"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
]
