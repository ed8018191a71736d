"""Live vote: counts, organisations voted, quorum and result, pushed to the vote page and
the projector; délégué·es and substitut·es may also cast their ballot over the socket.

On connect the client gets the current state (so a reconnecting page is up to date) and,
for a voter, their organisation's ballot. Every refusal is an ``error`` event; nothing is
stored then.

Protocol on ``ws/votes/<motion id>/`` (JSON text frames):
  server → client
    {"type": "motion.state", "motion", "status", "counts": {"pour", "contre", "abstention"},
     "voted", "eligible", "quorum": {"present", "total", "required", "met"}, "result",
     "ballot_kind", "roll_call": [...] (roll-call motions, once closed)}
    {"type": "ballot", "choice": "pour" | "contre" | "abstention" | null, "changed"?}
    {"type": "error", "code", "message"?}   codes: not_authenticated (then close 4401),
        forbidden (4403 on connect), not_found (4404), closed, not_open, delegate_voted,
        substitute_voted, invalid_input, unknown_type
    {"type": "pong"}
  client → server
    {"type": "cast", "choice": ...} · {"type": "state"} · {"type": "ping"}

Protocol on ``ws/seances/<session id>/`` (read-only, for the session page):
  server → client
    {"type": "session.state", "session", "quorum": {"present", "total", "required", "met"},
     "present": [{"id", "name"}, ...]}   on connect, and whenever an organisation arrives or leaves
    {"type": "error", "code"}   not_authenticated (4401), forbidden (4403), not_found (4404),
        unknown_type
    {"type": "pong"}
  client → server
    {"type": "state"} · {"type": "ping"}
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from advocacy import services
from advocacy.groups import motion_group, session_group
from advocacy.models import Ballot, ForumSession, Motion
from tcri_site.db import database_sync_to_async
from tcri_site.errors import Refusal

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def _load_motion(user, motion_id: int):
    motion = Motion.objects.select_related("session").filter(pk=motion_id).first()
    if motion is None:
        return CLOSE_NOT_FOUND, None
    if not user.has_perm("advocacy.see_motion", motion):
        return CLOSE_FORBIDDEN, None
    return None, services.motion_state(motion)


def _load_session(user, session_id: int):
    session = ForumSession.objects.filter(pk=session_id).first()
    if session is None:
        return CLOSE_NOT_FOUND, None
    if not user.has_perm("advocacy.view_session", session):
        return CLOSE_FORBIDDEN, None
    return None, services.session_state(session)


def _own_ballot(user, motion_id: int):
    membership = user.active_membership
    if membership is None:
        return None
    ballot = Ballot.objects.filter(motion_id=motion_id, organisation_id=membership.organisation_id).first()
    return ballot.choice if ballot else None


def _cast(user, motion_id: int, choice):
    motion = Motion.objects.get(pk=motion_id)
    result = services.do_cast_ballot(actor=user, motion=motion, choice=choice)
    return result.ballot.choice, result.changed


class _LiveStateConsumer(AsyncJsonWebsocketConsumer):
    """Accept, check the person through ``rules`` (the close code reaches the browser only
    because the socket was accepted first), join the object's group, send its state."""

    url_kwarg = ""

    def load(self, user, pk: int):  # -> (close code or None, state)
        raise NotImplementedError

    def group_for(self, pk: int) -> str:
        raise NotImplementedError

    async def connect(self):
        await self.accept()
        user = self.scope.get("user")
        if not user or not user.is_authenticated:
            await self.send_json({"type": "error", "code": "not_authenticated"})
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        self.pk = int(self.scope["url_route"]["kwargs"][self.url_kwarg])
        code, state = await database_sync_to_async(self.load)(user, self.pk)
        if code is not None:
            await self.send_json({"type": "error", "code": "forbidden" if code == CLOSE_FORBIDDEN else "not_found"})
            await self.close(code=code)
            return
        self.group = self.group_for(self.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json(state)
        await self.connected()

    async def connected(self):
        pass

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def decode_json(self, text_data):
        try:
            return json.loads(text_data)
        except ValueError:
            return {"type": "invalid"}

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            content = {"type": "invalid"}
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "state":
            _code, state = await database_sync_to_async(self.load)(self.user, self.pk)
            if state:
                await self.send_json(state)
        elif not await self.receive_other(kind, content):
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def receive_other(self, kind, content) -> bool:
        return False


class VoteConsumer(_LiveStateConsumer):
    url_kwarg = "motion_id"
    load = staticmethod(_load_motion)
    group_for = staticmethod(motion_group)

    async def connected(self):
        choice = await database_sync_to_async(_own_ballot)(self.user, self.pk)
        await self.send_json({"type": "ballot", "choice": choice})

    async def receive_other(self, kind, content) -> bool:
        if kind != "cast":
            return False
        try:
            choice, changed = await database_sync_to_async(_cast)(self.user, self.pk, content.get("choice"))
        except Refusal as exc:
            await self.send_json(exc.as_event())
            return True
        await self.send_json({"type": "ballot", "choice": choice, "changed": changed})
        return True

    async def motion_state(self, event):
        await self.send_json(event["state"])


class SessionConsumer(_LiveStateConsumer):
    url_kwarg = "session_id"
    load = staticmethod(_load_session)
    group_for = staticmethod(session_group)

    async def session_state(self, event):
        await self.send_json(event["state"])
