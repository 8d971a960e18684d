"""What the sign-in checks cost on each request, in queries."""

import pytest

from tests.portal.staff_access.conftest import current_code, sign_in_with_password

pytestmark = pytest.mark.django_db


def test_the_second_factor_step_turns_away_a_password_only_session_in_two_queries(
    client, authenticator_app, django_assert_max_num_queries
):
    sign_in_with_password(client)

    # The session and the user; the gate itself reads nothing more.
    with django_assert_max_num_queries(2):
        response = client.get("/admin/enquiries/enquiry/")

    assert response.status_code == 302


def test_a_verified_session_costs_one_query_more_than_the_page(
    client, authenticator_app, django_assert_num_queries
):
    sign_in_with_password(client)
    client.post("/admin/sign-in/verify/", {"code": current_code(authenticator_app)})

    # Session, user, the device that verified the session (django-otp), then the
    # admin index's own: the staff member's permissions (2) and their recent actions.
    with django_assert_num_queries(6):
        assert client.get("/admin/").status_code == 200
