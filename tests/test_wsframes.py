"""Autobahn's per-frame debug arguments are formatted only when a line is written."""

from autobahn import util
from autobahn.websocket import protocol

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
    assert str(protocol.hlval("x", color="red", bold=False)) == util.hlval("x", color="red", bold=False)


def test_install_is_idempotent():
    wsframes.install()
    patched = protocol.hltype
    wsframes.install()
    assert protocol.hltype is patched


def test_sent_frames_arrive_and_a_written_debug_line_reads_as_before():
    wsframes.install()

    class Transport:
        def __init__(self):
            self.data = b""

        def write(self, data):
            self.data += data

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
