"""Autobahn (under Daphne) formats a debug message's arguments for every frame it sends.

``WebSocketProtocol.sendData`` calls ``log.debug(..., func=hltype(self.sendData),
peer=hlval(self.peer), ...)``: the arguments are built before the logger decides to drop
the message, and ``hltype`` alone inspects the method and colours its name (4-5 µs). A
thread event written to 200 sockets paid about 1.5 ms for log lines nobody reads. Here the
two helpers, as seen by that module, return a small object that does the same formatting
only if a log line is actually written; the text of such a line does not change.
"""

from __future__ import annotations

from autobahn.websocket import protocol as _protocol

_PATCHED = "_tcri_lazy_highlight"


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
    """Make ``hltype``/``hlval`` lazy inside ``autobahn.websocket.protocol``, once."""
    if getattr(_protocol, _PATCHED, False):
        return
    eager_type, eager_val = _protocol.hltype, _protocol.hlval
    _protocol.hltype = lambda obj: _Deferred(eager_type, obj)
    _protocol.hlval = lambda val, *args, **kwargs: _Deferred(eager_val, val, *args, **kwargs)
    setattr(_protocol, _PATCHED, True)
