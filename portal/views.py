from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.context_processors import clinic


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
    return _standalone_error_page(request, "400.html", status=400)


def server_error(request):
    return _standalone_error_page(request, "500.html", status=500)


def _standalone_error_page(request, template_name, *, status):
    """Render an error page from settings alone, without the request's context processors:
    the database, or the request itself, may be what failed."""
    return HttpResponse(loader.render_to_string(template_name, clinic(request)), status=status)
