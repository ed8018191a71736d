"""tcri_site.live.group_send: broadcasts from synchronous code, with the real channel layer
(in-memory by default, Redis when REDIS_URL is set)."""

import asyncio
import logging
import threading
import uuid

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from tcri_site.live import group_send


async def _listen(layer):
    group = f"test.live.{uuid.uuid4().hex}"
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return group, channel


async def test_a_worker_thread_does_not_wait_for_a_busy_event_loop_and_order_is_kept():
    layer = get_channel_layer()
    group, channel = await _listen(layer)
    loop = asyncio.get_running_loop()
    released = threading.Event()
    outcome = {}

    def hold_the_loop():
        # Blocks the event loop until the worker has sent everything. A send that waited
        # for the loop would never let this return True.
        outcome["released"] = released.wait(5)

    def worker():
        loop.call_soon_threadsafe(hold_the_loop)
        for n in range(20):
            group_send(group, {"type": "test.message", "n": n})
        released.set()

    await sync_to_async(worker)()
    assert outcome == {"released": True}
    received = [(await asyncio.wait_for(layer.receive(channel), 5))["n"] for _ in range(20)]
    assert received == list(range(20))


def test_without_an_event_loop_the_send_is_done_before_returning():
    layer = get_channel_layer()

    async def listen():
        return await _listen(layer)

    group, channel = async_to_sync(listen)()
    group_send(group, {"type": "test.message", "n": 1})

    async def receive():
        return await asyncio.wait_for(layer.receive(channel), 5)

    assert async_to_sync(receive)()["n"] == 1


async def test_a_failed_send_is_logged_never_raised(caplog):
    caplog.set_level(logging.ERROR, logger="tcri_site.live")

    def worker():
        group_send("not a valid group name!", {"type": "test.message"})

    await sync_to_async(worker)()  # returns: the failure happens on the loop
    for _ in range(50):
        if "Could not broadcast" in caplog.text:
            break
        await asyncio.sleep(0.02)
    assert "Could not broadcast to not a valid group name!" in caplog.text

