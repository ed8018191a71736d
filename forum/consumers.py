"""The one WebSocket endpoint of the exchange spaces: ``/ws/forum/``.

Protocol in docs/websocket-protocol.md. Principles:
- accept first, then close with a 44xx code, so browsers see the code (not 1006);
- a bad frame gets an ``error`` event and the connection stays usable;
- every permission goes through forum/rules.py, via ``database_sync_to_async``;
- events carry a per-thread gap-free ``seq``: the consumer drops duplicates and repairs gaps
  (messages the channel layer dropped, or missed while reconnecting) from the database
  before forwarding, so a client sees each event once and in order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import conf, services
from forum.access import EVERY_SOCKET
from forum.fanout import hub
from forum.services import ForumError
from tcri_site.db import database_sync_to_async

logger = logging.getLogger(__name__)

CLOSE_BAD_REQUEST = 4400
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_UNKNOWN_THREAD = 4404
CLOSE_RATE_LIMITED = 4429
CLOSE_INTERNAL = 4500

MAX_CONSECUTIVE_BAD_FRAMES = 20
FLOOD_WINDOW = 10
TYPING_INTERVAL = 2.0
PRESENCE_DEBOUNCE = 1  # seconds


USER_REFRESH_SECONDS = 30


def live_group(thread_id: int) -> str:
    """Per-socket group for ephemeral frames (typing, presence)."""
    return f"forum.thread.{thread_id}.live"


def _load_user(user_id):
    from tcri_site.members.models import User

    return User.objects.get(pk=user_id)


class ForumConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        self.subscriptions: dict[int, int] = {}  # thread id -> last seq sent
        self.spaces: set[int] = set()
        self.repairing: set[int] = set()
        self.bad_frames = 0
        self.frames: list[float] = []
        self.typing_sent: dict[int, float] = {}
        self.closed = False
        self.language = self.scope.get("cookies", {}).get("tcri_language") or getattr(
            self.user, "language", "fr"
        ) or "fr"
        await self.accept()
        if not self.user or not self.user.is_authenticated:
            await self.send_error("not_authenticated", _("Connectez-vous pour participer."))
            await self.close_with(CLOSE_NOT_AUTHENTICATED)
            return
        allowed = await database_sync_to_async(self._may_use)()
        if not allowed:
            await self.send_error("forbidden", _("Les espaces d'échange sont réservés aux organismes membres."))
            await self.close_with(CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(services.user_group(self.user.pk), self.channel_name)
        await self.channel_layer.group_add(EVERY_SOCKET, self.channel_name)
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        if "thread" in query:
            try:
                last_seq = int(query["last_seq"][0]) if "last_seq" in query else None
                await self.subscribe(query["thread"][0], last_seq)
            except (ForumError, ValueError):
                await self.send_error("unknown_thread", _("Ce fil n'existe pas ou ne vous est pas accessible."))
                await self.close_with(CLOSE_UNKNOWN_THREAD)

    def _may_use(self) -> bool:
        return self.fresh_user().has_perm("forum.view_index")

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

    async def close_with(self, code: int) -> None:
        self.closed = True
        await self.close(code=code)

    async def disconnect(self, code):
        if not getattr(self, "user", None) or not self.user.is_authenticated:
            return
        await self.channel_layer.group_discard(services.user_group(self.user.pk), self.channel_name)
        await self.channel_layer.group_discard(EVERY_SOCKET, self.channel_name)
        for thread_id in list(getattr(self, "subscriptions", {})):
            await hub().remove(thread_id, self)
            await self.channel_layer.group_discard(live_group(thread_id), self.channel_name)
        for space_id in list(getattr(self, "spaces", set())):
            await self.channel_layer.group_discard(services.space_group(space_id), self.channel_name)
        threads = await database_sync_to_async(services.leave_presence)(channel_name=self.channel_name)
        for thread_id in threads:
            await self.broadcast_presence(thread_id)

    # --- Sending ---------------------------------------------------------------------

    async def send_json(self, data: dict) -> None:
        if self.closed:
            return
        await self.send(text_data=json.dumps(data, ensure_ascii=False))

    async def send_error(self, code: str, message: str, *, frame: dict | None = None) -> None:
        frame = frame if isinstance(frame, dict) else {}
        await self.send_json(
            {
                "type": "error",
                "id": None,
                "client_id": frame.get("client_id") if isinstance(frame.get("client_id"), str) else None,
                "thread": frame.get("thread") if isinstance(frame.get("thread"), int) else None,
                "seq": None,
                "payload": {"code": code, "message": str(message), "ref": frame.get("type") if isinstance(frame.get("type"), str) else None},
            }
        )

    # --- Receiving -------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        with override(self.language):
            await self._receive(text_data, bytes_data)

    async def _receive(self, text_data, bytes_data):
        if self.closed:
            return
        now = time.monotonic()
        self.frames = [t for t in self.frames if now - t < FLOOD_WINDOW]
        self.frames.append(now)
        if len(self.frames) > conf.flood_frames():
            await self.send_error("rate_limited", _("Trop de trames envoyées : connexion fermée."))
            await self.close_with(CLOSE_RATE_LIMITED)
            return
        if bytes_data is not None:
            return await self.bad_frame("bad_request", _("Seules les trames texte JSON sont acceptées."))
        size = len(text_data.encode("utf-8"))
        if size > conf.max_frame_bytes():
            return await self.bad_frame(
                "frame_too_large",
                _("Trame trop grande : %(size)d octets pour %(limit)d au plus.")
                % {"size": size, "limit": conf.max_frame_bytes()},
            )
        try:
            frame = json.loads(text_data)
        except ValueError:
            return await self.bad_frame("invalid_json", _("Trame illisible : JSON invalide."))
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return await self.bad_frame("bad_request", _("Chaque trame est un objet JSON avec un champ « type »."))
        handler = self.HANDLERS.get(frame["type"])
        if handler is None:
            return await self.bad_frame("unknown_type", _("Type de trame inconnu : %(type)s.") % {"type": frame["type"][:40]}, frame)
        try:
            await handler(self, frame)
            self.bad_frames = 0
        except ForumError as error:
            await self.bad_frame(error.code, error.message, frame)
        except Exception:  # noqa: BLE001 - answer, log, and close cleanly instead of 1011
            logger.exception("Forum consumer failed on a %s frame", frame.get("type"))
            await self.send_error("internal", _("Erreur interne. Reconnectez-vous."), frame=frame)
            await self.close_with(CLOSE_INTERNAL)

    async def bad_frame(self, code: str, message: str, frame: dict | None = None) -> None:
        self.bad_frames += 1
        await self.send_error(code, message, frame=frame)
        if self.bad_frames >= MAX_CONSECUTIVE_BAD_FRAMES:
            await self.close_with(CLOSE_BAD_REQUEST)

    @staticmethod
    def _field(frame: dict, name: str, kind=int):
        value = frame.get(name)
        if isinstance(frame.get("payload"), dict) and value is None:
            value = frame["payload"].get(name)
        if value is None or (kind is int and (isinstance(value, bool) or not isinstance(value, int))):
            if kind is int and isinstance(value, str) and value.isdigit():
                return int(value)
            raise ForumError("missing_field", _("Champ manquant ou invalide : %(field)s.") % {"field": name})
        if kind is str and not isinstance(value, str):
            raise ForumError("missing_field", _("Champ manquant ou invalide : %(field)s.") % {"field": name})
        return value

    def _thread_id(self, frame: dict) -> int:
        return self._field(frame, "thread")

    def _require_subscribed(self, thread_id: int) -> None:
        if thread_id not in self.subscriptions:
            raise ForumError("not_subscribed", _("Abonnez-vous d'abord à ce fil."))

    # --- Handlers --------------------------------------------------------------------

    async def on_ping(self, frame):
        if self.subscriptions:
            behind = await database_sync_to_async(self._touch_and_compare)()
            # A dropped *last* event leaves no gap for ``deliver`` to notice: the heartbeat
            # compares sequences and repairs it from the database.
            for thread_id in behind:
                if thread_id in self.subscriptions and thread_id not in self.repairing:
                    await self.catch_up(thread_id, until=None)
        await self.send_json({"type": "pong", "id": None, "client_id": None, "thread": None, "seq": None, "payload": {}})

    def _touch_and_compare(self) -> list[int]:
        from forum.models import Thread

        services.touch_presence(channel_name=self.channel_name)
        sent = dict(self.subscriptions)
        current = Thread.objects.filter(pk__in=list(sent)).values_list("pk", "last_seq")
        return [pk for pk, seq in current if seq > sent.get(pk, seq)]

    async def on_subscribe(self, frame):
        last_seq = frame.get("last_seq")
        if isinstance(frame.get("payload"), dict) and last_seq is None:
            last_seq = frame["payload"].get("last_seq")
        if last_seq is not None and (isinstance(last_seq, bool) or not isinstance(last_seq, int) or last_seq < 0):
            raise ForumError("missing_field", _("Champ manquant ou invalide : %(field)s.") % {"field": "last_seq"})
        await self.subscribe(self._thread_id(frame), last_seq)

    async def subscribe(self, thread_id, last_seq: int | None) -> None:
        user_id = self.user.pk

        def load():
            from forum.models import ReadMarker

            thread = services.check_may_view_thread(self.fresh_user(), thread_id)
            marker = ReadMarker.objects.filter(user_id=user_id, thread=thread).first()
            services.join_presence(thread_id=thread.pk, user=self.user, channel_name=self.channel_name)
            return thread, marker.last_read_message_id if marker else 0

        current, last_read = await database_sync_to_async(load)()
        # Join the group, then re-read the sequence: an event committed in between is
        # either replayed below or arrives live (and duplicates are dropped by seq).
        await hub().add(current.pk, self)
        await self.channel_layer.group_add(live_group(current.pk), self.channel_name)
        current.last_seq = await database_sync_to_async(self._current_seq)(current.pk)
        start = current.last_seq if last_seq is None else min(last_seq, current.last_seq)
        self.subscriptions[current.pk] = start
        await self.send_json(
            {
                "type": "subscribed",
                "id": None,
                "client_id": None,
                "thread": current.pk,
                "seq": current.last_seq,
                "payload": {
                    "locked": current.is_locked,
                    "pinned": current.is_pinned,
                    "last_read_id": last_read,
                    "last_message_id": current.last_message_id,
                },
            }
        )
        if start < current.last_seq:
            await self.catch_up(current.pk, until=None)
        await self.broadcast_presence(current.pk)

    async def catch_up(self, thread_id: int, until: int | None) -> None:
        """Send the stored events after the last one this client got, in order."""

        def load():
            from forum.models import Thread

            thread = Thread.objects.get(pk=thread_id)
            return services.events_after(thread, self.subscriptions[thread_id])

        events, complete = await database_sync_to_async(load)()
        for event in events:
            if until is not None and event["seq"] > until:
                break
            if thread_id not in self.subscriptions or event["seq"] <= self.subscriptions[thread_id]:
                continue  # the hub delivered it while we were reading the database
            self.subscriptions[thread_id] = event["seq"]
            await self.send_json(event)
        if not complete:
            seq = await database_sync_to_async(self._current_seq)(thread_id)
            self.subscriptions[thread_id] = seq
            await self.send_json(
                {
                    "type": "resync",
                    "id": None,
                    "client_id": None,
                    "thread": thread_id,
                    "seq": seq,
                    "payload": {"reason": "gap_too_old"},
                }
            )

    @staticmethod
    def _current_seq(thread_id: int) -> int:
        from forum.models import Thread

        return Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)

    async def on_unsubscribe(self, frame):
        thread_id = self._thread_id(frame)
        self._require_subscribed(thread_id)
        await self.drop_subscription(thread_id)
        await self.ack(frame, thread=thread_id)

    async def drop_subscription(self, thread_id: int) -> None:
        del self.subscriptions[thread_id]
        await hub().remove(thread_id, self)
        await self.channel_layer.group_discard(live_group(thread_id), self.channel_name)
        await database_sync_to_async(services.leave_presence)(channel_name=self.channel_name, thread_id=thread_id)
        await self.broadcast_presence(thread_id)

    async def on_subscribe_space(self, frame):
        space_id = self._field(frame, "space")

        def check():
            from forum.models import Space

            space = Space.objects.filter(pk=space_id).first()
            if space is None or not self.fresh_user().has_perm("forum.view_space", space):
                raise ForumError("unknown_space", _("Cet espace n'existe pas ou ne vous est pas accessible."))

        await database_sync_to_async(check)()
        self.spaces.add(space_id)
        await self.channel_layer.group_add(services.space_group(space_id), self.channel_name)
        await self.ack(frame)

    async def ack(self, frame: dict, *, id=None, thread=None, seq=None, payload=None) -> None:
        await self.send_json(
            {
                "type": "ack",
                "id": id,
                "client_id": frame.get("client_id") if isinstance(frame.get("client_id"), str) else None,
                "thread": thread,
                "seq": seq,
                "payload": {"ref": frame["type"], **(payload or {})},
            }
        )

    async def on_message_create(self, frame):
        thread_id = self._thread_id(frame)
        payload = frame.get("payload") if isinstance(frame.get("payload"), dict) else {}
        body = payload.get("body", frame.get("body"))
        if body is None:
            raise ForumError("missing_field", _("Champ manquant ou invalide : %(field)s.") % {"field": "body"})
        client_id = frame.get("client_id") or ""
        reply_to = payload.get("reply_to")

        def post():
            return services.do_post_message(
                author=self.fresh_user(), thread_id=thread_id, body=body, reply_to_id=reply_to,
                client_id=client_id,
            )

        result = await database_sync_to_async(post)()
        await self.ack(
            frame,
            id=result.message.pk,
            thread=result.message.thread_id,
            seq=result.event["seq"] if result.event else None,
            payload={"created": result.created},
        )

    async def _message_action(self, frame, action):
        message_id = self._field(frame, "id")
        message = await database_sync_to_async(lambda: action(self.fresh_user(), message_id))()
        await self.ack(frame, id=message.pk, thread=message.thread_id)

    async def on_message_edit(self, frame):
        payload = frame.get("payload") if isinstance(frame.get("payload"), dict) else {}
        body = payload.get("body", frame.get("body"))
        if body is None:
            raise ForumError("missing_field", _("Champ manquant ou invalide : %(field)s.") % {"field": "body"})
        await self._message_action(
            frame, lambda user, mid: services.do_edit_message(user=user, message_id=mid, body=body)
        )

    async def on_message_delete(self, frame):
        await self._message_action(
            frame, lambda user, mid: services.do_delete_message(user=user, message_id=mid)
        )

    async def on_message_hide(self, frame):
        await self._message_action(
            frame, lambda user, mid: services.do_set_hidden(user=user, message_id=mid, hidden=True)
        )

    async def on_message_restore(self, frame):
        await self._message_action(
            frame, lambda user, mid: services.do_set_hidden(user=user, message_id=mid, hidden=False)
        )

    async def _thread_flags(self, frame, **flags):
        thread_id = self._thread_id(frame)

        def change():
            user = self.fresh_user()
            services.check_may_view_thread(user, thread_id)
            return services.do_set_thread_flags(user=user, thread_id=thread_id, **flags)

        thread = await database_sync_to_async(change)()
        await self.ack(frame, thread=thread.pk)

    async def on_thread_lock(self, frame):
        await self._thread_flags(frame, locked=True)

    async def on_thread_unlock(self, frame):
        await self._thread_flags(frame, locked=False)

    async def on_thread_pin(self, frame):
        await self._thread_flags(frame, pinned=True)

    async def on_thread_unpin(self, frame):
        await self._thread_flags(frame, pinned=False)

    async def on_typing(self, frame):
        thread_id = self._thread_id(frame)
        self._require_subscribed(thread_id)
        now = time.monotonic()
        if now - self.typing_sent.get(thread_id, 0) < TYPING_INTERVAL:
            return
        self.typing_sent[thread_id] = now
        await self.channel_layer.group_send(
            live_group(thread_id),
            {
                "type": "forum.typing",
                "thread": thread_id,
                "user": {"id": self.user.pk, "name": services.display_name(self.user)},
            },
        )

    async def on_read(self, frame):
        thread_id = self._thread_id(frame)
        message_id = self._field(frame, "id")
        self._require_subscribed(thread_id)

        def mark():
            from forum.models import Thread

            thread = Thread.objects.get(pk=thread_id)
            return services.do_mark_read(user=self.fresh_user(), thread=thread, message_id=message_id)

        last = await database_sync_to_async(mark)()
        await self.ack(frame, thread=thread_id, payload={"last_read_id": last})

    HANDLERS = {
        "ping": on_ping,
        "subscribe": on_subscribe,
        "resume": on_subscribe,
        "unsubscribe": on_unsubscribe,
        "subscribe_space": on_subscribe_space,
        "message.create": on_message_create,
        "message.edit": on_message_edit,
        "message.delete": on_message_delete,
        "message.hide": on_message_hide,
        "message.restore": on_message_restore,
        "thread.lock": on_thread_lock,
        "thread.unlock": on_thread_unlock,
        "thread.pin": on_thread_pin,
        "thread.unpin": on_thread_unpin,
        "typing": on_typing,
        "read": on_read,
    }

    # --- Channel-layer events ----------------------------------------------------------

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

    async def forum_recheck(self, message):
        """Access changed somewhere (forum/access.py): check this socket's person again.

        Threads and spaces the person may no longer read are dropped, each with a
        ``forbidden`` error naming it; a person who lost the forum altogether is closed
        with 4403.
        """
        if self.closed:
            return
        threads, spaces = list(self.subscriptions), list(self.spaces)

        def check():
            from forum.models import Space

            self._user_cache = None
            user = self.fresh_user()
            if not user.has_perm("forum.view_index"):
                return None
            lost_threads = []
            for thread_id in threads:
                try:
                    services.check_may_view_thread(user, thread_id)
                except ForumError:
                    lost_threads.append(thread_id)
            visible = {space.pk for space in Space.objects.filter(pk__in=spaces) if user.has_perm("forum.view_space", space)}
            return lost_threads, [space_id for space_id in spaces if space_id not in visible]

        with override(self.language):
            outcome = await database_sync_to_async(check)()
            if outcome is None:
                await self.send_error("forbidden", _("Les espaces d'échange sont réservés aux organismes membres."))
                await self.close_with(CLOSE_FORBIDDEN)
                return
            lost_threads, lost_spaces = outcome
            for thread_id in lost_threads:
                if thread_id in self.subscriptions:
                    await self.drop_subscription(thread_id)
                    await self.send_error(
                        "forbidden", _("Vous n'avez plus accès à ce fil."), frame={"thread": thread_id}
                    )
            for space_id in lost_spaces:
                self.spaces.discard(space_id)
                await self.channel_layer.group_discard(services.space_group(space_id), self.channel_name)

    async def forum_repair(self, message):
        thread_id = message["thread"]
        self.repairing.discard(thread_id)
        if thread_id in self.subscriptions:
            await self.catch_up(thread_id, until=None)

    async def forum_typing(self, message):
        if message["user"]["id"] == self.user.pk or message["thread"] not in self.subscriptions:
            return
        await self.send_json(
            {"type": "typing", "id": None, "client_id": None, "thread": message["thread"], "seq": None,
             "payload": {"user": message["user"]}}
        )

    async def forum_presence(self, message):
        if message["thread"] not in self.subscriptions:
            return
        await self.send_json(
            {"type": "presence", "id": None, "client_id": None, "thread": message["thread"], "seq": None,
             "payload": {"readers": message["readers"]}}
        )

    async def forum_read(self, message):
        await self.send_json(
            {"type": "read.marker", "id": message["last_read_id"], "client_id": None,
             "thread": message["thread"], "seq": None, "payload": {"last_read_id": message["last_read_id"]}}
        )

    async def forum_activity(self, message):
        if message["space"] not in self.spaces:
            return
        await self.send_json(
            {"type": "thread.activity", "id": message["message"], "client_id": None,
             "thread": message["thread"], "seq": None,
             "payload": {"space": message["space"], "own": message["author"] == self.user.pk}}
        )

    async def broadcast_presence(self, thread_id: int) -> None:
        """Announce who reads the thread, at most about once a second per thread.

        The first change in a window schedules one broadcast (cross-process, through the
        shared cache); it reads the list from the database when it fires, so every change
        committed before then is included. Without this, N people opening a thread at
        once would cost N database queries and N² frames.
        """
        scheduled = await database_sync_to_async(cache.add)(
            f"forum:presence:{thread_id}", 1, PRESENCE_DEBOUNCE
        )
        if scheduled:
            asyncio.get_running_loop().call_later(
                PRESENCE_DEBOUNCE + 0.2,
                lambda: asyncio.ensure_future(self._send_presence(thread_id, self.channel_layer)),
            )

    @staticmethod
    async def _send_presence(thread_id: int, layer) -> None:
        try:
            readers = await database_sync_to_async(services.readers)(thread_id)
            await layer.group_send(
                live_group(thread_id),
                {"type": "forum.presence", "thread": thread_id, "readers": readers},
            )
        except Exception:  # noqa: BLE001 - presence is best effort
            logger.exception("Could not announce presence in thread %s", thread_id)
