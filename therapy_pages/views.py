from django.contrib import messages
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.helpers import version_list_url
from djangocms_versioning.models import Version

from therapy_pages import search as site_search
from therapy_pages.forms import MAX_PAGE, SearchForm
from therapy_pages.sitemaps import PublishedPagesSitemap
from therapy_pages.versions import DraftInTheWay, publish_earlier_version


@require_safe
def sitemap_xml(request):
    return sitemap(request, {"pages": PublishedPagesSitemap(request.get_host())})


@require_safe
def robots_txt(request):
    """Let search engines read the public pages, and tell them where the sitemap is."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /enquiries/",
        "Disallow: /search/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@never_cache
@require_safe
def search(request):
    """Search results. Never cached, stored or passed on, and what was typed is not logged:
    it may be the most private thing a visitor tells the site."""
    form = SearchForm(request.GET)
    form.is_valid()
    # A page number out of range is not the visitor's doing: show the first page.
    query, page = form.cleaned_data.get("q", ""), form.cleaned_data.get("page", 1)
    found = site_search.search(query, page=page) if query else None
    context = {"form": form, "query": query, "found": found, "last_page": MAX_PAGE}
    response = render(request, "therapy_pages/search_results.html", context)
    # The address holds the search words: links and files from this page must not pass it
    # on as a Referer, which servers and proxies commonly log.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def publish_version_again(request, version_id):
    """The revert screen's "Publish this version": visitors see that version again at once."""
    version = get_object_or_404(Version, pk=version_id)
    try:
        published = publish_earlier_version(version, request.user, draft_action=request.POST.get("draft"))
    except ConditionFailed as refusal:
        messages.error(request, str(refusal))
    except DraftInTheWay:
        messages.error(
            request, "There is a draft of this page: choose whether to archive or discard it first."
        )
    else:
        messages.success(
            request,
            f"Version #{version.number} is published again, as Version #{published.number}: "
            "visitors see it now.",
        )
        return redirect(version_list_url(published.content))
    return redirect(version_list_url(version.content))
