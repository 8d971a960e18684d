"""The triage desk in the admin: list, enquiry page, actions, timeline and edit conflicts."""

import html as html_module
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enquiries.models import Enquiry, EnquiryEvent, Status
from enquiries.services import (
    EnquiryEditConflict,
    enquiries_apply_retention,
    enquiry_add_note,
    enquiry_assign,
    enquiry_change_status,
    enquiry_triage,
)
from tests.enquiries.conftest import (
    CHANGELIST,
    EnquiryFactory,
    change_url,
    create_handler,
    triage_data,
    valid_form_data,
)

pytestmark = pytest.mark.django_db


def timeline(enquiry):
    return list(
        enquiry.events.values_list("kind", "author__username", "status", "assigned_to__username", "text")
    )


def test_list_shows_columns_and_marks_overdue(handler_client, settings):
    settings.ENQUIRY_RESPONSE_HOURS = 24
    now = timezone.now()
    late = EnquiryFactory(received_at=now - timedelta(hours=25), name="Late Lou", email="lou@example.com")
    late.topics.add("alcohol", "gambling")
    EnquiryFactory(received_at=now - timedelta(hours=1), name="Recent Rae")

    html = handler_client.get(CHANGELIST).text

    assert late.reference in html
    assert "Late Lou" in html and "Recent Rae" in html
    assert "Alcohol, Gambling" in html
    assert f'<a href="tel:{late.phone}">{late.phone_digits[:5]} {late.phone_digits[5:]}</a>' in html
    assert "received 25 h ago" in html and "due in 22 h" in html
    assert html.count('<strong class="enquiry-overdue">overdue by 1 h</strong>') == 1


def test_list_shows_open_enquiries_first_oldest_first(handler_client):
    now = timezone.now()
    closed_oldest = EnquiryFactory(received_at=now - timedelta(days=9), status=Status.CLOSED)
    new_old = EnquiryFactory(received_at=now - timedelta(days=3))
    contacted_older = EnquiryFactory(received_at=now - timedelta(days=5), status=Status.CONTACTED)
    new_recent = EnquiryFactory(received_at=now - timedelta(hours=1))

    html = handler_client.get(CHANGELIST, {"status": "all"}).text

    positions = [html.index(e.reference) for e in [contacted_older, new_old, new_recent, closed_oldest]]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"mine", "theirs", "unassigned", "gambling"}),
        ("status=closed", {"closed"}),
        ("status=all", {"mine", "theirs", "unassigned", "closed", "gambling"}),
        ("assigned=me", {"mine"}),
        ("assigned=nobody", {"unassigned", "gambling"}),
        ("assigned=nobody&status=all", {"unassigned", "closed", "gambling"}),
        ("topics__slug__exact=gambling", {"gambling"}),
        ("overdue=yes", {"unassigned"}),
    ],
)
def test_list_filters(handler_client, handler, second_handler, query, expected):
    now = timezone.now()
    enquiries = {
        "mine": EnquiryFactory(assigned_to=handler, name="mine", received_at=now),
        "theirs": EnquiryFactory(assigned_to=second_handler, name="theirs", received_at=now),
        "unassigned": EnquiryFactory(name="unassigned", received_at=now - timedelta(days=2)),
        "closed": EnquiryFactory(status=Status.CLOSED, name="closed", received_at=now - timedelta(days=2)),
        "gambling": EnquiryFactory(name="gambling", received_at=now),
    }
    enquiries["gambling"].topics.add("gambling")

    html = handler_client.get(f"{CHANGELIST}?{query}").text

    assert {name for name, enquiry in enquiries.items() if enquiry.reference in html} == expected


def test_list_filters_by_received_date(handler_client):
    today = EnquiryFactory(received_at=timezone.now())
    old = EnquiryFactory(received_at=timezone.now() - timedelta(days=40))
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=7)

    html = handler_client.get(CHANGELIST, {"received_at__gte": str(since)}).text

    assert today.reference in html and old.reference not in html


@pytest.mark.parametrize(
    "search",
    ["{reference}", "{reference_lower}", "Quentin", "quentin@example.com", "07400 654321", "+447400654321"],
)
def test_search_by_reference_name_email_or_phone(handler_client, search):
    wanted = EnquiryFactory(name="Quentin", email="quentin@example.com", phone="+447400654321")
    other = EnquiryFactory(name="Other", email="other@example.com")
    term = search.format(reference=wanted.reference, reference_lower=wanted.reference.lower())

    html = handler_client.get(CHANGELIST, {"q": term}).text

    assert wanted.reference in html and other.reference not in html


def test_enquiry_page_shows_details_and_timeline(handler_client, handler):
    enquiry = EnquiryFactory(name="Sam", message="Please call after six")
    enquiry_assign(enquiry=enquiry, assignee=handler, by=handler)
    enquiry_add_note(enquiry=enquiry, text="Left a voicemail", by=handler)

    html = handler_client.get(change_url(enquiry)).text

    assert "Please call after six" in html
    assert "assigned to handler" in html
    assert "note: Left a voicemail" in html
    assert 'name="_assign_to_me"' in html


def test_handler_changes_status_assigns_and_notes_on_the_enquiry_page(
    handler_client, handler, second_handler
):
    enquiry = EnquiryFactory()

    response = handler_client.post(
        change_url(enquiry),
        triage_data(
            enquiry, status=Status.IN_PROGRESS, assigned_to=second_handler.pk, note="Called, no answer"
        ),
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to, enquiry.version) == (Status.IN_PROGRESS, second_handler, 4)
    assert timeline(enquiry) == [
        (EnquiryEvent.Kind.ASSIGNMENT, "handler", "", "colleague", ""),
        (EnquiryEvent.Kind.STATUS, "handler", Status.IN_PROGRESS, None, ""),
        (EnquiryEvent.Kind.NOTE, "handler", "", None, "Called, no answer"),
    ]


def test_assign_to_me_button(handler_client, handler):
    enquiry = EnquiryFactory()

    handler_client.post(
        change_url(enquiry), {**triage_data(enquiry), "_assign_to_me": "Assign to me and save"}
    )

    enquiry.refresh_from_db()
    assert enquiry.assigned_to == handler


def test_second_handlers_stale_save_is_refused_and_nothing_is_lost(client, handler, second_handler):
    enquiry = EnquiryFactory()
    opened_by_both = triage_data(enquiry)
    client.force_login(second_handler)
    client.post(
        change_url(enquiry), {**opened_by_both, "status": Status.CONTACTED, "note": "Booked an assessment"}
    )

    client.force_login(handler)
    refused = client.post(
        change_url(enquiry), {**opened_by_both, "status": Status.CLOSED, "note": "Closing this"}
    )

    assert refused.status_code == 200
    assert "Someone else saved this enquiry after you opened it" in refused.text
    assert "Closing this" in refused.text
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CONTACTED
    assert [text for *_rest, text in timeline(enquiry) if text] == ["Booked an assessment"]


def test_services_refuse_a_stale_version(handler):
    enquiry = EnquiryFactory()
    enquiry_add_note(enquiry=enquiry, text="first", by=handler)

    with pytest.raises(EnquiryEditConflict):
        enquiry_change_status(enquiry=enquiry, status=Status.CLOSED, by=handler, expected_version=1)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.NEW


@pytest.mark.parametrize(
    "stale_save",
    [
        lambda enquiry, by: enquiry_add_note(enquiry=enquiry, text="second", by=by, expected_version=1),
        lambda enquiry, by: enquiry_triage(
            enquiry=enquiry,
            expected_version=1,
            by=by,
            status=Status.CLOSED,
            assignee=by,
            note="second",
            outcome="",
            next_attempt_at=None,
            take_over=False,
        ),
    ],
    ids=["note", "enquiry page"],
)
def test_every_save_from_a_stale_page_is_refused_whole(handler, stale_save):
    enquiry = EnquiryFactory()
    enquiry_add_note(enquiry=enquiry, text="first", by=handler)

    with pytest.raises(EnquiryEditConflict):
        stale_save(enquiry, handler)

    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to, enquiry.version) == (Status.NEW, None, 2)
    assert [text for *_rest, text in timeline(enquiry) if text] == ["first"]


def test_first_contact_is_the_first_time_an_enquiry_is_marked_contacted(handler):
    received = timezone.now() - timedelta(hours=5)
    enquiry = EnquiryFactory(received_at=received)
    marked = [received + timedelta(hours=hours) for hours in (1, 2, 3)]

    enquiry = enquiry_change_status(enquiry=enquiry, status=Status.IN_PROGRESS, by=handler, now=marked[0])
    assert enquiry.first_contact_at is None
    enquiry = enquiry_change_status(enquiry=enquiry, status=Status.CONTACTED, by=handler, now=marked[1])
    enquiry = enquiry_change_status(enquiry=enquiry, status=Status.IN_PROGRESS, by=handler, now=marked[2])
    enquiry = enquiry_change_status(enquiry=enquiry, status=Status.CONTACTED, by=handler, now=marked[2])

    enquiry.refresh_from_db()
    assert enquiry.first_contact_at == marked[1]


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("assign_to_me", lambda enquiry, user: enquiry.assigned_to == user),
        ("mark_contacted", lambda enquiry, user: enquiry.status == Status.CONTACTED),
        ("close", lambda enquiry, user: enquiry.status == Status.CLOSED),
        ("mark_spam", lambda enquiry, user: enquiry.status == Status.SPAM),
    ],
)
def test_bulk_actions_go_through_the_timeline(handler_client, handler, action, check):
    chosen = EnquiryFactory.create_batch(2)
    untouched = EnquiryFactory()

    response = handler_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [enquiry.pk for enquiry in chosen], "confirm_spam": "yes"},
    )

    assert response.status_code == 302
    for enquiry in chosen:
        enquiry.refresh_from_db()
        assert check(enquiry, handler)
        assert enquiry.events.filter(author=handler).count() == 1
        assert enquiry.version == 2
    untouched.refresh_from_db()
    assert untouched.version == 1


def test_marking_as_spam_asks_first_and_the_confirmation_marks_exactly_those_chosen(handler_client):
    chosen = EnquiryFactory.create_batch(2)
    untouched = EnquiryFactory()

    asked = handler_client.post(
        CHANGELIST, {"action": "mark_spam", "_selected_action": [enquiry.pk for enquiry in chosen]}
    )

    assert "Spam leaves the open list. It can be restored to New for 30 days" in asked.text
    assert all(enquiry.reference in asked.text for enquiry in chosen)
    assert untouched.reference not in asked.text
    form = asked.text.split('<form method="post">')[1]
    confirmation = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        confirmation.setdefault(name, []).append(value)
    assert 'value="Yes, mark as spam"' in form
    done = handler_client.post(CHANGELIST, confirmation, follow=True)

    assert '<li class="success">2 enquiries marked as spam.</li>' in done.text
    assert set(Enquiry.objects.filter(status=Status.SPAM)) == set(chosen)


def test_a_bulk_action_says_how_many_it_changed(handler_client):
    open_one, closed_one = EnquiryFactory(), EnquiryFactory(status=Status.CLOSED)

    def close(*enquiries):
        data = {"action": "close", "_selected_action": [enquiry.pk for enquiry in enquiries]}
        return handler_client.post(CHANGELIST, data, follow=True).text

    assert '<li class="success">1 enquiry closed.</li>' in close(open_one, closed_one)
    assert '<li class="info">Nothing was changed: the chosen enquiries were like that already.</li>' in close(
        open_one, closed_one
    )


def test_saving_a_change_says_it_was_saved(handler_client):
    enquiry = EnquiryFactory()

    response = handler_client.post(
        change_url(enquiry), triage_data(enquiry, status=Status.IN_PROGRESS), follow=True
    )

    assert (
        f'<li class="success">The enquiry “<a href="{change_url(enquiry)}">{enquiry.reference}</a>” '
        "was changed successfully.</li>"
    ) in response.text
    assert "Nothing was changed" not in response.text


def test_saving_with_nothing_changed_says_so_and_stays_on_the_enquiry(handler_client):
    enquiry = EnquiryFactory()

    response = handler_client.post(change_url(enquiry), triage_data(enquiry), follow=True)

    assert response.redirect_chain == [(change_url(enquiry), 302)]
    assert '<li class="info">Nothing was changed, so nothing was saved.</li>' in response.text
    enquiry.refresh_from_db()
    assert enquiry.version == 1


def test_history_opens_the_timeline_on_the_enquiry_s_page(handler_client):
    enquiry = EnquiryFactory()

    response = handler_client.get(reverse("admin:enquiries_enquiry_history", args=[enquiry.pk]))

    page, anchor = response["Location"].split("#")
    assert page == change_url(enquiry)
    heading = handler_client.get(page).text.split(f'id="{anchor}"')[1].split("</h2>")[0]
    assert heading.endswith(">Timeline")


def test_the_timeline_says_who_did_each_thing_and_when(client, handler_client, handler, settings):
    client.post("/enquiries/send/", valid_form_data())
    enquiry = Enquiry.objects.get()
    enquiry_add_note(enquiry=enquiry, text="Left a message", by=handler)
    enquiry = enquiry_change_status(enquiry=Enquiry.objects.get(), status=Status.CLOSED, by=handler)
    forgotten_at = timezone.now() + timedelta(days=settings.ENQUIRY_RETENTION_DAYS + 1)
    enquiries_apply_retention(now=forgotten_at)

    html = handler_client.get(change_url(enquiry)).text

    lines = re.findall(
        r"<li><strong>([^<]+)</strong>, ([^:<]+): ([^<]*)</li>", html.split('class="enquiry-timeline"')[1]
    )
    assert [(who, what) for _when, who, what in lines] == [
        ("Website", "status New"),
        (handler.username, "note (removed under the retention rules)"),
        (handler.username, "status Closed (from New)"),
        (handler.username, "opened the enquiry"),
        ("Retention rules", "personal details removed under the retention rules"),
    ]
    assert lines[0][0] == date_format(timezone.localtime(enquiry.received_at), "j M Y H:i")
    assert lines[-1][0] == date_format(timezone.localtime(forgotten_at), "j M Y H:i")


def test_timeline_is_append_only_in_the_admin(handler_client, handler):
    enquiry = EnquiryFactory()
    enquiry_add_note(enquiry=enquiry, text="original", by=handler)

    assert handler_client.get("/admin/enquiries/enquiryevent/").status_code == 404
    handler_client.post(change_url(enquiry), triage_data(Enquiry.objects.get(pk=enquiry.pk), note="second"))

    assert [text for *_rest, text in timeline(enquiry) if text] == ["original", "second"]


def test_admin_index_shows_new_and_overdue_counts(handler_client):
    EnquiryFactory(received_at=timezone.now() - timedelta(days=2))
    EnquiryFactory(received_at=timezone.now())
    EnquiryFactory(status=Status.CLOSED)

    html = handler_client.get("/admin/").text

    assert "<caption>Enquiries</caption>" in html
    assert '?status=new">New</a></th>\n      <td>2</td>' in html
    assert '?overdue=yes">Overdue</a></th>\n      <td><strong>1</strong></td>' in html


def test_only_handlers_can_be_chosen_as_assignee(handler_client, second_handler, content_editor):
    html = handler_client.get(change_url(EnquiryFactory())).text

    assert ">colleague</option>" in html
    assert ">editor</option>" not in html


def test_list_can_be_sorted_by_received(handler_client):
    older = EnquiryFactory(received_at=timezone.now() - timedelta(days=3))
    newer = EnquiryFactory(received_at=timezone.now())

    html = handler_client.get(CHANGELIST, {"o": "-2"}).text

    assert html.index(newer.reference) < html.index(older.reference)


def list_filter(html, title):
    """A filter's entries as (name, link), the chosen one marked with a star."""
    section = html.split(f'data-filter-title="{title}"')[1].split("</ul>")[0]
    entries = re.findall(r'<li( class="selected")?>\s*<a href="([^"]*)"[^>]*>([^<]*)</a>', section)
    return [(("*" if chosen else "") + name, html_module.unescape(link)) for chosen, link, name in entries]


def test_the_list_shows_open_enquiries_until_another_status_is_chosen(handler_client):
    EnquiryFactory(status=Status.CLOSED, name="Closed one")

    first = list_filter(handler_client.get(CHANGELIST).text, "status")
    closed = list_filter(handler_client.get(CHANGELIST + "?status=closed&o=1").text, "status")

    assert first[0] == ("*Open (new, in progress, contacted)", "?")
    assert closed[0] == ("Open (new, in progress, contacted)", "?o=1")
    assert ("*Closed", "?o=1&status=closed") in closed


def test_each_filter_offers_its_choices_by_name_with_links_that_choose_them(
    handler_client, handler, second_handler
):
    html = handler_client.get(CHANGELIST).text

    assert list_filter(html, "status") == [
        ("*Open (new, in progress, contacted)", "?"),
        ("New", "?status=new"),
        ("In progress", "?status=in_progress"),
        ("Contacted", "?status=contacted"),
        ("Closed", "?status=closed"),
        ("Spam", "?status=spam"),
        ("All", "?status=all"),
    ]
    assert list_filter(html, "assigned to") == [
        ("*All", "?"),
        ("Me", "?assigned=me"),
        ("Nobody", "?assigned=nobody"),
        ("colleague", f"?assigned={second_handler.pk}"),
        ("handler", f"?assigned={handler.pk}"),
    ]
    assert list_filter(html, "overdue") == [("*All", "?"), ("Overdue", "?overdue=yes")]


def test_only_active_staff_who_may_change_enquiries_are_offered_to_assign(handler_client, handler):
    users = get_user_model().objects
    users.create_superuser("clinical-lead", "", "a-long-password")
    direct = users.create_user("locum", is_staff=True)
    direct.user_permissions.add(Permission.objects.get(codename="change_enquiry"))
    former_handler = create_handler("left-the-clinic")
    former_handler.is_active = False
    former_handler.save()
    not_staff = users.create_user("volunteer", is_staff=False)
    not_staff.user_permissions.add(Permission.objects.get(codename="change_enquiry"))
    users.create_user("editor", is_staff=True)

    html = handler_client.get(CHANGELIST).text

    assert [name for name, _link in list_filter(html, "assigned to")[3:]] == [
        "clinical-lead",
        "handler",
        "locum",
    ]


def progress_of(html, enquiry):
    """The progress column of the enquiry's row on the list, one line per line."""
    row = re.search(rf"<tr>(?:(?!</tr>).)*{enquiry.reference}.*?</tr>", html, re.DOTALL).group()
    cell = re.search(r'<td class="field-progress">(.*?)</td>', row, re.DOTALL).group(1)
    return html_module.unescape(cell).split("<br>")


def test_the_list_says_what_is_next_for_each_enquiry(handler_client, handler):
    now = timezone.now()
    never_reached = EnquiryFactory(received_at=datetime(2030, 1, 14, 9, 30, tzinfo=UTC))
    retry = EnquiryFactory(
        status=Status.IN_PROGRESS,
        assigned_to=handler,
        attempt_count=1,
        last_action="Rang, no answer",
        next_attempt_at=datetime(2030, 1, 15, 9, 30, tzinfo=UTC),
    )
    reached = EnquiryFactory(status=Status.CONTACTED, first_contact_at=now, attempt_count=2)
    closed = EnquiryFactory(status=Status.CLOSED)

    html = handler_client.get(CHANGELIST, {"status": "all"}).text

    assert progress_of(html, never_reached) == [
        "New, unassigned",
        "0 attempts; last: -",
        "Next: first contact by 15 Jan 2030 09:30",
    ]
    assert progress_of(html, retry) == [
        "In progress, handler",
        "1 attempt; last: Rang, no answer",
        "Next: try again 15 Jan 2030 09:30",
    ]
    assert progress_of(html, reached) == ["Contacted, unassigned", "2 attempts; last: -", "Next: none set"]
    assert progress_of(html, closed) == ["Closed, unassigned", "0 attempts; last: -", "Next: none"]


def test_the_list_names_the_last_thing_done_to_each_enquiry(handler_client, handler):
    assigned, unassigned, noted = EnquiryFactory(), EnquiryFactory(assigned_to=handler), EnquiryFactory()
    enquiry_assign(enquiry=assigned, assignee=handler, by=handler)
    enquiry_assign(enquiry=unassigned, assignee=None, by=handler)
    enquiry_add_note(enquiry=noted, text="Rang the GP surgery back.", by=handler)

    html = handler_client.get(CHANGELIST).text

    assert progress_of(html, assigned)[1] == "0 attempts; last: Assigned to handler"
    assert progress_of(html, unassigned)[1] == "0 attempts; last: Unassigned"
    assert progress_of(html, noted)[1] == "0 attempts; last: Note added"


def test_the_spam_confirmation_page_s_own_button_works_with_the_security_check_on(handler):
    enquiry = EnquiryFactory()
    desk = Client(enforce_csrf_checks=True)
    desk.force_login(handler)
    listing = desk.get(CHANGELIST).text

    asked = desk.post(
        CHANGELIST,
        {
            "action": "mark_spam",
            "_selected_action": [enquiry.pk],
            "csrfmiddlewaretoken": hidden_value(listing),
        },
    )
    confirmed = desk.post(CHANGELIST, confirmation_form(asked.text))

    assert confirmed.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.SPAM


def hidden_value(html, name="csrfmiddlewaretoken"):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def confirmation_form(html):
    """What the confirmation page's form sends when its button is pressed."""
    form = html[html.index('<form method="post">') :]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[: form.index("</form>")])
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


@pytest.mark.parametrize(
    ("stored", "link"),
    [
        ("+447400123456", '<a href="tel:+447400123456">07400 123456</a>'),
        ("+33123456789", '<a href="tel:+33123456789">+33 1 23 45 67 89</a>'),
    ],
)
def test_a_number_is_shown_as_the_clinic_dials_it_and_links_to_the_phone(handler_client, stored, link):
    enquiry = EnquiryFactory(phone=stored)

    assert link in handler_client.get(change_url(enquiry)).text
