"""The one base WebSocket consumer, and the close codes every route uses.

Every route (``/ws/forum/``, ``/ws/votes/<id>/``, ``/ws/seances/<id>/``,
``/ws/notifications/``) extends ``BaseConsumer``, which does what they all need the same way:

- accept first, then close with a ``CloseCode``: a close code sent before the handshake
  completes never reaches a browser (it sees 1006);
- refuse people who are not signed in (4401) or who lack the route's ``permission`` (4403);
- speak the person's language (the language cookie, else their profile) in every message;
- answer each bad frame with an ``error`` event and keep the socket open: a binary frame,
  invalid JSON, JSON that is not an object or is nested deeper than ``MAX_DEPTH``, a frame
  over ``max_frame_bytes()``, an unknown ``type``; after ``MAX_BAD_FRAMES`` bad frames in a
  row the socket is closed with 4400;
- close a connection that sends more than ``flood_limit()`` frames in ``FLOOD_WINDOW``
  seconds with 4429;
- ``ping`` -> ``pong``;
- a ``Refusal`` raised by a handler is an ``error`` event; anything else is logged and
  closes with 4500 (never an uncaught 1011).

Subclasses declare ``handlers`` (frame ``type`` -> method name), implement ``opened()``
(what happens once the person is admitted) and may shape their frames through
``error_event()`` and ``pong_event()`` (the forum keeps its envelope).
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from enum import IntEnum
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from tcri_site.db import database_sync_to_async
from tcri_site.errors import InvalidInput, NotAllowed, Refusal

logger = logging.getLogger(__name__)


class CloseCode(IntEnum):
    """WebSocket close codes of every route (docs/websocket-protocol.md, *Close codes*)."""

    BAD_REQUEST = 4400  # too many bad frames in a row
    NOT_AUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    FLOODING = 4429
    INTERNAL = 4500


MAX_BAD_FRAMES = 20
FLOOD_WINDOW = 10  # seconds
FLOOD_FRAMES = 120  # per FLOOD_WINDOW, per connection
MAX_FRAME_BYTES = 64 * 1024
MAX_DEPTH = 32  # arrays and objects nested in one frame


class BadFrame(InvalidInput):
    """A frame the server cannot read (it never reaches a handler)."""

    code = "bad_request"
    message = gettext_lazy("Chaque trame est un objet JSON avec un champ « type ».")


class NotSignedIn(NotAllowed):
    code = "not_authenticated"
    message = gettext_lazy("Connectez-vous pour participer.")


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_frame(text_data: str | None, bytes_data: bytes | None, *, max_bytes: int) -> dict:
    """The frame as a dict with a string ``type``, or ``BadFrame`` saying what is wrong."""
    if text_data is None:
        raise BadFrame(_("Seules les trames texte JSON sont acceptées."))
    size = len(text_data.encode("utf-8"))
    if size > max_bytes:
        raise BadFrame(
            _("Trame trop grande : %(size)d octets pour %(limit)d au plus.") % {"size": size, "limit": max_bytes},
            code="frame_too_large",
        )
    # Only a frame with many brackets can nest too deeply; counting them is cheap.
    bracketed = text_data.count("[") + text_data.count("{") > MAX_DEPTH
    try:
        frame = json.loads(text_data)
    except RecursionError:
        too_deep = True
    except ValueError:
        raise BadFrame(_("Trame illisible : JSON invalide."), code="invalid_json") from None
    else:
        too_deep = bracketed and _depth(frame) > MAX_DEPTH
    if too_deep:
        raise BadFrame(
            _("Trame trop imbriquée : %(limit)d niveaux au plus.") % {"limit": MAX_DEPTH}, code="too_deep"
        )
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise BadFrame()
    return frame


class BaseConsumer(AsyncWebsocketConsumer):
    """Accept, admit, then read frames safely; see the module docstring."""

    #: a ``rules`` permission (no object) the person needs to stay connected, or None.
    permission: str | None = None
    #: frame ``type`` -> name of the ``async def handler(self, frame)`` method.
    handlers: dict[str, str] = {}

    # --- Hooks for subclasses ------------------------------------------------------------

    async def opened(self) -> None:
        """The person is signed in and allowed: join groups, send the initial state."""

    async def closing(self, code) -> None:
        """The socket is gone: leave groups (only called for admitted sockets)."""

    def forbidden_message(self) -> str:
        return str(NotAllowed.message)

    def error_event(self, code: str, message: str, frame: dict | None = None) -> dict:
        return {"type": "error", "code": code, "message": str(message)}

    def pong_event(self) -> dict:
        return {"type": "pong"}

    def max_frame_bytes(self) -> int:
        return MAX_FRAME_BYTES

    def flood_limit(self) -> int:
        return FLOOD_FRAMES

    # --- Connection ------------------------------------------------------------------------

    async def connect(self) -> None:
        self.closed = False
        self.admitted = False
        self.bad_frames = 0
        self.frame_times: deque[float] = deque()
        self.user = self.scope.get("user")
        self.language = (
            self.scope.get("cookies", {}).get("tcri_language") or getattr(self.user, "language", "") or "fr"
        )
        await self.accept()
        with override(self.language):
            if not self.user or not self.user.is_authenticated:
                await self.refuse(NotSignedIn(), CloseCode.NOT_AUTHENTICATED)
                return
            if self.permission and not await database_sync_to_async(self.user.has_perm)(self.permission):
                await self.refuse(NotAllowed(self.forbidden_message()), CloseCode.FORBIDDEN)
                return
            self.admitted = True
            await self.opened()

    async def disconnect(self, code) -> None:
        self.closed = True
        if getattr(self, "admitted", False):
            await self.closing(code)

    async def close_with(self, code: CloseCode) -> None:
        self.closed = True
        await self.close(code=int(code))

    async def refuse(self, refusal: Refusal, code: CloseCode, frame: dict | None = None) -> None:
        """Explain with an ``error`` event, then close with ``code``."""
        await self.send_error(refusal.code, refusal.message, frame)
        await self.close_with(code)

    # --- Sending ---------------------------------------------------------------------------

    async def send_json(self, data: dict) -> None:
        if self.closed:
            return
        await self.send(text_data=json.dumps(data, ensure_ascii=False))

    async def send_error(self, code: str, message, frame: dict | None = None) -> None:
        await self.send_json(self.error_event(code, str(message), frame if isinstance(frame, dict) else None))

    # --- Receiving -------------------------------------------------------------------------

    def _flooding(self) -> bool:
        now = time.monotonic()
        times = self.frame_times
        times.append(now)
        while times and now - times[0] >= FLOOD_WINDOW:
            times.popleft()
        return len(times) > self.flood_limit()

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.closed or not getattr(self, "admitted", False):
            return
        with override(self.language):
            if self._flooding():
                await self.refuse(
                    Refusal(_("Trop de trames envoyées : connexion fermée."), code="rate_limited"),
                    CloseCode.FLOODING,
                )
                return
            try:
                frame = parse_frame(text_data, bytes_data, max_bytes=self.max_frame_bytes())
            except BadFrame as refusal:
                await self.bad_frame(refusal)
                return
            await self.dispatch_frame(frame)

    async def dispatch_frame(self, frame: dict) -> None:
        kind = frame["type"]
        name = "on_ping" if kind == "ping" else self.handlers.get(kind)
        if name is None:
            refusal = InvalidInput(_("Type de trame inconnu : %(type)s.") % {"type": kind[:40]}, code="unknown_type")
            await self.bad_frame(refusal, frame)
            return
        try:
            await getattr(self, name)(frame)
            self.bad_frames = 0
        except Refusal as refusal:
            await self.bad_frame(refusal, frame)
        except Exception:  # noqa: BLE001 - answer, log, and close cleanly instead of 1011
            logger.exception("%s failed on a %s frame", type(self).__name__, kind)
            await self.refuse(
                Refusal(_("Erreur interne. Reconnectez-vous."), code="internal"), CloseCode.INTERNAL, frame
            )

    async def bad_frame(self, refusal: Refusal, frame: dict | None = None) -> None:
        self.bad_frames += 1
        await self.send_error(refusal.code, refusal.message, frame)
        if self.bad_frames >= MAX_BAD_FRAMES:
            await self.close_with(CloseCode.BAD_REQUEST)

    async def on_ping(self, frame: dict) -> None:
        await self.send_json(self.pong_event())


__all__ = ["BadFrame", "BaseConsumer", "CloseCode", "NotSignedIn", "parse_frame"]
