"""
Template tags for explainer pages. The structured data for search engines is built here
from the same objects the visible page is rendered from, so the two cannot disagree.
"""

import json

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe
from menus.menu_pool import menu_pool

from therapy_pages import crisis_support, selectors

register = template.Library()

SCHEMA_CONTEXT = "https://schema.org"
# Keeps the JSON from closing its <script> element or opening a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps({"@context": SCHEMA_CONTEXT, **data})
    return mark_safe(f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>')  # noqa: S308


@register.simple_tag
def faq_page_json_ld(faq_entries):
    """schema.org FAQPage from the FAQ entries a list shows."""
    if not faq_entries:
        return ""
    questions = [
        {
            "@type": "Question",
            "name": entry.question,
            "acceptedAnswer": {"@type": "Answer", "text": entry.answer_text},
        }
        for entry in faq_entries
    ]
    return _json_ld({"@type": "FAQPage", "mainEntity": questions})


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, ancestors):
    """schema.org BreadcrumbList from the menu nodes the visible breadcrumbs show."""
    request = context["request"]
    items = [
        {
            "@type": "ListItem",
            "position": position,
            "name": node.get_menu_title(),
            "item": request.build_absolute_uri(node.get_absolute_url()),
        }
        for position, node in enumerate(ancestors, start=1)
    ]
    return _json_ld({"@type": "BreadcrumbList", "itemListElement": items})


@register.simple_tag(takes_context=True)
def medical_web_page_json_ld(context, page_content, review):
    """schema.org MedicalWebPage with the clinical review shown in the page's footer."""
    request = context["request"]
    data = {
        "@type": "MedicalWebPage",
        "name": page_content.title,
        "url": _canonical(request),
        "inLanguage": translation.to_locale(page_content.language).replace("_", "-"),
    }
    if page_content.meta_description:
        data["description"] = page_content.meta_description
    if review:
        data["lastReviewed"] = review.last_reviewed.isoformat()
        data["reviewedBy"] = {
            "@type": "Person",
            "name": review.reviewer_name,
            "jobTitle": review.reviewer_role,
        }
    return _json_ld(data)


@register.simple_tag
def page_sections(page_content):
    return selectors.sections_of(page_content)


@register.simple_tag
def page_review(page_content):
    return selectors.review_of(page_content)


@register.simple_tag
def child_pages(page):
    return selectors.published_child_pages(page)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    return _canonical(context["request"])


def _canonical(request):
    """The page's own address, without any query string."""
    return request.build_absolute_uri(request.path)


@register.filter
def existing(nodes):
    """Menu nodes without the gaps django CMS leaves when, say, no home page is set yet."""
    return [node for node in nodes if node is not None]


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, ancestors):
    """The breadcrumb's pages, from Home. In edit and preview mode django CMS links each menu
    entry to its editing screen, so its breadcrumb no longer finds Home by the address "/"
    and leaves it out; it is put back here."""
    crumbs = existing(ancestors)
    if crumbs and not crumbs[0].attr.get("is_home"):
        renderer = context.get("cms_menu_renderer") or menu_pool.get_renderer(context["request"])
        home = next((node for node in renderer.get_nodes(breadcrumb=True) if node.attr.get("is_home")), None)
        if home is not None:
            crumbs.insert(0, home)
    return crumbs


@register.simple_tag(takes_context=True)
def crisis_support_alias(context):
    """The crisis support box as staff last published it (their draft in edit and preview
    mode), or "" when it has no text, so the page can show the built-in box instead."""
    template = context.template.engine.get_template("includes/crisis_support_alias.html")
    html = template.render(context)
    return html if crisis_support.visible_text(html) else ""
