"""Settings for app instances the tests start as separate processes.

They are the test settings; without REDIS_URL (the SQLite run), the instances share a
cache on disk instead of each keeping its own in memory, as Redis is shared in production.
"""

import os

from portal import settings as portal_settings
from tests.settings import *  # noqa: F403

# Uploads where the portal's settings put them (object storage when MEDIA_S3_BUCKET is set).
STORAGES = {**STORAGES, "default": portal_settings.STORAGES["default"]}  # noqa: F405

if not REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["INSTANCE_CACHE_DIR"],
        }
    }
