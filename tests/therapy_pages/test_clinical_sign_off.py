"""With clinical sign-off on, a change to a therapy page reaches visitors only once a clinical
reviewer (not its author) has approved it, and the approval is the page's review record."""

import datetime
import io

import pytest
from cms.models import Page
from cms.toolbar.utils import get_object_edit_url, get_object_preview_url
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from djangocms_versioning.constants import DRAFT, PUBLISHED
from djangocms_versioning.models import StateTracking, Version

from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import THERAPY_URL, content_placeholder, main_text, new_draft
from therapy_pages import sign_off
from therapy_pages.editors import ensure_clinical_reviewers_group, ensure_content_editors_group
from therapy_pages.models import ClinicalReview, FaqEntry, PageReview
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

NEW_TEXT = "Wording the clinical reviewer has checked"
AWAITING_URL = reverse("admin:therapy_pages_changeawaitingreview_changelist")
# Session, user, permissions, the two counts, the page of waiting changes with their
# versions and editors, and their contents.
AWAITING_LIST_QUERIES = 8


@pytest.fixture(autouse=True)
def sign_off_on(settings):
    settings.CLINICAL_SIGN_OFF = True


def staff_member(username, *groups, **names):
    user = get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        is_staff=True,
        email=f"{username}@clinic.test",
        **names,
    )
    user.groups.add(*groups)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def editor(site_content):
    return staff_member("editor", ensure_content_editors_group())


@pytest.fixture
def reviewer(site_content):
    return staff_member("reviewer", ensure_clinical_reviewers_group(), first_name="Dr Asha", last_name="Rao")


@pytest.fixture
def therapy_draft(editor):
    """A draft of the seed's therapy page, by the editor, with new wording in it."""
    page = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    draft = new_draft(page, editor)
    add_nested_plugin(content_placeholder(draft), "TextPlugin", LANGUAGE, body=f"<p>{NEW_TEXT}</p>")
    return Version.objects.get_for_content(draft)


def publish_url(version):
    return reverse("admin:djangocms_versioning_pagecontentversion_publish", args=[version.pk])


def submit_url(version):
    return reverse("admin:therapy_pages_clinicalreview_submit", args=[version.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def state_of(version):
    return Version.objects.get(pk=version.pk).state


def visitor_text(client):
    client.logout()
    return main_text(client.get(THERAPY_URL))


def submitted(client, version, editor, note=""):
    client.force_login(editor)
    client.post(submit_url(version), {"note": note})
    return ClinicalReview.objects.get(version=version, decision="")


def decide(client, review, user, **data):
    """What a reviewer sends from the review screen, as the screen filled it in."""
    client.force_login(user)
    form = client.get(sign_off.review_url(review)).context["form"]
    fields = {name: form[name].value() for name in ("reviewer_name", "reviewer_role", "next_review_due")}
    fields["fingerprint"] = form["fingerprint"].value()
    return client.post(sign_off.review_url(review), {**fields, **data}, follow=True)


def test_the_versioning_publish_address_refuses_an_unapproved_therapy_page(client, therapy_draft, editor):
    client.force_login(editor)

    response = client.post(publish_url(therapy_draft), follow=True)

    assert sign_off.NEEDS_APPROVAL in messages_of(response)
    assert state_of(therapy_draft) == DRAFT
    assert NEW_TEXT not in visitor_text(client)


def test_revert_and_publish_is_held_for_sign_off_too(client, therapy_draft, editor):
    therapy_draft.archive(editor)
    client.force_login(editor)

    response = client.post(f"/admin/djangocms_versioning/publish-again/{therapy_draft.pk}/", follow=True)

    assert sign_off.NEEDS_APPROVAL in messages_of(response)
    assert NEW_TEXT not in visitor_text(client)


def test_submitting_tells_the_reviewers_with_a_reference_and_a_link_only(
    client, therapy_draft, editor, reviewer, settings, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(therapy_draft), {"note": "New paragraph on cravings"}, follow=True)

    review = ClinicalReview.objects.get(version=therapy_draft)
    assert (review.submitted_by, review.note, review.decision) == (editor, "New paragraph on cravings", "")
    assert "Sent to the clinical reviewers" in " ".join(messages_of(response))
    (email,) = mail.outbox
    assert email.to == [reviewer.email]
    assert f"CR-{review.pk}" in email.subject
    assert f"{settings.SITE_URL}{sign_off.review_url(review)}" in email.body
    assert NEW_TEXT not in email.body and "cravings" not in email.body
    assert state_of(therapy_draft) == DRAFT


def test_a_submission_stands_while_the_mail_server_is_down(
    client, therapy_draft, editor, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.enquiries.failing_email_backend.EmailBackend"
    client.force_login(editor)

    # The email goes once the submission has committed; a failure to send it must not
    # reach the editor as an error page.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(therapy_draft), {"note": "New paragraph on cravings"})

    assert ClinicalReview.objects.get(version=therapy_draft).submitted_by == editor


def test_a_note_longer_than_the_limit_is_refused_next_to_the_field(client, therapy_draft, editor):
    client.force_login(editor)

    response = client.post(submit_url(therapy_draft), {"note": "x" * 1001})

    assert response.status_code == 200
    assert "Keep the note to 1000 characters or fewer." in response.text
    assert not ClinicalReview.objects.exists()


def test_approval_publishes_the_change_and_becomes_the_page_review(client, therapy_draft, editor, reviewer):
    review = submitted(client, therapy_draft, editor)
    next_year = timezone.localdate() + datetime.timedelta(days=365)

    response = decide(
        client,
        review,
        reviewer,
        decision="approve",
        reviewer_role="Consultant psychiatrist",
        next_review_due=next_year.isoformat(),
    )

    assert response.status_code == 200
    assert state_of(therapy_draft) == PUBLISHED
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == (ClinicalReview.Decision.APPROVED, reviewer)
    record = PageReview.objects.get(extended_object=therapy_draft.content)
    assert (record.last_reviewed, record.reviewer_name, record.reviewer_role, record.next_review_due) == (
        timezone.localdate(),
        "Dr Asha Rao",
        "Consultant psychiatrist",
        next_year,
    )
    assert StateTracking.objects.filter(version=therapy_draft, new_state=PUBLISHED).get().user == reviewer
    text = visitor_text(client)
    assert NEW_TEXT in text
    today = f"{timezone.localdate():%-d %B %Y}"
    assert f"Reviewed by Dr Asha Rao, Consultant psychiatrist · Page last reviewed: {today}" in text


def test_the_review_dates_are_checked_as_on_any_review(client, therapy_draft, editor, reviewer):
    review = submitted(client, therapy_draft, editor)
    too_late = timezone.localdate() + datetime.timedelta(days=4 * 365)

    response = decide(
        client, review, reviewer, decision="approve", reviewer_role="Nurse", next_review_due=too_late
    )

    assert "The next review must be at most 3 years after the last one" in response.text
    assert state_of(therapy_draft) == DRAFT


def test_an_edit_after_approval_needs_approval_again(client, therapy_draft, editor, reviewer):
    review = submitted(client, therapy_draft, editor)
    page_review = PageReview(
        last_reviewed=timezone.localdate(),
        reviewer_name="Dr Asha Rao",
        reviewer_role="Nurse",
        next_review_due=timezone.localdate() + datetime.timedelta(days=365),
    )
    sign_off.record_approval(
        review, reviewer, page_review=page_review, seen_fingerprint=sign_off.fingerprint(therapy_draft)
    )
    assert therapy_draft.check_publish.as_bool(editor)
    entry = FaqEntry.objects.filter(placeholder=content_placeholder(therapy_draft.content)).first()
    client.force_login(editor)
    edited = client.post(
        reverse("admin:cms_placeholder_edit_plugin", args=[entry.pk]),
        {
            "question": entry.question,
            "answer": "<p>An answer nobody has checked.</p>",
            "anchor": entry.anchor,
        },
    )
    assert edited.status_code == 200

    response = client.post(publish_url(therapy_draft), follow=True)

    assert sign_off.NEEDS_APPROVAL in messages_of(response)
    assert state_of(therapy_draft) == DRAFT


def test_an_approval_is_refused_when_the_page_changed_while_the_reviewer_looked(
    client, therapy_draft, editor, reviewer
):
    review = submitted(client, therapy_draft, editor)
    client.force_login(reviewer)
    form = client.get(sign_off.review_url(review)).context["form"]
    add_nested_plugin(
        content_placeholder(therapy_draft.content), "TextPlugin", LANGUAGE, body="<p>Late change</p>"
    )

    response = client.post(
        sign_off.review_url(review),
        {
            "decision": "approve",
            "reviewer_name": "Dr Asha Rao",
            "reviewer_role": "Nurse",
            "next_review_due": form["next_review_due"].value(),
            "fingerprint": form["fingerprint"].value(),
        },
    )

    assert sign_off.CHANGED_WHILE_REVIEWING in messages_of(response)
    assert state_of(therapy_draft) == DRAFT


def test_a_reviewer_cannot_approve_their_own_change(client, therapy_draft, editor, reviewer):
    reviewer.groups.add(ensure_content_editors_group())
    therapy_draft.created_by = reviewer
    therapy_draft.save()
    review = submitted(client, therapy_draft, editor)

    response = decide(client, review, reviewer, decision="approve", reviewer_role="Nurse")

    assert sign_off.OWN_CHANGE in messages_of(response)
    assert state_of(therapy_draft) == DRAFT


def test_someone_who_is_not_a_clinical_reviewer_cannot_approve(client, therapy_draft, editor):
    other_editor = staff_member("other-editor", ensure_content_editors_group())
    review = submitted(client, therapy_draft, editor)
    client.force_login(other_editor)

    assert client.get(sign_off.review_url(review)).status_code == 403
    response = client.post(sign_off.review_url(review), {"decision": "approve", "fingerprint": "x"})

    assert response.status_code == 403
    assert client.get(AWAITING_URL).status_code == 403
    assert state_of(therapy_draft) == DRAFT


def test_asking_for_changes_needs_a_comment_which_the_editor_is_sent_and_shown(
    client, therapy_draft, editor, reviewer, django_capture_on_commit_callbacks
):
    review = submitted(client, therapy_draft, editor)

    no_comment = decide(client, review, reviewer, decision="ask_for_changes")
    assert "Say what should change, so the editor knows what to do." in no_comment.text
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, review, reviewer, decision="ask_for_changes", comment="Add the NHS 111 number.")

    review.refresh_from_db()
    assert (review.decision, review.comment) == (
        ClinicalReview.Decision.CHANGES_REQUESTED,
        "Add the NHS 111 number.",
    )
    (email,) = mail.outbox
    assert email.to == [editor.email] and "Add the NHS 111 number." in email.body
    client.force_login(editor)
    assert "Add the NHS 111 number." in client.get(submit_url(therapy_draft)).text
    assert state_of(therapy_draft) == DRAFT


def test_the_toolbar_offers_submission_instead_of_publish_then_shows_it_waiting(
    client, therapy_draft, editor, reviewer
):
    client.force_login(editor)
    edit_url = get_object_edit_url(therapy_draft.content)

    before = client.get(edit_url).text
    assert "Submit for clinical review" in before
    assert publish_url(therapy_draft) not in before
    submitted(client, therapy_draft, editor)
    assert "Awaiting clinical review" in client.get(edit_url).text
    client.force_login(reviewer)
    preview = client.get(get_object_preview_url(therapy_draft.content))
    assert preview.status_code == 200
    assert "Review this change" in preview.text and NEW_TEXT in preview.text
    compare = client.get(
        client.get(sign_off.review_url(sign_off.awaiting_review(therapy_draft))).context["compare_url"]
    )
    assert compare.status_code == 200


def test_with_sign_off_off_editors_publish_as_before(client, therapy_draft, editor, settings):
    settings.CLINICAL_SIGN_OFF = False
    client.force_login(editor)

    assert "Submit for clinical review" not in client.get(get_object_edit_url(therapy_draft.content)).text
    client.post(publish_url(therapy_draft))

    assert state_of(therapy_draft) == PUBLISHED
    assert NEW_TEXT in visitor_text(client)


def test_pages_that_are_not_therapy_pages_publish_without_sign_off(client, editor):
    contact = Page.objects.get(reverse_id="contact")
    draft = Version.objects.get_for_content(new_draft(contact, editor))
    client.force_login(editor)

    client.post(publish_url(draft))

    assert state_of(draft) == PUBLISHED


def test_moving_a_therapy_page_to_another_template_does_not_escape_sign_off(client, therapy_draft, editor):
    content = therapy_draft.content
    content.template = "pages/default.html"
    content.save()
    client.force_login(editor)

    response = client.post(publish_url(therapy_draft), follow=True)

    assert sign_off.NEEDS_APPROVAL in messages_of(response)


@pytest.mark.parametrize("waiting", [1, 4])
def test_the_reviewers_list_holds_the_waiting_changes_in_a_fixed_number_of_queries(
    client, reviewer, editor, make_faq_page, django_assert_max_num_queries, waiting
):
    for number in range(waiting):
        page = make_faq_page(f"Therapy {number}", 1)
        content = page.get_admin_content(LANGUAGE)
        content.template = "pages/therapy.html"
        content.save()
        version = Version.objects.get_for_content(new_draft(page, editor))
        sign_off.submit(version, editor)
    client.force_login(reviewer)

    with django_assert_max_num_queries(AWAITING_LIST_QUERIES):
        response = client.get(AWAITING_URL)

    assert response.text.count("Review this change") == waiting
    assert "Therapy 0" in response.text


def test_the_setup_command_gives_reviewers_no_editing_and_no_enquiries(site_content):
    call_command("create_clinical_reviewers_group", stdout=io.StringIO())
    group = ensure_clinical_reviewers_group()

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert "decide_clinicalreview" in codenames and "view_page" in codenames
    assert not {name for name in codenames if name.startswith(("add_", "change_", "delete_", "publish_"))}
    assert not group.permissions.filter(content_type__app_label__in=["enquiries", "auth"]).exists()
