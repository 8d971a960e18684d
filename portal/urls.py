from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from portal import views
from portal.staff_access.views import cms_login
from therapy_pages.views import publish_version_again, robots_txt, sitemap_xml

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/dependencies", views.healthz_dependencies, name="healthz-dependencies"),
    # The second-factor step of staff sign-in, before the admin's own catch-all patterns.
    path("admin/sign-in/", include("portal.staff_access.urls")),
    path("admin/sign-in/passkeys/", include("portal.staff_access.passkey_urls")),
    # The revert screen's "Publish this version", among the version screens it belongs to.
    path(
        "admin/djangocms_versioning/publish-again/<int:version_id>/",
        admin.site.admin_view(publish_version_again),
        name="publish-version-again",
    ),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("enquiries/", include("enquiries.urls")),
    path("search/", include("therapy_pages.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", views.media, name="media")]

# django CMS answers every other path, so it comes last. Its own sign-in address, which
# signs in without a second factor, leads to the admin's instead.
urlpatterns += [path("cms_login/", cms_login), path("", include("cms.urls"))]
