"""What makes the page cache stale: anything that changes what a visitor may see."""

from cms import operations
from cms.models import Page
from cms.signals import post_obj_operation
from django.db.models.signals import post_delete
from django.dispatch import receiver
from djangocms_versioning import constants
from djangocms_versioning.signals import post_version_operation

from portal import page_cache

# Publishing a page or an alias (the crisis box is one) changes what visitors see; a draft does not.
VISIBLE_VERSION_OPERATIONS = frozenset({constants.OPERATION_PUBLISH, constants.OPERATION_UNPUBLISH})
# Page-tree changes made in django CMS's admin: the address, place or settings of live pages.
VISIBLE_PAGE_OPERATIONS = frozenset(
    {
        operations.CHANGE_PAGE,
        operations.MOVE_PAGE,
        operations.DELETE_PAGE,
        operations.CHANGE_PAGE_TRANSLATION,
        operations.DELETE_PAGE_TRANSLATION,
    }
)


@receiver(post_version_operation, dispatch_uid="portal-page-cache-version")
def _version_changed(sender, operation, **kwargs):
    if operation in VISIBLE_VERSION_OPERATIONS:
        page_cache.invalidate()


@receiver(post_obj_operation, dispatch_uid="portal-page-cache-page")
def _page_changed(sender, operation, **kwargs):
    if operation in VISIBLE_PAGE_OPERATIONS:
        page_cache.invalidate()


@receiver(post_delete, sender=Page, dispatch_uid="portal-page-cache-page-deleted")
def _page_deleted(sender, **kwargs):
    page_cache.invalidate()
