"""Test settings: the same configuration as dev, with fast hashing and captured e-mail.

DATABASE_URL and REDIS_URL are honoured, so CI runs the suite on SQLite + in-memory layer
and again on PostgreSQL + Redis.
"""

import tempfile

from tcri_site.settings.base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="tcri-test-media-")
WAGTAILADMIN_BASE_URL = SITE_URL = "http://testserver"  # noqa: F405
