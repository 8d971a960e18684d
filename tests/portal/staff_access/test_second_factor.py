import pytest
from django_otp.plugins.otp_static.models import StaticToken

from tests.portal.staff_access.conftest import current_code, sign_in_with_password

pytestmark = pytest.mark.django_db

VERIFY_URL = "/admin/sign-in/verify/"


def test_after_the_password_every_staff_page_leads_to_the_second_factor_step(client, authenticator_app):
    sign_in_with_password(client)

    for path in ["/admin/", "/admin/enquiries/enquiry/", "/admin/auth/user/", "/?edit"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY_URL), path


def test_a_code_from_the_authenticator_app_opens_the_admin(client, authenticator_app):
    sign_in_with_password(client)

    response = client.post(
        VERIFY_URL + "?next=/admin/enquiries/enquiry/", {"code": current_code(authenticator_app)}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/enquiries/enquiry/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_beside_the_field(client, authenticator_app):
    sign_in_with_password(client)

    response = client.post(
        VERIFY_URL, {"code": "000000" if current_code(authenticator_app) != "000000" else "111111"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "That code did not work" in response.text
    assert 'aria-invalid="true"' in response.text
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, staff_user, authenticator_app):
    sign_in_with_password(client)
    client.post(VERIFY_URL, {"code": current_code(authenticator_app)})
    response = client.post("/admin/sign-in/backup-codes/")
    code = response.context["codes"][0]
    assert StaticToken.objects.filter(device__user=staff_user).count() == 10
    client.post("/admin/logout/")

    sign_in_with_password(client)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    sign_in_with_password(client)
    reused = client.post(VERIFY_URL, {"code": code})
    assert reused.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_asks_to_set_up_a_second_factor_offering_a_passkey_first(client, staff_user):
    sign_in_with_password(client)

    verify = client.get("/admin/")
    enrol = client.get(verify["Location"], follow=True)

    assert enrol.request["PATH_INFO"] == "/admin/sign-in/"
    text = enrol.text
    assert "Set up a second factor" in text
    assert text.index("Passkey (recommended)") < text.index("Authenticator app")
    assert "otp_webauthn_register.js" in text


def test_setting_up_an_authenticator_app_on_first_sign_in(client, staff_user):
    sign_in_with_password(client)
    page = client.get("/admin/sign-in/authenticator-app/")
    assert "<svg" in page.text
    device = staff_user.totpdevice_set.get()
    assert not device.confirmed

    response = client.post("/admin/sign-in/authenticator-app/", {"code": current_code(device)})

    assert response["Location"] == "/admin/sign-in/backup-codes/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_the_second_factor_step_answers_no_one_signed_out(client):
    response = client.get(VERIFY_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_unsafe_next_lands_on_the_admin_index(client, authenticator_app):
    response = client.post(
        "/admin/login/",
        {"username": "handler", "password": "correct-horse-battery-staple", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"

    verified = client.post(
        VERIFY_URL + "?next=https://evil.example/", {"code": current_code(authenticator_app)}
    )
    assert verified["Location"] == "/admin/"


def test_with_the_second_factor_optional_staff_without_one_sign_in_with_a_password(
    client, settings, staff_user
):
    settings.STAFF_REQUIRE_2FA = False

    sign_in_with_password(client)

    assert client.get("/admin/").status_code == 200


def test_with_the_second_factor_optional_staff_who_set_one_up_are_still_asked(
    client, settings, authenticator_app
):
    settings.STAFF_REQUIRE_2FA = False

    sign_in_with_password(client)

    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)


def test_a_wrong_code_while_setting_up_an_app_is_refused_beside_the_field(client, staff_user):
    sign_in_with_password(client)

    response = client.post("/admin/sign-in/authenticator-app/", {"code": "12345"})

    assert response.status_code == 200
    assert "That code did not work" in response.text
    assert not staff_user.totpdevice_set.get().confirmed
    assert client.get("/admin/").status_code == 302
