"""One channel-layer reader per server process for thread events, and presence announcements.

Channels delivers a group message to every member channel, and each consumer then pays
the layer's receive and its own dispatch for every event: with many readers of one thread
that per-socket cost dominates. Here each process joins a thread's group once, with one
channel, and hands every event to its local sockets directly (``ForumConsumer.deliver``),
which only compares sequence numbers and writes the pre-serialised frame.

Ephemeral frames (typing, presence) still use the per-socket group ``thread_live_group``
(forum/groups.py).
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer
from django.core.cache import cache

from forum.groups import thread_group, thread_live_group
from tcri_site.db import database_sync_to_async

logger = logging.getLogger(__name__)

FANOUT_LAYER = "fanout"  # settings.CHANNEL_LAYERS: pub/sub with Redis (tcri_site/settings/env.py)

PRESENCE_DEBOUNCE = 1  # seconds

_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[int, set] = {}
        self.task: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def _ensure(self) -> None:
        if self.channel is None:
            # The default prefix matters: channels-redis reads every process-specific
            # channel through one shared receive loop keyed on "specific.<client>!".
            self.channel = await self.layer.new_channel()
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def add(self, thread_id: int, consumer) -> None:
        async with self.lock:
            await self._ensure()
            members = self.members.setdefault(thread_id, set())
            if not members:
                await self.layer.group_add(thread_group(thread_id), self.channel)
            members.add(consumer)

    async def remove(self, thread_id: int, consumer) -> None:
        async with self.lock:
            members = self.members.get(thread_id)
            if not members:
                return
            members.discard(consumer)
            if not members:
                del self.members[thread_id]
                await self.layer.group_discard(thread_group(thread_id), self.channel)

    async def _run(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep reading; sockets repair gaps themselves
                logger.exception("Forum hub could not read the channel layer")
                await asyncio.sleep(1)
                continue
            if message.get("type") != "forum.event":
                continue
            for consumer in list(self.members.get(message["thread"], ())):
                try:
                    await consumer.deliver(message)
                except Exception:  # noqa: BLE001 - one broken socket must not stop the others
                    logger.exception("Forum hub could not deliver to a socket")


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    current = _hubs.get(loop)
    if current is None:
        current = Hub(get_channel_layer(FANOUT_LAYER))
        _hubs[loop] = current
    return current


async def announce_presence(layer, thread_id: int) -> None:
    """Announce who reads the thread, at most about once a second per thread.

    The first change in a window schedules one broadcast (cross-process, through the
    shared cache); it reads the list from the database when it fires, so every change
    committed before then is included. Without this, N people opening a thread at
    once would cost N database queries and N² frames.
    """
    scheduled = await database_sync_to_async(cache.add)(f"forum:presence:{thread_id}", 1, PRESENCE_DEBOUNCE)
    if scheduled:
        asyncio.get_running_loop().call_later(
            PRESENCE_DEBOUNCE + 0.2, lambda: asyncio.ensure_future(_send_presence(layer, thread_id))
        )


async def _send_presence(layer, thread_id: int) -> None:
    from forum.services import readers

    try:
        people = await database_sync_to_async(readers)(thread_id)
        await layer.group_send(
            thread_live_group(thread_id), {"type": "forum.presence", "thread": thread_id, "readers": people}
        )
    except Exception:  # noqa: BLE001 - presence is best effort
        logger.exception("Could not announce presence in thread %s", thread_id)
