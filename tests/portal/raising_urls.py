"""The portal's own URLconf, with its error handlers, plus one address whose view fails."""

from django.urls import path

from portal.urls import *  # noqa: F403
from portal.urls import urlpatterns as portal_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fails/", failing_view), *portal_urlpatterns]
