"""Sending to channel-layer groups from synchronous code (services, after commit).

``async_to_sync(layer.group_send)`` called from a ``sync_to_async`` worker thread (a
consumer's ``database_sync_to_async`` or a Django view under Daphne) blocks that thread
until the server's event loop gets round to the send. With many sockets open that loop is
busy writing frames, and the worker thread, which is the single database thread of the
process, waits for it: under load most of a post's time went there (forum fan-out bench).

Here, when the caller runs in such a worker thread, the send is handed to the event loop
and the thread goes on at once. The loop sends in the order the calls were made (one
queue and one task per loop), so the sequence numbers of thread events reach the layer in
order. Anywhere else (management commands, cron, synchronous tests) the send blocks as
before. Failures are logged, never raised: a broadcast never undoes a committed change,
and sockets repair a lost event from the database.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import itertools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

from asgiref.sync import SyncToAsync, async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

_senders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Sender:
    """One per event loop: sends queued (group, message) pairs in order."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.queue: asyncio.Queue = asyncio.Queue()
        self.task = loop.create_task(self._run())

    async def _run(self) -> None:
        while True:
            layer, group, message = await self.queue.get()
            try:
                await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - keep sending the others
                logger.exception("Could not broadcast to %s", group)


def _enqueue(loop, layer, group: str, message: dict) -> None:
    """Runs on the event loop (call_soon_threadsafe keeps the callers' order)."""
    sender = _senders.get(loop)
    if sender is None or sender.task.done():
        sender = _senders[loop] = _Sender(loop)
    sender.queue.put_nowait((layer, group, message))


def _serving_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop that runs this worker thread's caller, if it still runs."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return None  # called from async code: the caller should await group_send itself
    if loop.is_closed() or not loop.is_running():
        return None
    return loop


def group_send(group: str, message: dict, alias: str = DEFAULT_CHANNEL_LAYER) -> None:
    """Send ``message`` to ``group`` on the layer ``alias`` from synchronous code; never
    raises. Sends keep their call order across layers."""
    layer = get_channel_layer(alias)
    if layer is None:
        return
    loop = _serving_loop()
    if loop is not None:
        try:
            loop.call_soon_threadsafe(_enqueue, loop, layer, group, message)
            return
        except RuntimeError:  # the loop closed meanwhile: send here instead
            pass
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # noqa: BLE001 - a failed broadcast must not undo a committed change
        logger.exception("Could not broadcast to %s", group)


def group_send_many(messages: list[tuple[str, dict]], alias: str = DEFAULT_CHANNEL_LAYER) -> None:
    """``group_send`` for many (group, message) pairs, handed over at once: one call to the
    serving loop, or one trip to an event loop here, instead of one per pair (a thread is
    started for each ``async_to_sync``: 150 badges cost 200 ms that way). Never raises."""
    if not messages:
        return
    layer = get_channel_layer(alias)
    if layer is None:
        return
    loop = _serving_loop()
    if loop is not None:
        try:
            loop.call_soon_threadsafe(_enqueue_many, loop, layer, list(messages))
            return
        except RuntimeError:  # the loop closed meanwhile: send here instead
            pass

    async def send_all() -> None:
        for group, message in messages:
            try:
                await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - keep sending the others
                logger.exception("Could not broadcast to %s", group)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - a failed broadcast must not undo a committed change
        logger.exception("Could not broadcast to %s groups", len(messages))


def _enqueue_many(loop, layer, messages) -> None:
    for group, message in messages:
        _enqueue(loop, layer, group, message)


def send_event_on_commit(
    group: str,
    message: dict | Callable[[], dict | None],
    *,
    using: str | None = None,
    alias: str = DEFAULT_CHANNEL_LAYER,
) -> None:
    """Broadcast ``message`` to ``group`` once the current transaction commits.

    The one way a service announces a change: nothing is broadcast that was not stored,
    and a rolled-back change announces nothing. ``message`` may be a callable, called after
    the commit, for events that describe the committed state (a tally, a quorum); a callable
    that returns ``None`` sends nothing. Outside a transaction the event goes at once.
    ``alias`` names the channel layer (the forum's thread events use ``fanout``).
    """

    def send() -> None:
        event = message() if callable(message) else message
        if event is not None:
            group_send(group, event, alias)

    transaction.on_commit(send, using=using)


# --- Work that nobody waits for ------------------------------------------------------------

SOON_SECONDS = 0.05
_soon: dict[int, tuple] = {}
_soon_lock = threading.Lock()
_settled = threading.Condition(_soon_lock)
_running = 0  # calls taken from _soon and not finished yet
_soon_ids = itertools.count()


def defers() -> bool:
    """Whether ``soon`` called here would wait (an ASGI server's worker thread)."""
    return _serving_loop() is not None


def soon(func, *args) -> None:
    """Run ``func(*args)`` a moment from now, after the broadcasts just handed over.

    For after-commit work nobody is waiting for (indexing a new message for search): in a
    worker thread of the ASGI server it would share the GIL with the event loop while the
    loop writes the new message to every socket, and delay it. There the call goes to the
    loop, which runs it ``SOON_SECONDS`` later in the process's database thread; anywhere
    else (commands, tests, plain WSGI) it runs at once. Calls still waiting when the process
    exits run then. Failures are logged, never raised.
    """
    loop = _serving_loop()
    if loop is None:
        _run(func, args)
        return
    key = next(_soon_ids)
    with _soon_lock:
        _soon[key] = (func, args)
    try:
        # A fresh context: this thread's carries asgiref's "inside sync_to_async" marks.
        loop.call_soon_threadsafe(loop.call_later, SOON_SECONDS, _start, loop, key, context=contextvars.Context())
    except RuntimeError:  # the loop closed meanwhile: run here
        run_waiting(key)


def _start(loop, key: int) -> None:
    from tcri_site.db import database_sync_to_async

    loop.create_task(database_sync_to_async(run_waiting)(key))


def run_waiting(key: int | None = None) -> None:
    """Run the waiting call ``key``, or all of them (at exit)."""
    global _running
    with _soon_lock:
        if key is None:
            calls = list(_soon.values())
            _soon.clear()
        else:
            call = _soon.pop(key, None)
            calls = [call] if call else []
        _running += len(calls)
    try:
        for func, args in calls:
            _run(func, args)
    finally:
        with _soon_lock:
            _running -= len(calls)
            _settled.notify_all()


def drain(timeout: float = 10.0) -> bool:
    """Run every waiting call here, then wait for those already running in another thread.

    For whoever must know the deferred work is over: a test before its database is
    emptied, a process before it exits. False if some call still ran after ``timeout``.
    """
    run_waiting()
    with _soon_lock:
        return _settled.wait_for(lambda: _running == 0, timeout)


def _run(func, args) -> None:
    try:
        func(*args)
    except Exception:  # noqa: BLE001 - after-commit work must not break the caller
        logger.exception("Deferred %s failed", getattr(func, "__qualname__", func))


atexit.register(drain)


# --- Coalesced work: at most one run per key and interval, the last after the last call ---

_coalesced: dict = {}  # key -> [monotonic time of the last run, whether a run is pending]
_coalesced_lock = threading.Lock()


def coalesce(key, interval: float, func, *args) -> None:
    """Run ``func(*args)`` now, or once ``interval`` seconds after its last run for ``key``,
    merging every call made meanwhile into that one run.

    For broadcasts that describe the current state (a live tally): 150 ballots in one
    second give about five broadcasts instead of 150, and since a run reads the state when
    it runs (the pending mark is cleared before), the last run always comes after the last
    call. In an ASGI server's worker thread the run goes to the loop, then to the process's
    database thread; anywhere else (commands, synchronous tests) it runs at once.
    """
    loop = _serving_loop()
    if loop is None:
        _run(func, args)
        return
    with _coalesced_lock:
        entry = _coalesced.setdefault(key, [float("-inf"), False])
        if entry[1]:
            return
        entry[1] = True
        delay = max(0.0, entry[0] + interval - time.monotonic())
    try:
        loop.call_soon_threadsafe(
            loop.call_later, delay, _start_coalesced, loop, key, func, args, context=contextvars.Context()
        )
    except RuntimeError:  # the loop closed meanwhile: run here
        _run_coalesced(key, func, args)


def _start_coalesced(loop, key, func, args) -> None:
    from tcri_site.db import database_sync_to_async

    loop.create_task(database_sync_to_async(_run_coalesced)(key, func, args))


def _run_coalesced(key, func, args) -> None:
    with _coalesced_lock:
        _coalesced[key] = [time.monotonic(), False]
    _run(func, args)
