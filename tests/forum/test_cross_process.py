"""Two real Daphne processes sharing Redis act as one (CI's second run sets REDIS_URL)."""

import asyncio
import json
import os

import pytest

from tests.forum.live_ws import next_of, open_socket, sessions, subscribe
from tests.live import LiveSite

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (CI's second run sets it)"),
]


@pytest.fixture(scope="module")
def two_processes():
    site = LiveSite("forumx", extra_env={"REDIS_URL": REDIS_URL, "FORUM_RATE_LIMIT": "5/60"}).prepare()
    try:
        site.start(2)
        thread_id, keys = sessions(
            site, ["membre@demo.tcri.example", "delegue@demo.tcri.example", "p3.org2@demo.tcri.example"]
        )
        yield site, thread_id, keys
    finally:
        site.stop()


def test_message_posted_through_one_process_reaches_a_reader_on_the_other(two_processes):
    site, thread_id, (a_key, b_key, _c) = two_processes

    async def scenario():
        a = await open_socket(site.urls[0], a_key)
        b = await open_socket(site.urls[1], b_key)
        await subscribe(a, thread_id)
        sub = await subscribe(b, thread_id)
        await a.send(json.dumps({"type": "message.create", "thread": thread_id, "client_id": "x-1",
                                 "payload": {"body": "Bonjour de l'autre processus"}}))
        ack = await next_of(a, "ack")
        event = await next_of(b, "message.created")
        assert event["id"] == ack["id"] and event["seq"] == sub["seq"] + 1
        assert event["payload"]["body"] == "Bonjour de l'autre processus"
        # typing crosses processes too (ephemeral, through the layer)
        await b.send(json.dumps({"type": "typing", "thread": thread_id}))
        typing = await next_of(a, "typing")
        assert typing["payload"]["user"]["name"]
        await a.close()
        await b.close()

    asyncio.run(scenario())


def test_idle_socket_stays_open_for_more_than_a_minute(two_processes):
    """channels_redis issue 422: with redis-py 8's default 5 s socket timeout the layer's
    blocking read fails on idle sockets; the configured socket_timeout=None keeps it."""
    site, thread_id, (a_key, b_key, _c) = two_processes

    async def scenario():
        a = await open_socket(site.urls[0], a_key)
        b = await open_socket(site.urls[1], b_key)
        await subscribe(a, thread_id)
        await subscribe(b, thread_id)
        await asyncio.sleep(0.5)
        while True:  # drain presence frames
            try:
                await asyncio.wait_for(b.recv(), 0.3)
            except asyncio.TimeoutError:
                break
        await asyncio.sleep(65)  # idle: no frame in either direction
        await a.send(json.dumps({"type": "message.create", "thread": thread_id, "client_id": "idle-1",
                                 "payload": {"body": "Toujours là ?"}}))
        event = await next_of(b, "message.created", timeout=15)
        assert event["payload"]["body"] == "Toujours là ?"
        await a.close()
        await b.close()

    asyncio.run(scenario())


def test_rate_limit_is_shared_across_processes(two_processes):
    site, thread_id, (_a, _b, c_key) = two_processes

    async def scenario():
        one = await open_socket(site.urls[0], c_key)
        two = await open_socket(site.urls[1], c_key)
        outcomes = []
        for i in range(8):
            ws = one if i % 2 == 0 else two
            await ws.send(json.dumps({"type": "message.create", "thread": thread_id, "client_id": f"rl-{i}",
                                      "payload": {"body": f"message {i}"}}))
            frame = await next_of(ws, "ack", "error")
            outcomes.append(frame["payload"].get("code", "ok"))
        assert outcomes.count("ok") == 5 and outcomes[5:] == ["rate_limited"] * 3
        await one.close()
        await two.close()

    asyncio.run(scenario())
