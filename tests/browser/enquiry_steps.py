"""Steps a visitor takes on the enquiry form, shared by the browser tests."""

import re


def send_enquiry(page, *, name="Sam"):
    """Fill in the form with a valid enquiry, as a visitor with a mouse would, and send it."""
    page.get_by_label("What should we call you?").fill(name)
    page.get_by_role("radio", name="By phone").check()
    page.get_by_label("Phone number").fill("07400 123456")
    page.get_by_role("radio", name="Someone I care about").check()
    page.get_by_role("checkbox", name="Alcohol").check()
    page.get_by_role("checkbox", name=re.compile("^I agree")).check()
    page.get_by_role("button", name="Send enquiry").click()
