"""Database access from consumers: ``database_sync_to_async`` that keeps its connection.

Channels' ``database_sync_to_async`` calls ``close_old_connections()`` before and after
every call, and with ``CONN_MAX_AGE = 0`` (which ASGI needs: each HTTP request runs in a
thread of its own, and a connection kept there would outlive its thread) that opens and
closes a database connection for every frame a consumer handles. In the forum fan-out
bench that was about a third of the database thread's busy time (and on SQLite in WAL
mode every close of the last connection also checkpoints the log).

Consumers are different from requests: outside a request, every thread-sensitive call of
a server process runs in one thread (asgiref's single thread executor). There, keeping
the connection between calls costs one connection per process and per database, for at
most ``KEEP_SECONDS``. Django's own checks still apply before and after every call: a
connection that saw an error and no longer answers, or whose autocommit was left
changed, is closed, exactly as ``close_old_connections`` does for requests.

Only that one thread keeps its connection: in any other thread (a request's own, which
ends with the request) this behaves like Channels' version.
"""

from __future__ import annotations

import threading
import time

from asgiref.sync import SyncToAsync
from django.db import close_old_connections, connections

KEEP_SECONDS = 60.0


def _keep_connections() -> None:
    if threading.current_thread() not in getattr(SyncToAsync.single_thread_executor, "_threads", ()):
        return  # a request's own thread (it ends with the request): keep nothing
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if raw is None or getattr(conn, "_tcri_kept", None) is raw:
            continue
        # Freshly opened here: give it KEEP_SECONDS (or what CONN_MAX_AGE grants, if more).
        conn._tcri_kept = raw
        if conn.close_at is not None:
            conn.close_at = max(conn.close_at, now + KEEP_SECONDS)


class KeptConnectionSyncToAsync(SyncToAsync):
    """``database_sync_to_async`` for consumers; see the module docstring."""

    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _keep_connections()
            close_old_connections()


database_sync_to_async = KeptConnectionSyncToAsync
