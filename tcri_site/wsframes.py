"""Per-frame costs of Daphne and autobahn, trimmed for broadcasts to many sockets.

1. Autobahn (under Daphne) formats a debug message's arguments for every frame it sends.

``WebSocketProtocol.sendData`` calls ``log.debug(..., func=hltype(self.sendData),
peer=hlval(self.peer), ...)``: the arguments are built before the logger decides to drop
the message, and ``hltype`` alone inspects the method and colours its name (4-5 µs). A
thread event written to 200 sockets paid about 1.5 ms for log lines nobody reads. Here the
two helpers, as seen by that module, return a small object that does the same formatting
only if a log line is actually written; the text of such a line does not change.

2. The forum's process hub (forum/fanout.py) writes the same pre-serialised text to every
socket reading a thread. Daphne's ``serverSend`` encodes it and autobahn frames it again
for each socket (``sendMessage`` then ``sendFrame``: type checks, statistics, header
packing, a join of the payload). A text frame sent by a server without compression,
masking or fragmentation depends on the text alone, so it is built once and its bytes are
reused (autobahn's own ``PreparedMessage``, meant for broadcasts). Every other case goes
through the original path unchanged.

3. Twisted (Daphne's asyncio reactor) asks the event loop to watch a connection for
writability each time something is written to it, and stops watching once it is sent:
two ``epoll_ctl`` calls, a loop handle and a logging context per frame, 200 of each for
one message to 200 readers. Here an accepted connection with new data joins a list that
is sent once at the end of the loop's current turn, when the frames of a whole broadcast
are queued, as the reactor would have done on its next turn; only a connection whose
socket buffer is full is handed to the reactor to wait for writability, as before.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

from autobahn.websocket import protocol as _protocol

logger = logging.getLogger(__name__)

_PATCHED = "_tcri_lazy_highlight"
# The versions these patches were written against and are pinned at in requirements.txt
# (tests/test_patched_libraries.py checks both, and what each patch uses).
TESTED_WITH = {"autobahn": "26.11.1", "daphne": "4.2.3", "Twisted": "26.10.0"}


def _warn_on_other_versions() -> None:
    for package, tested in TESTED_WITH.items():
        installed = version(package)
        if installed != tested:
            logger.warning(
                "%s %s is installed; tcri_site/wsframes.py patches its internals and was "
                "checked against %s only (run tests/test_patched_libraries.py).",
                package, installed, tested,
            )


class _Deferred:
    """``func(value, *args, **kwargs)``, called only when formatted."""

    __slots__ = ("func", "value", "args", "kwargs")

    def __init__(self, func, value, *args, **kwargs):
        self.func, self.value, self.args, self.kwargs = func, value, args, kwargs

    def __str__(self) -> str:
        return str(self.func(self.value, *self.args, **self.kwargs))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return str(self)


def install() -> None:
    """Lazy highlights, shared broadcast frames and batched writes, once per process."""
    if getattr(_protocol, _PATCHED, False):
        return
    _warn_on_other_versions()
    _install_shared_frames()
    _install_batched_writes()
    eager_type, eager_val = _protocol.hltype, _protocol.hlval
    _protocol.hltype = lambda obj: _Deferred(eager_type, obj)
    _protocol.hlval = lambda val, *args, **kwargs: _Deferred(eager_val, val, *args, **kwargs)
    setattr(_protocol, _PATCHED, True)


_FRAMES: dict[str, tuple[bytes, int]] = {}
_FRAMES_KEPT = 32  # only a few distinct texts are in flight at once: bounded memory


def _frame(text: str) -> tuple[bytes, int]:
    """The frame carrying ``text`` and its payload size, built once per text."""
    found = _FRAMES.get(text)
    if found is None:
        if len(_FRAMES) >= _FRAMES_KEPT:
            _FRAMES.clear()
        payload = text.encode("utf8")
        prepared = _protocol.PreparedMessage(payload, False, False, True)
        found = _FRAMES[text] = (prepared.payloadHybi, len(payload))
    return found


def _plain(protocol) -> bool:
    """Does ``sendMessage`` send a text on this socket as one unmasked, uncompressed frame?"""
    return (
        protocol.state == protocol.STATE_OPEN
        and protocol._perMessageCompress is None
        and not protocol.maskServerFrames
        and not protocol.logFrames
    )


def _fits(protocol, size: int) -> bool:
    """Is a payload of ``size`` bytes neither fragmented nor refused on this socket?"""
    return not (0 < protocol.autoFragmentSize < size or 0 < protocol.maxMessagePayloadSize < size)


def _install_shared_frames() -> None:
    from daphne import ws_protocol

    eager_send = ws_protocol.WebSocketProtocol.serverSend

    def serverSend(self, content, binary=False):
        if binary or not _plain(self):
            return eager_send(self, content, binary)
        frame, size = _frame(content)
        if not _fits(self, size):
            return eager_send(self, content, binary)
        ws_protocol.logger.debug("Sent WebSocket packet to client for %s", self.client_addr)
        stats = self.trafficStats  # what sendMessage and sendFrame would have counted
        stats.outgoingWebSocketMessages += 1
        stats.outgoingWebSocketFrames += 1
        stats.outgoingOctetsAppLevel += size
        stats.outgoingOctetsWebSocketLevel += size
        if self.trackedTimings:
            self.trackedTimings.track("sendMessage")
        self.sendData(frame)

    ws_protocol.WebSocketProtocol.serverSend = serverSend


class _WriteBatch:
    """Accepted connections with data to send, sent once per turn of the reactor's loop."""

    def __init__(self, reactor, start_writing):
        self.reactor = reactor
        self.start_writing = start_writing  # the reactor's own wait for writability
        self.waiting: dict = {}  # insertion-ordered set
        self.flushing: dict = {}  # taken from ``waiting``, not yet sent
        self.scheduled = False

    def add(self, connection) -> None:
        self.waiting[connection] = None
        if not self.scheduled:
            try:
                self.reactor._asyncioEventloop.call_soon(self.flush)
            except RuntimeError:  # the loop is closing: leave it to the reactor
                self.waiting.pop(connection)
                self.start_writing(connection)
                return
            self.scheduled = True

    def discard(self, connection) -> None:
        self.waiting.pop(connection, None)
        self.flushing.pop(connection, None)

    def flush(self) -> None:
        self.scheduled = False
        self.flushing, self.waiting = self.waiting, {}
        while self.flushing:
            connection = next(iter(self.flushing))
            del self.flushing[connection]
            # What the reactor does when a socket is writable: send, and on a finished
            # close or a lost connection, disconnect it.
            self.reactor._readOrWrite(connection, False)
            if connection.connected and (
                connection._tempDataLen or connection.offset < len(connection.dataBuffer)
            ):
                self.start_writing(connection)  # the socket is full: wait for it


def _install_batched_writes() -> None:
    from twisted.internet import tcp
    from twisted.internet.asyncioreactor import AsyncioSelectorReactor

    eager_start, eager_stop = tcp.Server.startWriting, tcp.Server.stopWriting

    def startWriting(self):
        reactor = self.reactor
        if not isinstance(reactor, AsyncioSelectorReactor) or self in reactor._writers:
            return eager_start(self)
        batch = getattr(reactor, "_tcri_write_batch", None)
        if batch is None:
            batch = reactor._tcri_write_batch = _WriteBatch(reactor, eager_start)
        if self not in batch.waiting:
            batch.add(self)

    def stopWriting(self):
        # A connection that stops writing (sent, or lost) leaves the batch at once.
        batch = getattr(self.reactor, "_tcri_write_batch", None)
        if batch is not None:
            batch.discard(self)
        eager_stop(self)

    tcp.Server.startWriting, tcp.Server.stopWriting = startWriting, stopWriting
