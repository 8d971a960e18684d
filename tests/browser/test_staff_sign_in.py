"""Staff sign in with a password and a second factor: a passkey, made and used through
Chromium's virtual authenticator, or a code from an authenticator app."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.portal.staff_access.conftest import PASSWORD, current_code


@pytest.fixture
def production_sign_in(settings, live_server):
    settings.STAFF_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    return get_user_model().objects.create_user(username="handler", password=PASSWORD, is_staff=True)


@pytest.fixture
def authenticator(page):
    """A passkey authenticator that verifies its user, as a phone or laptop would; returns
    a way to list the passkeys it holds."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return lambda: devtools.send("WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]})[
        "credentials"
    ]


def sign_in_with_password(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("handler")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_first_sign_in_sets_up_a_passkey_which_then_signs_in(page, production_sign_in, authenticator):
    sign_in_with_password(page)
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()

    page.get_by_role("button", name="Create a passkey").click()

    expect(page).to_have_url(re.compile(r"/admin/sign-in/backup-codes/$"))
    page.get_by_role("button", name="Make backup codes").click()
    expect(page.locator(".staff-sign-in-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="Clinic information portal staff")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    sign_in_with_password(page)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_role("button", name="Use your passkey").click()

    # The browser's passkey exchange and the server's check of it take a few round trips.
    signed_in = page.get_by_role("heading", name="Clinic information portal staff")
    expect(signed_in).to_be_visible(timeout=20_000)
    assert len(authenticator()) == 1


def test_a_passkey_button_works_the_moment_it_is_shown(page, production_sign_in, authenticator):
    """On a slow connection the passkey script's words (its JavaScript catalog) can arrive
    last; a button shown before then must not swallow the press."""
    held_catalogs = []
    page.route("**/passkeys/jsi18n/", lambda route: held_catalogs.append(route))
    sign_in_with_password(page)
    create = page.get_by_role("button", name="Create a passkey")
    try:
        create.click(timeout=2_000)
        pressed_while_held = True
    except PlaywrightTimeoutError:
        pressed_while_held = False

    for catalog in held_catalogs:
        catalog.continue_()
    if not pressed_while_held:
        create.click()

    expect(page).to_have_url(re.compile(r"/admin/sign-in/backup-codes/$"))
    assert len(authenticator()) == 1


def test_sign_in_with_a_code_from_an_authenticator_app(page, production_sign_in):
    device = TOTPDevice.objects.create(user=production_sign_in, name="Phone", confirmed=True)
    sign_in_with_password(page)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_role("button", name="Use your passkey")).to_have_count(0)

    page.get_by_role("textbox", name="Code").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Clinic information portal staff")).to_be_visible()
