"""Helpers to talk to real Daphne processes (LiveSite) as signed-in people over /ws/forum/."""

from __future__ import annotations

import json

SESSION_CODE = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from forum.models import Thread
emails = {emails!r}
keys = []
for email in emails:
    user = get_user_model().objects.get(email=email)
    s = SessionStore()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    keys.append(s.session_key)
thread = Thread.objects.filter(space__slug="general").order_by("pk").first()
print("RESULT", thread.pk, " ".join(keys))
"""


def sessions(site, emails: list[str]) -> tuple[int, list[str]]:
    """Create real sessions in the live site's database; return (thread id, session keys)."""
    out = site.manage("shell", "-c", SESSION_CODE.format(emails=emails))
    line = [ln for ln in out.splitlines() if ln.startswith("RESULT")][-1].split()
    return int(line[1]), line[2:]


async def open_socket(base_url: str, session_key: str):
    from websockets.asyncio.client import connect

    ws_url = base_url.replace("http://", "ws://") + "/ws/forum/"
    return await connect(
        ws_url,
        additional_headers={"Cookie": f"sessionid={session_key}", "Origin": base_url},
        max_size=2**22,
        ping_interval=None,
    )


async def next_of(ws, *types, timeout: float = 10):
    import asyncio

    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] in types:
            return frame
        assert frame["type"] != "error", frame


async def subscribe(ws, thread_id: int, last_seq: int | None = None) -> dict:
    frame = {"type": "subscribe", "thread": thread_id}
    if last_seq is not None:
        frame["last_seq"] = last_seq
    await ws.send(json.dumps(frame))
    return await next_of(ws, "subscribed")
