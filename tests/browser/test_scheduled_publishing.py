"""A content editor, not a superuser, schedules a changed page from the page itself, with the
keyboard; at the set time visitors see the change."""

import re
from datetime import datetime, time, timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

# The editor signed in on the therapy page, and fresh visitors, as in the editing tests.
from tests.browser.test_content_editing import (  # noqa: F401 (fixtures)
    NEW_ANSWER,
    OLD_ANSWER,
    THERAPY_URL,
    draft_new_answer,
    editor_page,
    faq_answer,
    toolbar,
    versions_menu_link,
    visitor_reads,
)


def tomorrow_at_nine():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return datetime.combine(tomorrow, time(9, 0), tzinfo=timezone.get_current_timezone())


def test_editor_schedules_a_change_and_visitors_see_it_at_that_time(
    editor_page,  # noqa: F811 (the fixture)
    visitor_reads,  # noqa: F811 (the fixture)
    assert_no_serious_accessibility_violations,
    csp_violations,
):
    page = editor_page
    due = tomorrow_at_nine()
    draft_new_answer(page)

    page.goto(versions_menu_link(page, "Schedule publishing…"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Schedule publishing: "))
    assert_no_serious_accessibility_violations(page)
    page.get_by_label("Date").fill(f"{due:%Y-%m-%d}")
    page.get_by_label("Time").fill("09:00")
    page.keyboard.press("Enter")

    expect(
        toolbar(page).get_by_role("link", name=f"Publishing {due:%a} {due.day} {due:%b}, 09:00")
    ).to_be_visible()
    expect(faq_answer(visitor_reads(THERAPY_URL))).to_contain_text(OLD_ANSWER)

    with time_machine.travel(due + timedelta(seconds=30), tick=False):
        call_command("publish_scheduled")

    after = visitor_reads(THERAPY_URL)
    expect(faq_answer(after)).to_contain_text(NEW_ANSWER)
    expect(faq_answer(after)).not_to_contain_text(OLD_ANSWER)
    assert csp_violations == []
