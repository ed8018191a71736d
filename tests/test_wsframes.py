"""Autobahn's per-frame debug arguments are formatted only when a line is written; a
broadcast text is framed once and sent byte for byte as autobahn would have."""

import asyncio

import pytest
from autobahn import util
from autobahn.websocket import protocol
from autobahn.websocket.compress import PerMessageDeflate
from daphne.ws_protocol import WebSocketProtocol

from tcri_site import wsframes


class Sender:
    def sendData(self):  # noqa: N802 - the name autobahn passes
        pass


def test_highlights_are_deferred_and_format_the_same():
    wsframes.install()
    # The patched helper returns a stand-in, formatted only when a line is written.
    value = protocol.hltype(Sender().sendData)
    assert not isinstance(value, str)
    assert f"{value}" == util.hltype(Sender().sendData)
    assert str(protocol.hlval(12)) == util.hlval(12)
    assert str(protocol.hlval("x", color="red", bold=False)) == util.hlval(
        "x", color="red", bold=False
    )


def test_install_is_idempotent():
    wsframes.install()
    patched = protocol.hltype
    wsframes.install()
    assert protocol.hltype is patched


def test_sent_frames_arrive_and_a_written_debug_line_reads_as_before():
    wsframes.install()

    class Log:
        """Writes every debug line, formatted as txaio does (str.format of the kwargs)."""

        def __init__(self):
            self.lines = []

        def debug(self, fmt, **kwargs):
            self.lines.append(fmt.format(**kwargs))

    sender = protocol.WebSocketProtocol()
    sender.transport, sender.log = Transport(), Log()
    sender.send_queue = []
    sender.state = protocol.WebSocketProtocol.STATE_OPEN
    sender.trafficStats = protocol.TrafficStats()
    sender.logOctets = False
    sender.peer = "tcp:127.0.0.1:1"
    sender.sendData(b"frame")
    assert sender.transport.data == b"frame"
    expected = "{func} sent {data_len} bytes for peer {peer}".format(
        func=util.hltype(sender.sendData), data_len=util.hlval(5), peer=util.hlval(sender.peer)
    )
    assert sender.log.lines == [expected]


class Transport:
    def __init__(self):
        self.data = b""

    def write(self, data):
        self.data += data


def open_socket(**options) -> WebSocketProtocol:
    """A Daphne protocol in the open state, with autobahn's server defaults and Daphne's options."""
    sock = WebSocketProtocol()
    sock.factory = type("Factory", (), {"isServer": True})()
    sock.transport = Transport()
    sock.send_queue = []
    sock.state = WebSocketProtocol.STATE_OPEN
    sock.trafficStats = protocol.TrafficStats()
    sock.trackedTimings = None
    sock.client_addr = ("127.0.0.1", 1)
    sock.peer = "tcp:127.0.0.1:1"
    sock._perMessageCompress = None
    sock.maskServerFrames = False
    sock.logFrames = sock.logOctets = False
    sock.autoFragmentSize = 0
    sock.maxMessagePayloadSize = 1024 * 1024
    for name, value in options.items():
        setattr(sock, name, value)
    return sock


def frames_of(data: bytes) -> list[tuple[int, bytes]]:
    """(first byte, payload) of each unmasked frame in ``data``."""
    frames = []
    while data:
        b0, size, start = data[0], data[1] & 0x7F, 2
        if size == 126:
            size, start = int.from_bytes(data[2:4], "big"), 4
        elif size == 127:
            size, start = int.from_bytes(data[2:10], "big"), 10
        frames.append((b0, data[start : start + size]))
        data = data[start + size :]
    return frames


STATS = (
    "outgoingWebSocketMessages",
    "outgoingWebSocketFrames",
    "outgoingOctetsAppLevel",
    "outgoingOctetsWebSocketLevel",
    "outgoingOctetsWireLevel",
)


@pytest.mark.parametrize("size", [0, 5, 125, 126, 65535, 65536, 70_000])
def test_a_shared_frame_is_what_autobahn_would_have_sent(size):
    wsframes.install()
    text = ("é" + "a" * size)[:size]  # multi-byte characters: framing counts bytes
    shared, fresh = open_socket(), open_socket()
    shared.serverSend(text)
    shared.serverSend(text)  # the second socket's send reuses the frame
    WebSocketProtocol.sendMessage(fresh, text.encode(), False)
    WebSocketProtocol.sendMessage(fresh, text.encode(), False)
    assert shared.transport.data == fresh.transport.data
    assert frames_of(shared.transport.data) == [(0x81, text.encode())] * 2
    for name in STATS:
        assert getattr(shared.trafficStats, name) == getattr(fresh.trafficStats, name), name


@pytest.mark.parametrize(
    "options",
    [
        {"autoFragmentSize": 10},  # split into several frames
        {"maxMessagePayloadSize": 10},  # refused
        {"maskServerFrames": True},
        {"_perMessageCompress": "deflate"},
    ],
    ids=["fragmented", "too-large", "masked", "compressed"],
)
def test_other_sockets_take_autobahns_own_path(options, monkeypatch):
    wsframes.install()
    calls = []
    monkeypatch.setattr(
        WebSocketProtocol, "sendMessage", lambda self, payload, binary: calls.append(payload)
    )
    open_socket(**options).serverSend("un message assez long")
    assert calls == ["un message assez long".encode()]


def test_binary_and_unopened_sockets_take_autobahns_own_path(monkeypatch):
    wsframes.install()
    calls = []
    monkeypatch.setattr(
        WebSocketProtocol,
        "sendMessage",
        lambda self, payload, binary: calls.append((payload, binary)),
    )
    monkeypatch.setattr(
        WebSocketProtocol, "serverAccept", lambda self: setattr(self, "state", self.STATE_OPEN)
    )
    open_socket().serverSend(b"\x00\x01", binary=True)
    open_socket(state=WebSocketProtocol.STATE_CONNECTING).serverSend("bonjour")
    assert calls == [(b"\x00\x01", True), (b"bonjour", False)]


def test_compressed_sockets_still_compress():
    wsframes.install()
    sock = open_socket(
        _perMessageCompress=PerMessageDeflate(True, False, False, 0, 0, 0),
    )
    sock.serverSend("a" * 500)
    ((b0, payload),) = frames_of(sock.transport.data)
    assert b0 == 0xC1 and len(payload) < 100  # RSV1 set: deflated


def test_frames_kept_are_bounded():
    wsframes.install()
    for number in range(wsframes._FRAMES_KEPT * 3):
        open_socket().serverSend(f"message {number}")
    assert len(wsframes._FRAMES) <= wsframes._FRAMES_KEPT


def test_a_broadcast_text_is_framed_once(monkeypatch):
    wsframes.install()
    framed = []
    original = protocol.PreparedMessage.__init__
    monkeypatch.setattr(
        protocol.PreparedMessage,
        "__init__",
        lambda self, *args: framed.append(args[0]) or original(self, *args),
    )
    monkeypatch.setattr(
        WebSocketProtocol, "sendFrame", lambda *args, **kwargs: pytest.fail("framed per socket")
    )
    sockets = [open_socket() for _ in range(5)]
    for sock in sockets:
        sock.serverSend("un seul cadre pour tous")
    assert framed == ["un seul cadre pour tous".encode()]
    assert {sock.transport.data for sock in sockets} == {b"\x81\x17un seul cadre pour tous"}


# --- Batched writes, on a real Twisted asyncio reactor and real sockets ---------------------


def serve_and_read(on_connect, read, *, clients: int = 3):
    """Run ``on_connect(transport)`` for each accepted connection and ``read(reader)`` for
    each client, on a fresh asyncio loop driving Twisted's asyncio reactor; returns what
    each client read and how often the loop was asked to watch a socket for writability."""
    from twisted.internet import protocol as twisted_protocol
    from twisted.internet.asyncioreactor import AsyncioSelectorReactor

    wsframes.install()
    loop = asyncio.new_event_loop()
    reactor = AsyncioSelectorReactor(loop)
    watched = []
    add_writer = loop.add_writer
    loop.add_writer = lambda fd, *args: watched.append(fd) or add_writer(fd, *args)

    class Writer(twisted_protocol.Protocol):
        def connectionMade(self):  # noqa: N802 - Twisted's name
            on_connect(self.transport)

    port = reactor.listenTCP(0, twisted_protocol.Factory.forProtocol(Writer), interface="127.0.0.1")

    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port.getHost().port)
        try:
            return await asyncio.wait_for(read(reader), 20)
        finally:
            writer.close()

    async def main():
        return await asyncio.gather(*(client() for _ in range(clients)))

    try:
        return loop.run_until_complete(main()), watched
    finally:
        port.stopListening()
        loop.run_until_complete(asyncio.sleep(0.05))
        loop.close()


def test_frames_written_in_one_turn_are_sent_together_without_watching_each_socket():
    def on_connect(transport):
        for number in range(50):
            transport.write(b"%03d;" % number)

    read, watched = serve_and_read(on_connect, lambda reader: reader.readexactly(200))
    assert read == [b"".join(b"%03d;" % number for number in range(50))] * 3  # all, in order
    assert watched == []  # the reactor never had to watch a socket for writability


def test_a_full_socket_waits_for_the_reactor_and_a_close_comes_after_the_data():
    big = bytes(range(256)) * 40_000  # 10 MB: more than any socket buffer takes at once

    def on_connect(transport):
        transport.write(big)
        transport.write(b"fin")
        transport.loseConnection()

    async def read(reader):
        await asyncio.sleep(0.2)  # let the server's socket buffer fill up first
        return await reader.read()  # everything, up to the close

    read, watched = serve_and_read(on_connect, read, clients=2)
    assert read == [big + b"fin"] * 2
    assert watched  # a full socket was handed to the reactor to wait for writability


def test_a_connection_that_stops_writing_during_a_flush_is_left_alone():
    """Sending to one connection can close another (a protocol reacting to the first):
    the closed one stopped writing and must not be written to, or disconnected twice."""

    class Loop:
        def call_soon(self, callback):
            pass

    class Connection:
        connected, _tempDataLen, offset, dataBuffer = True, 0, 0, b""

    first, second = Connection(), Connection()
    handled = []

    class Reactor:
        _asyncioEventloop = Loop()

        def _readOrWrite(self, connection, read):
            handled.append(connection)
            if connection is first:
                batch.discard(second)  # what second's stopWriting does

    batch = wsframes._WriteBatch(Reactor(), start_writing=lambda connection: pytest.fail("waited"))
    batch.add(first)
    batch.add(second)
    batch.flush()
    assert handled == [first]
    assert not batch.waiting and not batch.flushing
