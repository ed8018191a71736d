"""The one WebSocket endpoint of the exchange spaces: ``/ws/forum/``.

Protocol in docs/websocket-protocol.md. Accepting, admission, language, bad frames and
flooding are the base consumer's (tcri_site/sockets.py); this one parses the forum's
frames, asks forum/rules.py (through the services, in the database thread) and hands over
to forum/services. Events carry a per-thread gap-free ``seq``: the consumer drops
duplicates and repairs gaps (messages the channel layer dropped, or missed while
reconnecting) from the database before forwarding, so a client sees each event once and
in order.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs

from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import conf, frames, services
from forum.errors import ForumRefusal, NotSubscribed, UnknownThread
from forum.fanout import announce_presence, hub
from forum.frames import field
from forum.groups import EVERY_SOCKET, space_group, thread_live_group, user_group
from tcri_site.db import database_sync_to_async
from tcri_site.privacy_guard.guard import IdentifiersFound
from tcri_site.sockets import BaseConsumer, CloseCode

logger = logging.getLogger(__name__)

TYPING_INTERVAL = 2.0
USER_REFRESH_SECONDS = 30


def _load_user(user_id):
    from tcri_site.members.models import User

    return User.objects.get(pk=user_id)


class ForumConsumer(BaseConsumer):
    permission = "forum.view_index"
    handlers = {
        "subscribe": "on_subscribe",
        "resume": "on_subscribe",
        "unsubscribe": "on_unsubscribe",
        "subscribe_space": "on_subscribe_space",
        "message.create": "on_message_create",
        "message.edit": "on_message_edit",
        "message.delete": "on_message_delete",
        "message.hide": "on_message_hide",
        "message.restore": "on_message_restore",
        "thread.lock": "on_thread_lock",
        "thread.unlock": "on_thread_unlock",
        "thread.pin": "on_thread_pin",
        "thread.unpin": "on_thread_unpin",
        "typing": "on_typing",
        "read": "on_read",
        "reaction.set": "on_reaction_set",
        "follow.set": "on_follow_set",
    }

    # --- Base consumer hooks ---------------------------------------------------------------

    def forbidden_message(self) -> str:
        return _("Les espaces d'échange sont réservés aux organismes membres.")

    def max_frame_bytes(self) -> int:
        return conf.max_frame_bytes()

    def flood_limit(self) -> int:
        return conf.flood_frames()

    def error_event(self, code: str, message: str, frame: dict | None = None) -> dict:
        return frames.error(code, message, frame)

    def pong_event(self) -> dict:
        return frames.frame("pong")

    async def connect(self) -> None:
        self.subscriptions: dict[int, int] = {}  # thread id -> last seq sent
        self.spaces: set[int] = set()
        self.repairing: set[int] = set()
        self.typing_sent: dict[int, float] = {}
        await super().connect()

    async def opened(self) -> None:
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.channel_layer.group_add(EVERY_SOCKET, self.channel_name)
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        if "thread" in query:
            try:
                last_seq = int(query["last_seq"][0]) if "last_seq" in query else None
                await self.subscribe(query["thread"][0], last_seq)
            except (ForumRefusal, ValueError):
                await self.refuse(UnknownThread(), CloseCode.NOT_FOUND)

    async def closing(self, code) -> None:
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        await self.channel_layer.group_discard(EVERY_SOCKET, self.channel_name)
        for thread_id in list(self.subscriptions):
            await hub().remove(thread_id, self)
            await self.channel_layer.group_discard(thread_live_group(thread_id), self.channel_name)
        for space_id in list(self.spaces):
            await self.channel_layer.group_discard(space_group(space_id), self.channel_name)
        threads = await database_sync_to_async(services.do_leave_presence)(channel_name=self.channel_name)
        for thread_id in threads:
            await self.broadcast_presence(thread_id)

    def fresh_user(self):
        """The person with roles and membership read at most USER_REFRESH_SECONDS ago.

        A change of role or membership reaches open sockets within that delay, without
        three queries per frame. Call from a database thread only.
        """
        now = time.monotonic()
        cached = getattr(self, "_user_cache", None)
        if cached is None or now - cached[1] > USER_REFRESH_SECONDS:
            cached = (_load_user(self.user.pk), now)
            self._user_cache = cached
        return cached[0]

    async def in_db(self, func, /, **kwargs):
        """``func(actor=<fresh person>, **kwargs)`` in the database thread."""
        return await database_sync_to_async(lambda: func(actor=self.fresh_user(), **kwargs))()

    async def ack(self, frame: dict, **fields) -> None:
        await self.send_json(frames.ack(frame, **fields))

    def _require_subscribed(self, thread_id: int) -> None:
        if thread_id not in self.subscriptions:
            raise NotSubscribed()

    # --- Subscriptions ---------------------------------------------------------------------

    async def on_ping(self, frame: dict) -> None:
        if self.subscriptions:
            behind = await database_sync_to_async(services.do_heartbeat)(
                channel_name=self.channel_name, sent=dict(self.subscriptions)
            )
            # A dropped *last* event leaves no gap for ``deliver`` to notice: the heartbeat
            # compares sequences and repairs it from the database.
            for thread_id in behind:
                if thread_id in self.subscriptions and thread_id not in self.repairing:
                    await self.catch_up(thread_id)
        await super().on_ping(frame)

    async def on_subscribe(self, frame: dict) -> None:
        await self.subscribe(field(frame, "thread"), frames.last_seq_of(frame))

    async def subscribe(self, thread_id, last_seq: int | None) -> None:
        opened = await self.in_db(services.do_open_subscription, thread_id=thread_id, channel_name=self.channel_name)
        thread = opened.thread
        # Join the group, then re-read the sequence: an event committed in between is
        # either replayed below or arrives live (and duplicates are dropped by seq).
        await hub().add(thread.pk, self)
        await self.channel_layer.group_add(thread_live_group(thread.pk), self.channel_name)
        seq = await database_sync_to_async(services.current_seq)(thread.pk)
        start = seq if last_seq is None else min(last_seq, seq)
        self.subscriptions[thread.pk] = start
        await self.send_json(
            frames.frame(
                "subscribed", thread=thread.pk, seq=seq,
                payload={
                    "locked": thread.is_locked,
                    "pinned": thread.is_pinned,
                    "last_read_id": opened.last_read_id,
                    "last_message_id": thread.last_message_id,
                },
            )
        )
        if start < seq:
            await self.catch_up(thread.pk)
        await self.broadcast_presence(thread.pk)

    async def catch_up(self, thread_id: int) -> None:
        """Send the stored events after the last one this client got, in order."""
        events, complete = await database_sync_to_async(services.missed_events)(
            thread_id, self.subscriptions[thread_id]
        )
        for event in events:
            if thread_id not in self.subscriptions or event["seq"] <= self.subscriptions[thread_id]:
                continue  # the hub delivered it while we were reading the database
            self.subscriptions[thread_id] = event["seq"]
            await self.send_json(event)
        if not complete:
            seq = await database_sync_to_async(services.current_seq)(thread_id)
            self.subscriptions[thread_id] = seq
            await self.send_json(frames.frame("resync", thread=thread_id, seq=seq, payload={"reason": "gap_too_old"}))

    async def on_unsubscribe(self, frame: dict) -> None:
        thread_id = field(frame, "thread")
        self._require_subscribed(thread_id)
        await self.drop_subscription(thread_id)
        await self.ack(frame, thread=thread_id)

    async def drop_subscription(self, thread_id: int) -> None:
        del self.subscriptions[thread_id]
        await hub().remove(thread_id, self)
        await self.channel_layer.group_discard(thread_live_group(thread_id), self.channel_name)
        await database_sync_to_async(services.do_leave_presence)(channel_name=self.channel_name, thread_id=thread_id)
        await self.broadcast_presence(thread_id)

    async def on_subscribe_space(self, frame: dict) -> None:
        space_id = field(frame, "space")
        await self.in_db(services.check_may_read_space, space_id=space_id)
        self.spaces.add(space_id)
        await self.channel_layer.group_add(space_group(space_id), self.channel_name)
        await self.ack(frame)

    # --- Changes ---------------------------------------------------------------------------

    async def needs_confirmation(self, frame: dict, warning: IdentifiersFound) -> None:
        """The text looks like it holds a client identifier: nothing is stored; the client
        shows the warning and sends the same frame again with ``confirmed: true``."""
        await self.send_json(
            frames.frame(
                "needs_confirmation", client_id=frames.echo(frame, "client_id", str),
                thread=frames.echo(frame, "thread", int), id=frames.echo(frame, "id", int),
                payload={"ref": frame["type"], **warning.as_payload()},
            )
        )

    async def on_message_create(self, frame: dict) -> None:
        thread_id, body = field(frame, "thread"), frames.body_of(frame)
        try:
            result = await self.in_db(
                services.do_post_message, thread_id=thread_id, body=body,
                reply_to_id=frames.payload_of(frame).get("reply_to"),
                client_id=frame.get("client_id") or "", confirmed=frames.confirmed_of(frame),
            )
        except IdentifiersFound as warning:
            await self.needs_confirmation(frame, warning)
            return
        await self.ack(
            frame, id=result.message.pk, thread=result.message.thread_id,
            seq=result.event["seq"] if result.event else None, payload={"created": result.created},
        )

    async def _on_message(self, frame: dict, service, **kwargs) -> None:
        message = await self.in_db(service, message_id=field(frame, "id"), **kwargs)
        await self.ack(frame, id=message.pk, thread=message.thread_id)

    async def on_message_edit(self, frame: dict) -> None:
        try:
            await self._on_message(
                frame, services.do_edit_message, body=frames.body_of(frame), confirmed=frames.confirmed_of(frame)
            )
        except IdentifiersFound as warning:
            await self.needs_confirmation(frame, warning)

    async def on_message_delete(self, frame: dict) -> None:
        await self._on_message(frame, services.do_delete_message)

    async def on_message_hide(self, frame: dict) -> None:
        await self._on_message(frame, services.do_set_hidden, hidden=True)

    async def on_message_restore(self, frame: dict) -> None:
        await self._on_message(frame, services.do_set_hidden, hidden=False)

    async def _on_thread_flags(self, frame: dict, **flags) -> None:
        thread_id = field(frame, "thread")

        def change(actor):
            services.check_may_read_thread(actor=actor, thread_id=thread_id)
            return services.do_set_thread_flags(actor=actor, thread_id=thread_id, **flags)

        thread = await self.in_db(change)
        await self.ack(frame, thread=thread.pk)

    async def on_thread_lock(self, frame: dict) -> None:
        await self._on_thread_flags(frame, locked=True)

    async def on_thread_unlock(self, frame: dict) -> None:
        await self._on_thread_flags(frame, locked=False)

    async def on_thread_pin(self, frame: dict) -> None:
        await self._on_thread_flags(frame, pinned=True)

    async def on_thread_unpin(self, frame: dict) -> None:
        await self._on_thread_flags(frame, pinned=False)

    async def on_typing(self, frame: dict) -> None:
        thread_id = field(frame, "thread")
        self._require_subscribed(thread_id)
        now = time.monotonic()
        if now - self.typing_sent.get(thread_id, 0) < TYPING_INTERVAL:
            return
        self.typing_sent[thread_id] = now
        user = {"id": self.user.pk, "name": services.display_name(self.user)}
        await self.channel_layer.group_send(
            thread_live_group(thread_id), {"type": "forum.typing", "thread": thread_id, "user": user}
        )

    async def on_read(self, frame: dict) -> None:
        thread_id, message_id = field(frame, "thread"), field(frame, "id")
        self._require_subscribed(thread_id)

        def mark(actor):
            thread = services.check_may_read_thread(actor=actor, thread_id=thread_id)
            return services.do_mark_read(actor=actor, thread=thread, message_id=message_id)

        last = await self.in_db(mark)
        await self.ack(frame, thread=thread_id, payload={"last_read_id": last})

    async def on_reaction_set(self, frame: dict) -> None:
        """Set or remove one of the person's reactions (docs/websocket-protocol.md)."""
        payload = frames.payload_of(frame)
        on = payload.get("on", True)
        if not isinstance(on, bool):
            raise frames.MissingField("on")
        state = await self.in_db(
            services.do_set_reaction, message_id=field(frame, "id"), kind=field(frame, "reaction", str), on=on
        )
        await self.ack(
            frame, id=state["message"], thread=frames.echo(frame, "thread", int),
            payload={"reaction": state["kind"], "on": on, "changed": state["changed"], "count": state["count"]},
        )

    async def on_follow_set(self, frame: dict) -> None:
        """Follow, mute or forget a thread or a space (docs/websocket-protocol.md)."""
        payload = frames.payload_of(frame)
        target = "thread" if frame.get("thread") is not None or "thread" in payload else "space"
        if "mode" not in payload:
            raise frames.MissingField("mode")
        state = await self.in_db(
            services.do_set_follow, target=target, target_id=field(frame, target), mode=payload.get("mode")
        )
        await self.ack(frame, thread=frames.echo(frame, "thread", int), payload={key: state[key] for key in ("target", "id", "mode", "changed")})

    # --- Channel-layer events ----------------------------------------------------------------

    async def deliver(self, message) -> None:
        """Called by the process hub for each thread event (see forum/fanout.py).

        Compare and update the sequence before writing, with no await in between, so the
        hub and this socket's own catch-up never send an event twice or out of order.
        """
        thread_id, seq = message["thread"], message["seq"]
        last = self.subscriptions.get(thread_id)
        if last is None or seq <= last or self.closed:
            return  # not subscribed, or already sent (replayed): no duplicate
        if seq > last + 1:
            # A gap: the layer dropped something, or it is not yet delivered. This socket
            # repairs it from the database (which holds every event before it was
            # broadcast), in its own turn so frames it handles stay serialised.
            if thread_id not in self.repairing:
                self.repairing.add(thread_id)
                await self.channel_layer.send(self.channel_name, {"type": "forum.repair", "thread": thread_id})
            return
        self.subscriptions[thread_id] = seq
        await self.send(text_data=message["text"])  # serialised once for every socket

    async def forum_recheck(self, message) -> None:
        """Access changed somewhere (forum/access.py): check this socket's person again.

        Threads and spaces the person may no longer read are dropped, each with a
        ``forbidden`` error naming it; a person who lost the forum altogether is closed
        with 4403.
        """
        if self.closed:
            return
        self._user_cache = None
        outcome = await self.in_db(services.lost_access, threads=list(self.subscriptions), spaces=list(self.spaces))
        with override(self.language):
            if outcome is None:
                await self.send_error("forbidden", self.forbidden_message())
                await self.close_with(CloseCode.FORBIDDEN)
                return
            lost_threads, lost_spaces = outcome
            for thread_id in lost_threads:
                if thread_id in self.subscriptions:
                    await self.drop_subscription(thread_id)
                    await self.send_error("forbidden", _("Vous n'avez plus accès à ce fil."), {"thread": thread_id})
            for space_id in lost_spaces:
                self.spaces.discard(space_id)
                await self.channel_layer.group_discard(space_group(space_id), self.channel_name)

    async def forum_repair(self, message) -> None:
        thread_id = message["thread"]
        self.repairing.discard(thread_id)
        if thread_id in self.subscriptions:
            await self.catch_up(thread_id)

    async def forum_typing(self, message) -> None:
        if message["user"]["id"] == self.user.pk or message["thread"] not in self.subscriptions:
            return
        await self.send_json(frames.frame("typing", thread=message["thread"], payload={"user": message["user"]}))

    async def forum_reaction(self, message) -> None:
        if message["thread"] not in self.subscriptions:
            return
        state = message["state"]
        payload = {key: state[key] for key in ("kind", "emoji", "count", "names")}
        payload["mine"] = self.user.pk in state["user_ids"]
        await self.send_json(frames.frame("reaction.changed", id=state["message"], thread=message["thread"], payload=payload))

    async def forum_follow(self, message) -> None:
        payload = {key: message[key] for key in ("target", "id", "mode")}
        thread = message["id"] if message["target"] == "thread" else None
        await self.send_json(frames.frame("follow.changed", thread=thread, payload=payload))

    async def forum_presence(self, message) -> None:
        if message["thread"] in self.subscriptions:
            await self.send_json(frames.frame("presence", thread=message["thread"], payload={"readers": message["readers"]}))

    async def forum_read(self, message) -> None:
        last = message["last_read_id"]
        await self.send_json(frames.frame("read.marker", id=last, thread=message["thread"], payload={"last_read_id": last}))

    async def forum_activity(self, message) -> None:
        if message["space"] not in self.spaces:
            return
        await self.send_json(
            frames.frame(
                "thread.activity", id=message["message"], thread=message["thread"],
                payload={"space": message["space"], "own": message["author"] == self.user.pk},
            )
        )

    async def broadcast_presence(self, thread_id: int) -> None:
        await announce_presence(self.channel_layer, thread_id)
