from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import CompleteCredentialAuthenticationView, CompleteCredentialRegistrationView

from portal.staff_access import services


class LockedOut(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "locked_out"
    default_detail = "Too many failed attempts. Reload the page for what to do next."


@method_decorator(never_cache, name="dispatch")
class CompletePasskeySignInView(CompleteCredentialAuthenticationView):
    """The passkey step of sign-in: refused while locked out, and a failure counts."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if services.is_locked_out(request):
            services.end_locked_out_session(request)
            raise LockedOut()

    def complete_auth(self, device):
        services.second_factor_passed(self.request, device)

    def handle_exception(self, exc):
        counts = isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(exc, LockedOut)
        if counts and self.request.user.is_authenticated and services.second_factor_failed(self.request):
            return JsonResponse(
                {"detail": LockedOut.default_detail, "code": LockedOut.default_code}, status=429
            )
        return super().handle_exception(exc)


@method_decorator(never_cache, name="dispatch")
class CompletePasskeyRegistrationView(CompleteCredentialRegistrationView):
    """Registering a first passkey also passes the second factor for this session."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            services.second_factor_passed(self.request, self.request.user.otp_device)
        return response
