"""Reads of published content, shared by the plugins, template tags and admin."""

import datetime
from dataclasses import dataclass, field

from cms.models import Page, PageContent
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from therapy_pages.models import FaqEntry, PageReview, Section

REVIEW_WARNING_DAYS = 30
CONTACT_PAGE = "contact"


@dataclass
class PageLink:
    title: str
    url: str
    summary: str = ""
    faq_entries: list = field(default_factory=list)


def contact_page():
    """The Contact us page, where calls to action lead; None before the site's pages exist."""
    return Page.objects.filter(reverse_id=CONTACT_PAGE).first()


def _published_contents(language):
    # Under djangocms-versioning the default manager returns published content only.
    return PageContent.objects.filter(language=language)


def _published_contents_for_links(language):
    """Published contents in tree order, with what `_link` reads fetched up front."""
    return (
        _published_contents(language)
        .select_related("page")
        .prefetch_related("page__urls")
        .order_by("page__path")
    )


def _link(content, language):
    return PageLink(
        title=content.title,
        url=content.page.get_absolute_url(language),
        summary=content.meta_description or "",
    )


def published_faq_entries_by_page(language=settings.LANGUAGE_CODE):
    """Every FAQ entry on a published page, grouped by page in site order."""
    entries = FaqEntry.objects.filter(
        language=language,
        placeholder__content_type=ContentType.objects.get_for_model(PageContent),
        placeholder__object_id__in=_published_contents(language).values("pk"),
    ).select_related("placeholder")
    entries_by_content = {}
    for entry in entries.order_by("position"):
        entries_by_content.setdefault(entry.placeholder.object_id, []).append(entry)
    contents = _published_contents_for_links(language).filter(pk__in=entries_by_content)
    groups = []
    for content in contents:
        group = _link(content, language)
        group.faq_entries = entries_by_content[content.pk]
        groups.append(group)
    return groups


def published_child_pages(page, language=settings.LANGUAGE_CODE):
    """The published pages directly under `page`, in menu order, with their summaries."""
    contents = _published_contents_for_links(language).filter(page__parent=page)
    return [_link(content, language) for content in contents]


def sections_of(page_content, slot="content"):
    """The sections of a page's content, in page order, for its "On this page" list."""
    if page_content is None:
        return []
    return list(
        Section.objects.filter(
            placeholder__content_type=ContentType.objects.get_for_model(page_content),
            placeholder__object_id=page_content.pk,
            placeholder__slot=slot,
            language=page_content.language,
        )
        .order_by("position")
        .values("heading", "anchor")
    )


def review_of(page_content):
    if page_content is None:
        return None
    return PageReview.objects.filter(extended_object_id=page_content.pk).first()


def reviews_due(today=None):
    """Published pages whose review is overdue or due within the warning period."""
    today = today or timezone.localdate()
    return (
        PageReview.objects.filter(
            extended_object__in=PageContent.objects.all(),
            next_review_due__lte=today + datetime.timedelta(days=REVIEW_WARNING_DAYS),
        )
        .select_related("extended_object__page")
        .prefetch_related("extended_object__page__urls")
    )
