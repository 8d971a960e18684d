import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Imported once Django is set up: the page cache reads the settings.
from portal.page_cache import serve_stored_pages  # noqa: E402

application = serve_stored_pages(application)
