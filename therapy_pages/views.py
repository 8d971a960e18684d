from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from therapy_pages.sitemaps import PublishedPagesSitemap


@require_safe
def sitemap_xml(request):
    return sitemap(request, {"pages": PublishedPagesSitemap(request.get_host())})


@require_safe
def robots_txt(request):
    """Let search engines read the public pages, and tell them where the sitemap is."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /enquiries/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
