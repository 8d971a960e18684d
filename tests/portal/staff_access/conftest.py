import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-staple"
LOGIN_URL = "/admin/login/"


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    """Staff sign-in as production runs it: the second factor is required."""
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(username="handler", password=PASSWORD, is_staff=True)


@pytest.fixture
def authenticator_app(staff_user):
    return TOTPDevice.objects.create(user=staff_user, name="Phone", confirmed=True)


def current_code(device):
    """The code the staff member's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client, username="handler", password=PASSWORD, url=LOGIN_URL, **extra):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"}, **extra)
