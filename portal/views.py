from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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


def bad_request(request, exception):
    return _standalone_error_page("400.html", status=400)


def server_error(request):
    return _standalone_error_page("500.html", status=500)


def _standalone_error_page(template_name, *, status):
    """Render an error page from settings alone: the database, or the request itself, may
    be what failed."""
    context = {"SITE_NAME": settings.SITE_NAME, "CLINIC_PHONE": settings.CLINIC_PHONE}
    return HttpResponse(loader.render_to_string(template_name, context), status=status)
