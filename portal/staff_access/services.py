"""What a staff sign-in goes through: session clocks, second-factor devices, lockout."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.client_address import client_address

SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"
# Set at sign-in, so the check on every request costs no query.
HAS_SECOND_FACTOR = "staff_has_second_factor"
BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"


def start_staff_session(sender, request, user, **kwargs):
    """Start the clocks that end a session, and note whether the user has a second factor."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[HAS_SECOND_FACTOR] = user_has_device(user)


def has_second_factor(request):
    return request.session.get(HAS_SECOND_FACTOR, False)


def second_factor_passed(request, device):
    """Mark the session as having passed the second factor, and forgive earlier failures."""
    otp_login(request, device)
    request.session[HAS_SECOND_FACTOR] = True
    # A new session key, so a key seen before the second factor is worth nothing after it.
    request.session.cycle_key()
    AxesProxyHandler.reset_attempts(ip_address=client_address(request), username=request.user.get_username())


def is_locked_out(request):
    """True if this user, from this address, has failed too often (django-axes)."""
    return AxesProxyHandler.is_locked(request, credentials=_credentials(request))


def second_factor_failed(request):
    """Count a wrong code or passkey like a wrong password; end the session if that locks it.

    Returns True when the user is now locked out.
    """
    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials=_credentials(request), request=request)
    if getattr(request, "axes_locked_out", False):
        end_locked_out_session(request)
        return True
    return False


def end_locked_out_session(request):
    """Sign out, and let django-axes answer with the locked-out page."""
    credentials = _credentials(request)
    logout(request)
    request.axes_locked_out = True
    request.axes_credentials = credentials


def _credentials(request):
    return {"username": request.user.get_username()}


def verify_code(user, code):
    """The authenticator app or set of backup codes that accepts `code`, or None.

    Each device throttles its own failures (django-otp), and a backup code is used up.
    """
    code = "".join(code.split())
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.devices_for_user(user).select_for_update():
                if device.verify_token(code):
                    return device
    return None


def pending_authenticator_app(user):
    """The authenticator-app key being set up for `user`: the same one until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_authenticator_app(device, code):
    """Confirm the app once it shows a right code; True if it did."""
    if not device.verify_token("".join(code.split())):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def replace_backup_codes(user):
    """A fresh set of single-use backup codes for `user`; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def unused_backup_code_count(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
