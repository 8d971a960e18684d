import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from portal.staff_access.services import SEEN_AT, SIGNED_IN_AT, has_second_factor

# How often a staff member's activity is written to their session: often enough for the
# idle limit, rarely enough that browsing does not write on every request.
SEEN_AT_RESOLUTION_SECONDS = 60


class StaffSessionLifetimeMiddleware:
    """End a signed-in session after STAFF_IDLE_MINUTES without a request, or
    STAFF_SESSION_HOURS after sign-in, and say why on the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended_because = self.ended_because(request.session)
            if ended_because:
                logout(request)
                messages.info(request, ended_because)
                return redirect_to_sign_in(request)
            self.note_activity(request.session)
        elif SESSION_KEY in request.session:
            # Signed in once, but the user is gone or deactivated: nothing to keep.
            request.session.flush()
        return self.get_response(request)

    @staticmethod
    def ended_because(session):
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT, 0)
        if now - signed_in_at > settings.STAFF_SESSION_HOURS * 3600:
            return f"You were signed out {settings.STAFF_SESSION_HOURS} hours after signing in. Please sign in again."  # noqa: E501
        if now - session.get(SEEN_AT, signed_in_at) > settings.STAFF_IDLE_MINUTES * 60:
            return (
                f"You were signed out after {settings.STAFF_IDLE_MINUTES} minutes without activity. "
                "Please sign in again."
            )
        return None

    @staticmethod
    def note_activity(session):
        now = time.time()
        if now - session.get(SEEN_AT, 0) >= SEEN_AT_RESOLUTION_SECONDS:
            session[SEEN_AT] = now


class SecondFactorRequiredMiddleware:
    """Answer a signed-in user who has not passed the second factor with the second-factor
    step, whatever they asked for: the password alone opens nothing else.

    With STAFF_REQUIRE_2FA off (development only), users without a second factor pass;
    users who have one are still asked for it.
    """

    # Views an unverified user may reach: the second-factor step itself and signing out.
    OPEN_NAMESPACES = {"staff_access", "otp_webauthn"}
    OPEN_URL_NAMES = {"admin:logout", "admin:jsi18n"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        unverified = user.is_authenticated and not user.is_verified()
        if unverified and self.second_factor_due(request) and not self.is_open(request.path_info):
            return redirect_with_next(request, "staff_access:verify")
        return self.get_response(request)

    @staticmethod
    def second_factor_due(request):
        return settings.STAFF_REQUIRE_2FA or has_second_factor(request)

    def is_open(self, path):
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return bool(set(match.namespaces) & self.OPEN_NAMESPACES) or match.view_name in self.OPEN_URL_NAMES


def redirect_with_next(request, url_name):
    return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


def redirect_to_sign_in(request):
    return redirect_with_next(request, settings.LOGIN_URL)
