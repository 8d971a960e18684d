from cms.extensions.toolbar import ExtensionToolbar
from cms.toolbar_base import CMSToolbar
from cms.toolbar_pool import toolbar_pool
from django.urls import reverse

from therapy_pages import crisis_support
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


@toolbar_pool.register
class CrisisSupportToolbar(CMSToolbar):
    """ "Crisis support box" on every page, for staff who may change it: opens its draft
    for editing, making one from the published box if there is none."""

    def populate(self):
        if not self.request.user.has_perm("djangocms_alias.change_aliascontent"):
            return
        version = crisis_support.editable_version()
        if version is None:
            return
        url = reverse("admin:djangocms_versioning_aliascontentversion_edit_redirect", args=(version.pk,))
        self.toolbar.add_button("Crisis support box", url, extra_classes=["cms-form-post-method"])
