"""django CMS's toolbar as an editor presses it."""

from playwright.sync_api import expect


def toolbar(page):
    """The toolbar, once django CMS has bound its buttons and marked the page ready: pressed
    before then, a button that posts is followed as a plain link, and the view refuses it."""
    expect(page.locator("html.cms-ready")).to_have_count(1)
    return page.locator(".cms-toolbar")
