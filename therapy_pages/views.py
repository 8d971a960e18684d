from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from therapy_pages import search as site_search
from therapy_pages.forms import SearchForm
from therapy_pages.sitemaps import PublishedPagesSitemap


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
    """Search results. Never cached or stored anywhere, and what was typed is not logged:
    it may be the most private thing a visitor tells the site."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = site_search.search(query) if query else None
    return render(
        request, "therapy_pages/search_results.html", {"form": form, "query": query, "found": found}
    )
