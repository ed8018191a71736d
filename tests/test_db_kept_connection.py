"""tcri_site.db.database_sync_to_async: the process's database thread keeps its connection
between consumer calls, and still drops a broken or expired one (real database: SQLite by
default, PostgreSQL when DATABASE_URL is set)."""

import time

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async as channels_database_sync_to_async
from django.db import connection, connections

from tcri_site import db
from tcri_site.db import database_sync_to_async

pytestmark = pytest.mark.django_db(transaction=True)


CLOSES: list = []


def _count_closes():
    """Count close() calls on this thread's connection. (The in-memory SQLite test database
    ignores close(), so the calls are what tells, on every backend.)"""
    wrapper = connections["default"]
    if "close" not in wrapper.__dict__:
        original = type(wrapper).close

        def close():
            CLOSES.append(1)
            original(wrapper)
            if wrapper.connection is not None:
                # In-memory SQLite kept it open: make it look reopened with CONN_MAX_AGE = 0,
                # as a real close and reconnect would.
                wrapper.close_at = time.monotonic()
                wrapper.__dict__.pop("_tcri_kept", None)

        wrapper.close = close


def _close():
    _count_closes()
    connections["default"].close()


def _query():
    """A consumer's database work. The counter starts after the helper's own check on the
    way in, so what it records is what the helper closed on the way out."""
    _count_closes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    CLOSES.clear()


@pytest.fixture(autouse=True)
async def fresh_connection():
    """Start each test from a connection opened now. The database thread is the process's,
    shared with earlier tests: a connection it kept more than KEEP_SECONDS ago is rightly
    closed on its next use. On in-memory SQLite, whose close() does nothing, that close
    came again after the first call's work and was counted (CI, 2026-12-01)."""
    await sync_to_async(_close)()


async def closed_after(helper, func=_query) -> int:
    await helper(func)()
    return len(CLOSES)


async def test_consecutive_calls_reuse_one_connection():
    for _ in range(5):
        assert await closed_after(database_sync_to_async) == 0


async def test_channels_own_version_would_close_it_each_time():
    # What this module exists for: with CONN_MAX_AGE = 0, Channels' helper closes the
    # connection after every call.
    for _ in range(3):
        assert await closed_after(channels_database_sync_to_async) == 1


async def test_a_kept_connection_survives_channels_own_calls_in_between():
    assert await closed_after(database_sync_to_async) == 0
    # The auth middleware uses Channels' helper in the same thread; it checks the age, and
    # the kept connection is not old.
    assert await closed_after(channels_database_sync_to_async) == 0
    assert await closed_after(database_sync_to_async) == 0


async def test_an_expired_connection_is_closed(monkeypatch):
    monkeypatch.setattr(db, "KEEP_SECONDS", 0.0)
    assert await closed_after(database_sync_to_async) == 1


async def test_a_broken_connection_is_closed():
    assert await closed_after(database_sync_to_async) == 0

    def break_it():
        _query()
        connections["default"].errors_occurred = True
        connections["default"].is_usable = lambda: False

    try:
        assert await closed_after(database_sync_to_async, break_it) == 1
    finally:
        await sync_to_async(lambda: connections["default"].__dict__.pop("is_usable", None))()


async def test_another_thread_keeps_nothing():
    # Outside the process's database thread (a request's own thread) nothing is kept.
    assert await closed_after(lambda f: database_sync_to_async(f, thread_sensitive=False)) == 1
