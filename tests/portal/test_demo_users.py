from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def run_command():
    output = StringIO()
    call_command("create_demo_users", stdout=output)
    return output.getvalue()


def sign_in(username, password):
    # A sign-in comes with a request: django-axes counts failures per client address.
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password)


def printed_password(output, username):
    line = next(line for line in output.splitlines() if line.split()[:1] == [username])
    return line.split()[1]


ROLES = {
    "demo-content-editors": "Content editors",
    "demo-enquiry-handlers": "Enquiry handlers",
    "demo-clinic-administrators": "Clinic administrators",
    "demo-clinical-reviewers": "Clinical reviewers",
}


def test_first_run_creates_superuser_and_one_member_of_each_role_with_random_passwords(settings):
    settings.DEBUG = True

    output = run_command()

    admin = sign_in("admin", printed_password(output, "admin"))
    assert admin.is_superuser
    for username, role in ROLES.items():
        member = sign_in(username, printed_password(output, username))
        assert member.is_staff and not member.is_superuser
        assert list(member.groups.values_list("name", flat=True)) == [role]
    passwords = {printed_password(output, username) for username in ["admin", *ROLES]}
    assert len(passwords) == 5
    assert Group.objects.count() == 4


def test_second_run_creates_nothing_and_keeps_passwords(settings):
    settings.DEBUG = True
    first = run_command()

    second = run_command()

    assert second == ""
    assert sign_in("admin", printed_password(first, "admin"))


def test_no_user_is_created_when_debug_is_off(settings):
    settings.DEBUG = False

    output = run_command()

    assert "no demo users created" in output
    assert not get_user_model().objects.exists()
