import secrets

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from enquiries.selectors import enquiries_notification_delayed
from portal.context_processors import clinic

OK = "ok"
UNAVAILABLE = "unavailable"
DELAYED = "delayed"
UNKNOWN = "unknown"

# Uploaded files never change under their name (filer gives each upload its own path).
MEDIA_MAX_AGE_SECONDS = 24 * 60 * 60


@never_cache
@require_safe
def healthz(request):
    """Tell a load balancer whether this instance can reach its database: the one thing
    it cannot serve a page without."""
    if not _database_answers():
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def healthz_dependencies(request):
    """Tell monitoring the state of each dependency, and nothing else about them: 503 if
    any is not ok. Not for a load balancer: the site serves pages without its cache."""
    database = _database_answers()
    report = {
        "database": OK if database else UNAVAILABLE,
        "cache": OK if _cache_answers() else UNAVAILABLE,
        "notifications": _notifications_state() if database else UNKNOWN,
    }
    healthy = all(state == OK for state in report.values())
    return JsonResponse(report, status=200 if healthy else 503)


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_answers():
    """A value written to the cache reads back. The cache hides its own errors (see
    portal/cache.py), so a failure shows here as a value that is not there."""
    key, value = "healthz:" + secrets.token_hex(8), secrets.token_hex(8)
    return bool(cache.add(key, value, timeout=10)) and cache.get(key) == value


def _notifications_state():
    try:
        return DELAYED if enquiries_notification_delayed() else OK
    except DatabaseError:
        return UNKNOWN


@require_safe
def media(request, path):
    """An uploaded file, for a portal that keeps uploads on its own disk.

    Django's file view checks the path stays inside MEDIA_ROOT and answers If-Modified-Since.
    Whatever the file claims to be, a browser may not run it as a page of the portal."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE_SECONDS}"
    return response


def bad_request(request, exception):
    return _standalone_error_page(request, "400.html", status=400)


def permission_denied(request, exception):
    """Staff refused something in the admin stay in the admin, with a way back; anyone
    else gets the site's own page."""
    admin_root = reverse("admin:index")
    user = getattr(request, "user", None)
    if request.path.startswith(admin_root) and user is not None and user.is_staff:
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""
        context = {
            **admin.site.each_context(request),
            "back_url": back or admin_root,
            "title": "Access denied",
        }
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    return _standalone_error_page(request, "500.html", status=500)


def _standalone_error_page(request, template_name, *, status):
    """Render an error page from settings alone, without the request's context processors:
    the database, or the request itself, may be what failed."""
    return HttpResponse(loader.render_to_string(template_name, clinic(request)), status=status)
