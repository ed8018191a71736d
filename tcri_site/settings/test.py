"""Test settings: the same configuration as dev, with fast hashing and captured e-mail.

DATABASE_URL and REDIS_URL are honoured, so CI runs the suite on SQLite + in-memory layer
and again on PostgreSQL + Redis.
"""

import tempfile

from tcri_site.settings.base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# E-mails and scheduled jobs run at once (mail.outbox sees them after commit); the outbox
# and schedule tests switch "background" to the database queue and run a real worker.
TASKS = {**TASKS, "background": TASKS["default"]}  # noqa: F405
MEDIA_ROOT = tempfile.mkdtemp(prefix="tcri-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="tcri-test-private-")
STORAGES = {**STORAGES, "private": {**PRIVATE_STORAGE, "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}}  # noqa: F405
WAGTAILADMIN_BASE_URL = SITE_URL = "http://testserver"  # noqa: F405

# Test processes (pytest-xdist workers, the two CI runs, developers in parallel) share one
# Redis: give each process its own channel-layer and cache namespace so that groups named
# after database ids ("thread.1") never receive another process's events.
import os  # noqa: E402

_namespace = f"tcri-test-{os.getpid()}"
if CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = _namespace  # noqa: F405
    CHANNEL_LAYERS["fanout"]["CONFIG"]["prefix"] = f"{_namespace}.fanout."  # noqa: F405
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = _namespace  # noqa: F405

# The nightly backup job is tested on its own (tests/backups); no tick makes one by surprise.
BACKUP_NIGHTLY = False
