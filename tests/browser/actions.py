"""Counting what an editor does in the browser, as they would count it: every click, fill,
file choice and key press into a field is one action."""

from tests.browser.test_content_editing import open_plugin_window


class Actions:
    def __init__(self):
        self.count = 0

    def click(self, locator, **options):
        self.count += 1
        locator.click(**options)

    def open_plugin(self, page, plugin):
        """Double-click a plugin to open its editing window (one action)."""
        self.count += 1
        open_plugin_window(page, plugin)

    def fill(self, locator, text):
        self.count += 1
        locator.fill(text)

    def type_into(self, page, locator, text):
        """Click into a rich-text editor and type (one action: putting words in a field)."""
        self.count += 1
        locator.click()
        page.keyboard.type(text)

    def choose_file(self, page, locator, name, content, mime_type):
        """Click a button that opens the file chooser and pick one file (one action)."""
        self.count += 1
        with page.expect_file_chooser() as chooser:
            locator.click()
        chooser.value.set_files({"name": name, "mimeType": mime_type, "buffer": content})
