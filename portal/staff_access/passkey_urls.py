"""django-otp-webauthn's passkey endpoints, with sign-in through a passkey counted for
lockout like any other second factor. Kept in the package's namespace, which its
template tags and scripts look up."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import BeginCredentialAuthenticationView, BeginCredentialRegistrationView

from portal.staff_access.passkeys import CompletePasskeyRegistrationView, CompletePasskeySignInView

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/", BeginCredentialRegistrationView.as_view(), name="credential-registration-begin"
    ),
    path(
        "registration/complete/",
        CompletePasskeyRegistrationView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompletePasskeySignInView.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
