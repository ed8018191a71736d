"""Limits of the exchange spaces, overridable from settings or the environment."""

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def max_body_chars() -> int:
    return _int("FORUM_MAX_BODY_CHARS", 10_000)


def max_frame_bytes() -> int:
    return _int("FORUM_MAX_FRAME_BYTES", 64 * 1024)


def max_attachment_bytes() -> int:
    return _int("FORUM_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)


def max_attachments() -> int:
    return 3


def rate_limit() -> tuple[int, int]:
    """(messages, seconds): FORUM_RATE_LIMIT="20/10" allows 20 messages per 10 s per person."""
    raw = getattr(settings, "FORUM_RATE_LIMIT", None) or os.environ.get("FORUM_RATE_LIMIT", "")
    try:
        count, seconds = (int(part) for part in raw.split("/", 1))
        if count > 0 and seconds > 0:
            return count, seconds
    except ValueError:
        pass
    return 20, 10


def replay_limit() -> int:
    """How many missed events a resuming client may be sent before it must reload."""
    return _int("FORUM_REPLAY_LIMIT", 500)


def flood_frames() -> int:
    """Frames per 10 s from one connection before it is closed with 4429."""
    return _int("FORUM_FLOOD_FRAMES", 120)


PRESENCE_WINDOW_SECONDS = 90

# Extension -> accepted content types. Checked on the name and on the first bytes.
ALLOWED_ATTACHMENTS = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "txt": {"text/plain"},
    "csv": {"text/csv", "text/plain", "application/vnd.ms-excel"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "odt": {"application/vnd.oasis.opendocument.text"},
}
MAGIC = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
}
