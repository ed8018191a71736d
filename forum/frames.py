"""Reading fields out of the forum's client frames and shaping its server frames.

Every server frame has the same envelope (docs/websocket-protocol.md, *Envelope*).
"""

from __future__ import annotations

from forum.errors import MissingField


def frame(kind: str, *, id=None, client_id=None, thread=None, seq=None, payload=None) -> dict:
    return {"type": kind, "id": id, "client_id": client_id, "thread": thread, "seq": seq, "payload": payload or {}}


def field(data: dict, name: str, kind=int):
    """``name`` at the top level of the frame or in its ``payload``, of type ``kind``."""
    value = data.get(name)
    if isinstance(data.get("payload"), dict) and value is None:
        value = data["payload"].get(name)
    if kind is int:
        if isinstance(value, str) and value.isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise MissingField(name)
    elif not isinstance(value, kind):
        raise MissingField(name)
    return value


def payload_of(data: dict) -> dict:
    return data["payload"] if isinstance(data.get("payload"), dict) else {}


def body_of(data: dict):
    body = payload_of(data).get("body", data.get("body"))
    if body is None:
        raise MissingField("body")
    return body


def confirmed_of(data: dict) -> bool:
    """``confirmed: true`` (top level or in the payload): post text that looks like it holds
    a client identifier anyway. Anything but ``true`` itself is no."""
    return data.get("confirmed") is True or payload_of(data).get("confirmed") is True


def last_seq_of(data: dict) -> int | None:
    last_seq = data.get("last_seq")
    if last_seq is None:
        last_seq = payload_of(data).get("last_seq")
    if last_seq is not None and (isinstance(last_seq, bool) or not isinstance(last_seq, int) or last_seq < 0):
        raise MissingField("last_seq")
    return last_seq


def echo(data: dict | None, name: str, kind):
    """A field of the client's frame echoed in the answer, if it has the right type."""
    value = (data or {}).get(name)
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def error(code: str, message: str, data: dict | None = None) -> dict:
    return frame(
        "error", client_id=echo(data, "client_id", str), thread=echo(data, "thread", int),
        payload={"code": code, "message": message, "ref": echo(data, "type", str)},
    )


def ack(data: dict, *, id=None, thread=None, seq=None, payload=None) -> dict:
    return frame(
        "ack", id=id, thread=thread, seq=seq, client_id=echo(data, "client_id", str),
        payload={"ref": data["type"], **(payload or {})},
    )
