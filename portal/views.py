from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
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


def server_error(request):
    """Render the 500 page from settings alone: the database may be what failed."""
    context = {"SITE_NAME": settings.SITE_NAME, "CLINIC_PHONE": settings.CLINIC_PHONE}
    return HttpResponseServerError(loader.render_to_string("500.html", context))
