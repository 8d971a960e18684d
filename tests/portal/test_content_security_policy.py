import pytest

pytestmark = pytest.mark.django_db


def test_visitors_get_a_policy_that_allows_only_the_portals_own_scripts(client, make_page):
    make_page("About us")

    policy = client.get("/about-us/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_signed_in_staff_are_not_restricted_so_the_cms_editor_works(client, make_page, staff_author):
    make_page("About us")
    client.force_login(staff_author)

    assert "Content-Security-Policy" not in client.get("/about-us/")
