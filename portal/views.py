from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from portal.context_processors import clinic

# Uploaded files never change under their name (filer gives each upload its own path).
MEDIA_MAX_AGE_SECONDS = 24 * 60 * 60


@never_cache
@require_safe
def healthz(request):
    """Tell a load balancer whether this instance can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


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


def server_error(request):
    return _standalone_error_page(request, "500.html", status=500)


def _standalone_error_page(request, template_name, *, status):
    """Render an error page from settings alone, without the request's context processors:
    the database, or the request itself, may be what failed."""
    return HttpResponse(loader.render_to_string(template_name, clinic(request)), status=status)
