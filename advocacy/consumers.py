"""Live vote: counts, organisations voted, quorum and result, pushed to the vote page and
the projector; délégué·es and substitut·es may also cast their ballot over the socket.

On connect the client gets the current state (so a reconnecting page is up to date) and,
for a voter, their organisation's ballot. Every refusal is an ``error`` event; nothing is
stored then.

Protocol on ``ws/votes/<motion id>/`` (JSON text frames):
  server → client
    {"type": "motion.state", "motion", "status", "counts": {"for", "against", "abstain"}
     (null while a secret vote is open, with "counts_hidden": true), "voted", "eligible",
     "quorum": {"present", "total", "required", "met"}, "result", "ballot_kind",
     "roll_call": [...] (roll-call motions, once closed)}
    {"type": "ballot", "choice": "for" | "against" | "abstain" | null, "ballots": [...],
     "may_vote", "code", "secret"}   on connect (every organisation the person votes for;
        a secret vote's choice is never sent back: null, with "voted" per slot)
    {"type": "ballot", "choice", "changed", "organisation", "final"}   answer to a cast
        (a secret ballot: choice null, final true)
    {"type": "ballot.entered", "organisation", "choice", "channel"}   answer to an enter
    {"type": "error", "code", "message"}   codes: not_authenticated (then close 4401),
        forbidden (4403 on connect), not_found (4404), closed, not_open, delegate_voted,
        substitute_voted, already_voted, secret_final, entered_by_chair, proxy_given, member,
        not_representative, not_eligible, other_organisation, invalid_input, and the
        bad-frame codes common to every route
        (docs/websocket-protocol.md: invalid_json, bad_request, too_deep, frame_too_large,
        unknown_type; rate_limited then close 4429)
    {"type": "pong"}
  client → server
    {"type": "cast", "choice": ..., "organisation"?: id (a procuration held)}
    {"type": "enter", "organisation": id, "choice", "channel": "paper" | "phone" | "hands"}
        (the chair) · {"type": "state"} · {"type": "ping"}

Protocol on ``ws/seances/<session id>/`` (read-only, for the session page):
  server → client
    {"type": "session.state", "session", "quorum": {"present", "total", "required", "met"},
     "present": [{"id", "name", "proxy"?}, ...]}   on connect, and whenever an organisation
        arrives or leaves ("proxy": represented through a procuration)
    {"type": "procurations.state", "session", "procurations": [{"id", "giver", "holder",
     "holder_organisation", "status"}, ...]}   whenever one is requested, decided or withdrawn
    {"type": "error", "code", "message"}   not_authenticated (4401), forbidden (4403),
        not_found (4404), and the common bad-frame codes
    {"type": "pong"}
  client → server
    {"type": "state"} · {"type": "ping"}
  The sitting (advocacy.services.projector, .speakers, .rollcall) adds, after
  ``session.state`` on connect and whenever they change: ``speakers.state`` (the current
  item's list of speakers), ``rollcall.state``, ``projector.state``; and the client frame
  {"type": "hand", "raised": bool, "point_of_order"?: bool} (raise or lower one's hand on the
  current item).

Protocol on ``ws/seances/<session id>/projecteur/`` (the wall): ``projector.state`` on
connect and on every change, ``session.state``, ``speakers.state``, and the projected vote's
``motion.state`` (a secret vote's counts withheld until it closes). Full description in
docs/websocket-protocol.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from advocacy import services
from advocacy.errors import InvalidInput
from advocacy.groups import motion_group, session_group
from advocacy.models import ForumSession, Motion
from advocacy.services import sitting_sockets as sitting
from tcri_site.db import database_sync_to_async
from tcri_site.errors import NotAllowed, NotFound
from tcri_site.sockets import BaseConsumer, CloseCode


def _load_motion(user, motion_id: int) -> dict:
    motion = Motion.objects.select_related("session").filter(pk=motion_id).first()
    if motion is None:
        raise NotFound()
    if not user.has_perm("advocacy.see_motion", motion):
        raise NotAllowed()
    return services.motion_state(motion)


def _load_session(user, session_id: int) -> dict:
    session = ForumSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if not user.has_perm("advocacy.view_session", session):
        raise NotAllowed()
    return services.session_state(session)


def _own_ballot(user, motion_id: int) -> dict:
    """The ``ballot`` event on connect: the own organisation's choice and, for a person who
    votes for several (procurations) or may not vote, each slot and why not."""
    motion = Motion.objects.select_related("session").get(pk=motion_id)
    rights = services.voting_rights(user, motion)
    own = rights.slot_for(None)
    return {
        "type": "ballot",
        "choice": own.ballot.choice if own and own.ballot else None,
        "ballots": [
            {"organisation": slot.organisation.pk, "choice": slot.ballot.choice if slot.ballot else None,
             "proxy": slot.role == "proxy", "may_cast": slot.may_cast, "code": slot.code, "voted": slot.ballot is not None}
            for slot in rights.slots
        ],
        "may_vote": rights.may_cast_any,
        "code": rights.code,
        "secret": motion.is_secret,
    }


def _organisation_id(frame: dict) -> int | None:
    value = frame.get("organisation")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("« organisation » doit être le numéro d'un organisme."))
    return value


def _cast(user, motion_id: int, frame: dict) -> dict:
    motion = Motion.objects.get(pk=motion_id)
    result = services.do_cast_ballot(actor=user, motion=motion, choice=frame.get("choice"), organisation=_organisation_id(frame))
    return {
        "type": "ballot", "choice": result.ballot.choice, "changed": result.changed,
        "organisation": result.ballot.organisation_id, "final": result.ballot.is_final,
    }


def _enter(user, motion_id: int, frame: dict) -> dict:
    motion = Motion.objects.select_related("session").get(pk=motion_id)
    ballot = services.do_enter_ballot(
        actor=user, motion=motion, organisation=_organisation_id(frame) or 0, choice=frame.get("choice"), channel=frame.get("channel")
    )
    return {"type": "ballot.entered", "organisation": ballot.organisation_id, "choice": ballot.choice, "channel": ballot.channel}


class _LiveStateConsumer(BaseConsumer):
    """Check the person through ``rules`` on the object named in the URL, join the object's
    group, send its state; ``state`` frames ask for it again."""

    url_kwarg = ""
    handlers = {"state": "on_state"}

    def load(self, user, pk: int) -> dict:  # raises NotFound / NotAllowed
        raise NotImplementedError

    def group_for(self, pk: int) -> str:
        raise NotImplementedError

    async def opened(self) -> None:
        self.pk = int(self.scope["url_route"]["kwargs"][self.url_kwarg])
        try:
            state = await database_sync_to_async(self.load)(self.user, self.pk)
        except NotFound as refusal:
            await self.refuse(refusal, CloseCode.NOT_FOUND)
            return
        except NotAllowed as refusal:
            await self.refuse(refusal, CloseCode.FORBIDDEN)
            return
        self.group = self.group_for(self.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json(state)
        await self.connected()

    async def connected(self) -> None:
        pass

    async def closing(self, code) -> None:
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def on_state(self, frame: dict) -> None:
        await self.send_json(await database_sync_to_async(self.load)(self.user, self.pk))


class VoteConsumer(_LiveStateConsumer):
    url_kwarg = "motion_id"
    handlers = {**_LiveStateConsumer.handlers, "cast": "on_cast", "enter": "on_enter"}
    load = staticmethod(_load_motion)
    group_for = staticmethod(motion_group)

    async def connected(self) -> None:
        await self.send_json(await database_sync_to_async(_own_ballot)(self.user, self.pk))

    async def on_cast(self, frame: dict) -> None:
        # Ballots no longer wait for each other in the database (no motion-row lock), so
        # they need not queue in the process's one database thread either: each runs in a
        # pool thread with a connection of its own, as an HTTP ballot does.
        await self.send_json(await database_sync_to_async(_cast, thread_sensitive=False)(self.user, self.pk, frame))

    async def on_enter(self, frame: dict) -> None:
        await self.send_json(await database_sync_to_async(_enter)(self.user, self.pk, frame))

    async def motion_state(self, event) -> None:
        await self.send_json(event["state"])


class SessionConsumer(_LiveStateConsumer):
    url_kwarg = "session_id"
    handlers = {**_LiveStateConsumer.handlers, "hand": "on_hand"}
    load = staticmethod(_load_session)
    group_for = staticmethod(session_group)

    async def connected(self) -> None:
        for state in await database_sync_to_async(sitting.sitting_states)(self.pk):
            await self.send_json(state)

    async def on_hand(self, frame: dict) -> None:
        await database_sync_to_async(sitting.hand_from_socket)(self.user, self.pk, frame)

    async def session_state(self, event) -> None:
        await self.send_json(event["state"])

    speakers_state = rollcall_state = projector_state = procurations_state = session_state


class ProjectorConsumer(SessionConsumer):
    """The wall: the session's events plus the projected vote's, the vote made fit for a
    wall (``public_motion_state``); follows the chair's choice of motion."""

    handlers = _LiveStateConsumer.handlers
    load = staticmethod(sitting.load_projector)
    motion_id = None

    async def connected(self) -> None:
        pass  # projector.state, sent by opened(), carries the speakers and the quorum

    async def send_json(self, data: dict) -> None:
        if data.get("type") == "projector.state":
            await self.follow_motion((data.get("motion") or {}).get("id"))
        await super().send_json(data)

    async def follow_motion(self, motion_id) -> None:
        if motion_id == self.motion_id:
            return
        if self.motion_id:
            await self.channel_layer.group_discard(motion_group(self.motion_id), self.channel_name)
        self.motion_id = motion_id
        if motion_id:
            await self.channel_layer.group_add(motion_group(motion_id), self.channel_name)

    async def closing(self, code) -> None:
        await self.follow_motion(None)
        await super().closing(code)

    async def motion_state(self, event) -> None:
        if event["state"].get("motion") == self.motion_id:
            await self.send_json(sitting.public_motion_state(event["state"]))
