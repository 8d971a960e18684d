from cms.cms_toolbars import PAGE_MENU_IDENTIFIER
from cms.extensions.toolbar import ExtensionToolbar
from cms.models import PageContent
from cms.toolbar.items import Break, ButtonList, ModalItem
from cms.toolbar_base import CMSToolbar
from cms.toolbar_pool import toolbar_pool
from cms.utils.page_permissions import user_can_delete_page
from cms.utils.urlutils import admin_reverse
from django.apps import apps
from django.urls import reverse
from djangocms_versioning.cms_toolbars import VERSIONING_MENU_IDENTIFIER, VersioningToolbar, replace_toolbar
from djangocms_versioning.constants import DRAFT
from djangocms_versioning.models import Version

from therapy_pages import crisis_support, scheduling, sign_off
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


class SignOffVersioningToolbar(VersioningToolbar):
    """djangocms-versioning's toolbar, with "Submit for clinical review" in place of Publish on
    a therapy page's draft that a clinical reviewer has yet to approve (see
    therapy_pages.sign_off); reviewers get "Review this change" once it is submitted."""

    def _add_publish_button(self):
        version = self._get_version() if self._is_versioned() else None
        if version is None or not sign_off.awaits_sign_off(version):
            return super()._add_publish_button()
        if self.toolbar.edit_mode_active or self.toolbar.preview_mode_active:
            self._add_sign_off_button(version)

    def _add_sign_off_button(self, version):
        user, waiting = self.request.user, sign_off.awaiting_review(version)
        buttons = ButtonList(side=self.toolbar.RIGHT)
        if waiting and user.has_perm(sign_off.DECIDE_PERMISSION):
            buttons.add_button(
                "Review this change", url=sign_off.review_url(waiting), extra_classes=["cms-btn-action"]
            )
        elif waiting:
            buttons.add_button("Awaiting clinical review", url="#", disabled=True)
        elif sign_off.may_submit(version, user):
            url = reverse("admin:therapy_pages_clinicalreview_submit", args=[version.pk])
            buttons.add_button("Submit for clinical review", url=url, extra_classes=["cms-btn-action"])
        else:
            return
        self.toolbar.add_item(buttons)


replace_toolbar(VersioningToolbar, SignOffVersioningToolbar)


@toolbar_pool.register
class PublicationScheduleToolbar(CMSToolbar):
    """ "Schedule publishing…" on a draft and "Schedule unpublishing…" on the published
    version, in the version menu, for those who may publish the page; and what is waiting
    for the page, in that menu and in brief on the toolbar, leading to where it can be
    cancelled."""

    def post_template_populate(self):
        content = self.toolbar.get_object()
        if not isinstance(content, PageContent):
            return
        version = Version.objects.get_for_content(content)
        if not version.has_publish_permission(self.request.user):
            return
        url = reverse("admin:therapy_pages_publicationschedule_schedule", args=(version.pk,))
        action = scheduling.action_for(version)
        pending = list(scheduling.pending_for_page(content.page))
        if not action and not pending:
            return
        menu = self.toolbar.get_or_create_menu(VERSIONING_MENU_IDENTIFIER, version.short_name())
        menu.add_item(Break())
        if action:
            label = (
                "Schedule unpublishing…" if action == scheduling.Action.UNPUBLISH else "Schedule publishing…"
            )
            menu.add_link_item(label, url=url)
        for schedule in pending:
            menu.add_link_item(f"{scheduling.describe(schedule)} · Cancel…", url=url)
        if pending:
            # In brief on the toolbar itself, where it is seen without opening a menu.
            buttons = ButtonList(side=self.toolbar.RIGHT)
            for schedule in pending:
                buttons.add_button(scheduling.describe_briefly(schedule), url=url)
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
