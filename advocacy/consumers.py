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
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from advocacy import services
from advocacy.models import Ballot, Motion

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def _load(user, motion_id: int):
    motion = Motion.objects.select_related("session").filter(pk=motion_id).first()
    if motion is None:
        return None, CLOSE_NOT_FOUND, None
    if not user.has_perm("advocacy.view_motion", motion):
        return None, CLOSE_FORBIDDEN, None
    return motion, None, services.motion_state(motion)


def _own_ballot(user, motion_id: int):
    membership = user.active_membership
    if membership is None:
        return None
    ballot = Ballot.objects.filter(motion_id=motion_id, organisation_id=membership.organisation_id).first()
    return ballot.choice if ballot else None


def _cast(user, motion_id: int, choice):
    motion = Motion.objects.get(pk=motion_id)
    result = services.cast_ballot(user, motion, choice)
    return result.ballot.choice, result.changed


class VoteConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()
        user = self.scope.get("user")
        if not user or not user.is_authenticated:
            await self.send_json({"type": "error", "code": "not_authenticated"})
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        self.motion_id = int(self.scope["url_route"]["kwargs"]["motion_id"])
        motion, code, state = await database_sync_to_async(_load)(user, self.motion_id)
        if motion is None:
            await self.send_json({"type": "error", "code": "forbidden" if code == CLOSE_FORBIDDEN else "not_found"})
            await self.close(code=code)
            return
        self.group = f"advocacy.motion.{self.motion_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json(state)
        choice = await database_sync_to_async(_own_ballot)(user, self.motion_id)
        await self.send_json({"type": "ballot", "choice": choice})

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
        elif kind == "cast":
            try:
                choice, changed = await database_sync_to_async(_cast)(self.user, self.motion_id, content.get("choice"))
            except services.AdvocacyError as exc:
                await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
                return
            await self.send_json({"type": "ballot", "choice": choice, "changed": changed})
        elif kind == "state":
            _motion, _code, state = await database_sync_to_async(_load)(self.user, self.motion_id)
            if state:
                await self.send_json(state)
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def motion_state(self, event):
        await self.send_json(event["state"])
