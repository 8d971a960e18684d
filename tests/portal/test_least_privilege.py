"""Each role, as the setup commands build it, reaches only its own work: handlers see no page
drafts, content editors no enquiries, clinic administrators staff accounts but neither."""

import io

import pytest
from cms.models import Page
from cms.toolbar.utils import get_object_edit_url, get_object_preview_url, get_object_structure_url
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from djangocms_versioning.models import Version

from enquiries.models import Status
from enquiries.services import HANDLERS_GROUP_NAME
from portal.roles import CLINIC_ADMINISTRATORS_GROUP
from tests.conftest import LANGUAGE
from tests.enquiries.conftest import CHANGELIST, EnquiryFactory, change_url, enquiry_admin_urls, triage_data
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages.editors import CLINICAL_REVIEWERS_GROUP, CONTENT_EDITORS_GROUP
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Unpublished wording the clinical lead has not approved"
HOME = "/"


@pytest.fixture
def roles(site_content):
    """The groups exactly as `make run` and a release create them."""
    for command in (
        "create_enquiry_handlers_group",
        "create_clinic_administrators_group",
        "create_clinical_reviewers_group",
    ):
        call_command(command, stdout=io.StringIO())


def member_of(group_name, username=None):
    user = get_user_model().objects.create_user(
        username=username or group_name.lower().replace(" ", "-"),
        password="a-long-test-password",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=group_name))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def home_draft(roles):
    """A draft of the home page holding text no visitor or handler may read."""
    page = Page.objects.get(is_home=True)
    author = get_user_model().objects.create_superuser("drafter", "", "a-long-test-password")
    draft = new_draft(page, author)
    add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body=f"<p>{DRAFT_TEXT}</p>")
    return draft


def draft_urls(draft):
    version = Version.objects.get_for_content(draft)
    published = Version.objects.filter_by_grouper(draft.page).exclude(pk=version.pk).get()
    versions = "/admin/djangocms_versioning/pagecontentversion"
    return [
        get_object_preview_url(draft),
        get_object_edit_url(draft),
        get_object_structure_url(draft),
        f"{versions}/{published.pk}/compare/?compare_to={version.pk}",
        f"{versions}/{version.pk}/compare/",
        f"{versions}/?page={draft.page.pk}",
        "/admin/cms/pagecontent/",
        "/admin/cms/page/",
        "/admin/djangocms_alias/alias/",
        "/admin/filer/folder/",
        f"{HOME}?edit",
        f"{HOME}?preview",
        f"{HOME}?structure",
        f"{HOME}?toolbar_on",
    ]


def test_enquiry_handler_reads_no_draft_through_any_cms_view(client, home_draft):
    client.force_login(member_of(HANDLERS_GROUP_NAME))

    for url in draft_urls(home_draft):
        response = client.get(url, follow=True)
        assert DRAFT_TEXT not in response.text, url
        if url.startswith("/admin/"):
            assert response.status_code == 403, url


def test_clinic_administrator_reads_no_draft_either(client, home_draft):
    client.force_login(member_of(CLINIC_ADMINISTRATORS_GROUP))

    for url in draft_urls(home_draft):
        assert DRAFT_TEXT not in client.get(url, follow=True).text, url


def test_content_editor_still_previews_and_compares_the_draft(client, home_draft):
    client.force_login(member_of(CONTENT_EDITORS_GROUP))

    preview, edit, structure, compare, *_others = draft_urls(home_draft)
    assert client.get(structure).status_code == 200
    assert client.get(compare).status_code == 200
    for url in (preview, edit):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert DRAFT_TEXT in response.text, url


# Django's admin answers an autocomplete by the permissions on the model it lists: for the
# assignee field that is staff accounts, which clinic administrators may see anyway.
ASSIGNEE_AUTOCOMPLETE = (
    "/admin/autocomplete/?app_label=enquiries&model_name=enquiry&field_name=assigned_to&term=a"
)


def test_the_walk_of_enquiry_addresses_reaches_the_desks_own_screens(db):
    enquiry = EnquiryFactory()
    base = "/admin/enquiries/enquiry"

    assert set(enquiry_admin_urls(enquiry)) >= {
        f"{base}/",
        f"{base}/export/",
        f"{base}/response-times/",
        f"{base}/{enquiry.pk}/change/",
        f"{base}/{enquiry.pk}/history/",
        "/admin/enquiries/auditentry/",
    }


AUDIT_LOG = "/admin/enquiries/auditentry/"


@pytest.mark.parametrize(
    ("group_name", "extra_urls", "their_own"),
    [
        (CONTENT_EDITORS_GROUP, [ASSIGNEE_AUTOCOMPLETE], set()),
        # Clinic administrators audit who opened what: references and actions, no details.
        (CLINIC_ADMINISTRATORS_GROUP, [], {AUDIT_LOG}),
        (CLINICAL_REVIEWERS_GROUP, [ASSIGNEE_AUTOCOMPLETE], set()),
    ],
)
def test_the_real_editor_and_administrator_groups_get_403_on_every_enquiry_address(
    client, roles, group_name, extra_urls, their_own
):
    enquiry = EnquiryFactory(name="Zebedee")
    client.force_login(member_of(group_name))

    responses = {url: client.get(url) for url in [*enquiry_admin_urls(enquiry), *extra_urls]}

    refused = {url: response for url, response in responses.items() if url not in their_own}
    assert {url: response.status_code for url, response in refused.items()} == dict.fromkeys(refused, 403)
    assert not any(enquiry.reference in response.text for response in refused.values())
    assert not any("Zebedee" in response.text for response in responses.values())
    assert all(responses[url].status_code == 200 for url in their_own)


@pytest.mark.parametrize(
    "group_name", [CONTENT_EDITORS_GROUP, CLINIC_ADMINISTRATORS_GROUP, CLINICAL_REVIEWERS_GROUP]
)
def test_the_real_editor_and_administrator_groups_can_change_no_enquiry(client, roles, group_name):
    enquiry = EnquiryFactory(name="Zebedee")
    client.force_login(member_of(group_name))

    triage = client.post(change_url(enquiry), triage_data(enquiry, status=Status.CLOSED, note="Closed"))
    action = client.post(CHANGELIST, {"action": "close", "_selected_action": [enquiry.pk]})

    assert (triage.status_code, action.status_code) == (403, 403)
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.events.count()) == (Status.NEW, 0)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert enquiry.reference not in home.text
    assert "Zebedee" not in home.text


def test_clinic_administrator_manages_staff_accounts_and_their_roles(client, roles):
    administrator = member_of(CLINIC_ADMINISTRATORS_GROUP)
    newcomer = get_user_model().objects.create_user(
        "newcomer", password="a-long-test-password", is_staff=True
    )
    handlers = Group.objects.get(name=HANDLERS_GROUP_NAME)
    client.force_login(administrator)

    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 200
    response = client.post(
        f"/admin/auth/user/{newcomer.pk}/change/",
        {
            "username": "newcomer",
            "is_active": "on",
            "is_staff": "on",
            "groups": [handlers.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(newcomer.groups.all()) == [handlers]


def test_clinic_administrator_cannot_grant_themselves_anything(client, roles):
    administrator = member_of(CLINIC_ADMINISTRATORS_GROUP)
    superuser = get_user_model().objects.create_superuser("root", "", "a-long-test-password")
    handlers = Group.objects.get(name=HANDLERS_GROUP_NAME)
    client.force_login(administrator)

    client.post(
        f"/admin/auth/user/{administrator.pk}/change/",
        {
            "username": administrator.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [handlers.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00",
        },
    )

    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert [group.name for group in administrator.groups.all()] == [CLINIC_ADMINISTRATORS_GROUP]
    assert client.get(f"/admin/auth/group/{handlers.pk}/change/").status_code == 200
    assert client.post(f"/admin/auth/group/{handlers.pk}/change/", {"name": "x"}).status_code == 403
    assert client.post(f"/admin/auth/user/{superuser.pk}/change/", {"username": "x"}).status_code == 403
    assert client.get("/admin/enquiries/enquiry/").status_code == 403


def test_clinic_administrator_who_is_also_a_handler_reads_enquiries(client, roles):
    administrator = member_of(CLINIC_ADMINISTRATORS_GROUP)
    administrator.groups.add(Group.objects.get(name=HANDLERS_GROUP_NAME))
    client.force_login(administrator)

    assert client.get("/admin/enquiries/enquiry/").status_code == 200


def test_setup_commands_define_the_four_roles_exactly(roles):
    call_command("create_clinic_administrators_group", stdout=io.StringIO())

    administrators = Group.objects.get(name=CLINIC_ADMINISTRATORS_GROUP)
    assert sorted(administrators.permissions.values_list("codename", flat=True)) == [
        "add_user",
        "change_user",
        "view_auditentry",
        "view_group",
        "view_user",
    ]
    editors = Group.objects.get(name=CONTENT_EDITORS_GROUP)
    assert not editors.permissions.filter(content_type__app_label__in=["enquiries", "auth"]).exists()
    assert set(Group.objects.values_list("name", flat=True)) == {
        CONTENT_EDITORS_GROUP,
        HANDLERS_GROUP_NAME,
        CLINIC_ADMINISTRATORS_GROUP,
        CLINICAL_REVIEWERS_GROUP,
    }
