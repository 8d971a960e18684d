from cms.extensions.toolbar import ExtensionToolbar
from cms.toolbar_pool import toolbar_pool

from therapy_pages.models import PageReview


@toolbar_pool.register
class PageReviewToolbar(ExtensionToolbar):
    """ "Clinical review..." in the Page menu, for the version being edited."""

    model = PageReview

    def populate(self):
        page_menu = self._setup_extension_toolbar()
        if not page_menu or not self.toolbar.edit_mode_active:
            return
        _review, url = self.get_page_content_extension_admin()
        if url:
            page_menu.add_modal_item("Clinical review...", url=url)
