from cms.cms_toolbars import PAGE_MENU_IDENTIFIER
from cms.extensions.toolbar import ExtensionToolbar
from cms.toolbar.items import ButtonList, ModalItem
from cms.toolbar_base import CMSToolbar
from cms.toolbar_pool import toolbar_pool
from cms.utils.page_permissions import user_can_delete_page
from cms.utils.urlutils import admin_reverse
from django.apps import apps
from django.urls import reverse
from djangocms_versioning.constants import DRAFT
from djangocms_versioning.models import Version

from therapy_pages import crisis_support
from therapy_pages.models import PageReview

DELETE_NOT_ALLOWED = (
    "Delete page: your role cannot delete pages (unpublish the page under Manage versions instead)"
)
DELETE_NOT_IN_EDIT_MODE = "Delete page: open Edit first"


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


@toolbar_pool.register
class PublishInPreviewToolbar(CMSToolbar):
    """ "Publish" in preview too, not only in edit mode, for those who may publish the draft
    being previewed: preview is where an editor decides it is ready."""

    def post_template_populate(self):
        content = self.toolbar.get_object()
        versioning = apps.get_app_config("djangocms_versioning").cms_extension
        if not self.toolbar.preview_mode_active or content is None:
            return
        if not versioning.is_content_model_versioned(content.__class__):
            return
        version = Version.objects.get_for_content(content)
        if version.state != DRAFT or not version.check_publish.as_bool(self.request.user):
            return
        proxy = versioning.versionables_by_content[content.__class__].version_model_proxy
        url = reverse(f"admin:{proxy._meta.app_label}_{proxy.__name__.lower()}_publish", args=(version.pk,))
        buttons = ButtonList(side=self.toolbar.RIGHT)
        buttons.add_button("Publish", url=url, extra_classes=["cms-btn-action", "cms-form-post-method"])
        self.toolbar.add_item(buttons)


@toolbar_pool.register
class DeletePageReasonToolbar(CMSToolbar):
    """ "Delete page" in the Page menu says why it is greyed out, instead of leaving the editor
    to guess: django CMS offers it only in edit mode, to those with the delete permission, which
    content editors do not have."""

    def post_template_populate(self):
        page = self.request.current_page
        menu = self.toolbar.get_menu(PAGE_MENU_IDENTIFIER)
        if page is None or menu is None:
            return
        found = menu.find_first(ModalItem, url=admin_reverse("cms_page_delete", args=(page.pk,)))
        item = found.item if found else None
        if item is None or not item.disabled:
            return
        if not user_can_delete_page(self.request.user, page=page):
            item.name = DELETE_NOT_ALLOWED
        else:
            item.name = DELETE_NOT_IN_EDIT_MODE
