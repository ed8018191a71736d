"""Checks every WebSocket route must pass (tcri_site/sockets.py): bad frames get an
``error`` event and leave the socket usable; flooding closes with 4429."""

from __future__ import annotations

import json

from tcri_site.sockets import FLOOD_FRAMES, MAX_DEPTH, CloseCode

NESTED = "[" * 20000 + "]" * 20000  # under the size limit; json.loads recurses too deeply
JUST_TOO_DEEP = json.dumps({"type": "ping", "x": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)})

# (how to send it, the error code expected)
BAD_FRAMES = [
    ({"text_data": NESTED}, "too_deep"),
    ({"text_data": JUST_TOO_DEEP}, "too_deep"),
    ({"bytes_data": b"\x00\x01binary"}, "bad_request"),
    ({"text_data": "{not json"}, "invalid_json"),
    ({"text_data": "[1, 2]"}, "bad_request"),
    ({"text_data": '"just a string"'}, "bad_request"),
    ({"text_data": json.dumps({"no": "type"})}, "bad_request"),
    ({"text_data": json.dumps({"type": "x" * 10, "pad": "a" * 70_000})}, "frame_too_large"),
    ({"text_data": json.dumps({"type": "bogus"})}, "unknown_type"),
]


def error_code(frame: dict) -> str | None:
    """The code of an ``error`` event, in the forum's envelope or the flat one."""
    assert frame["type"] == "error", frame
    payload = frame.get("payload") if isinstance(frame.get("payload"), dict) else frame
    assert payload.get("message"), frame
    return payload["code"]


async def assert_bad_frames_answered(comm) -> None:
    """Every bad frame gets its error, and ping -> pong still works after each."""
    for send, code in BAD_FRAMES:
        await comm.send_to(**send)
        answer = await comm.receive_json_from(timeout=5)
        assert error_code(answer) == code, (send.keys(), answer)
        await comm.send_json_to({"type": "ping"})
        assert (await comm.receive_json_from(timeout=5))["type"] == "pong"


async def assert_flooding_closes(comm, frames: int = FLOOD_FRAMES + 5) -> None:
    for _ in range(frames):
        await comm.send_json_to({"type": "ping"})
    errors = []
    while True:
        output = await comm.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        frame = json.loads(output["text"])
        if frame["type"] == "error":
            errors.append(error_code(frame))
    assert output["code"] == CloseCode.FLOODING == 4429
    assert errors == ["rate_limited"]
