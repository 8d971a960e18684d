"""The second-factor step of staff sign-in, and setting up a second factor.

The password step is Django's admin sign-in page; SecondFactorRequiredMiddleware sends
every signed-in user who has not yet passed the second factor here.
"""

from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from portal.staff_access import services
from portal.staff_access.forms import AuthenticatorAppForm, CodeForm

WRONG_CODE = (
    "That code did not work. Check the time on your phone, type the code the app shows now, "
    "or use a backup code you have not used before."
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Ask for a passkey (offered first) or a code, then carry on to where the user was going."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not user_has_device(user):
        return redirect_keeping_next(request, "staff_access:methods")
    if services.is_locked_out(request):
        services.end_locked_out_session(request)
        return redirect(resolve_url("admin:login"))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = services.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            services.second_factor_passed(request, device)
            return redirect(next_url(request))
        if services.second_factor_failed(request):
            return redirect(resolve_url("admin:login"))
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "staff_access/verify.html",
        {
            **page_context(request, "Confirm it is you"),
            "form": form,
            "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
        },
    )


@never_cache
@login_required
def methods(request):
    """The user's ways of passing the second factor; on first sign-in, where they set one up."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect_keeping_next(request, "staff_access:verify")
    passkeys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True))
    return render(
        request,
        "staff_access/methods.html",
        {
            **page_context(
                request, "Your sign-in methods" if user.is_verified() else "Set up a second factor"
            ),
            "passkeys": passkeys,
            "passkey_label": "Add another passkey" if passkeys else "Create a passkey",
            "authenticator_apps": TOTPDevice.objects.devices_for_user(user),
            "backup_code_count": services.unused_backup_code_count(user),
            "after_passkey_url": reverse("staff_access:backup-codes"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def authenticator_app(request):
    """Set up an authenticator app: show its key (as a QR code and as text), confirm a code."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect_keeping_next(request, "staff_access:verify")
    device = services.pending_authenticator_app(user)
    form = AuthenticatorAppForm(request.POST or None)
    if form.is_valid():
        if services.confirm_authenticator_app(device, form.cleaned_data["code"]):
            if not user.is_verified():
                services.second_factor_passed(request, device)
            messages.success(request, "Your authenticator app is set up.")
            return redirect("staff_access:backup-codes")
        form.add_error(
            "code",
            "That code did not work. Check the time on your phone and type the code the app shows now.",
        )
    return render(
        request,
        "staff_access/authenticator_app.html",
        {
            **page_context(request, "Set up an authenticator app"),
            "form": form,
            "qr_code_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=True),
            "key_text": spaced(b32encode(device.bin_key).decode()),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """Make a new set of single-use backup codes, shown once."""
    user = request.user
    if not user.is_verified():
        return redirect("staff_access:methods")
    codes = services.replace_backup_codes(user) if request.method == "POST" else None
    return render(
        request,
        "staff_access/backup_codes.html",
        {
            **page_context(request, "Backup codes"),
            "codes": codes,
            "backup_code_count": services.unused_backup_code_count(user),
        },
    )


def cms_login(request):
    """django CMS's own sign-in address leads to the one staff sign-in, the admin's."""
    return redirect_keeping_next(request, "admin:login")


def page_context(request, title):
    """The admin's look, without its navigation until both factors have passed."""
    if request.user.is_verified():
        context = admin.site.each_context(request)
    else:
        context = {
            "site_header": admin.site.site_header,
            "site_title": admin.site.site_title,
            "has_permission": False,
        }
    return {**context, "title": title, "next": next_url(request)}


def next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url("admin:index")


def redirect_keeping_next(request, url_name):
    """Redirect to `url_name` with this request's query (its `next` above all)."""
    return HttpResponseRedirect(
        f"{reverse(url_name)}?{request.GET.urlencode()}" if request.GET else reverse(url_name)
    )


def spaced(text, size=4):
    return " ".join(text[i : i + size] for i in range(0, len(text), size))
