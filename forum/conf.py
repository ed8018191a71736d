"""Limits of the exchange spaces, overridable from settings or the environment.

A setting of the same name wins over the environment variable; both are read through the
parsers of tcri_site/settings/env.py, and ``check()`` (called when the app is ready) stops
start-up with ``ImproperlyConfigured`` naming the variable when a value is malformed,
instead of silently falling back to the default.
"""

from django.conf import settings

from tcri_site.settings import env


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        return env.get_int(name, default, minimum=1)
    return env.parse_int(name, value, minimum=1)


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
    value = getattr(settings, "FORUM_RATE_LIMIT", None)
    if value is None:
        return env.get_rate("FORUM_RATE_LIMIT", (20, 10))
    return env.parse_rate("FORUM_RATE_LIMIT", value)


def replay_limit() -> int:
    """How many missed events a resuming client may be sent before it must reload."""
    return _int("FORUM_REPLAY_LIMIT", 500)


def flood_frames() -> int:
    """Frames per 10 s from one connection before it is closed with 4429."""
    return _int("FORUM_FLOOD_FRAMES", 120)


def check() -> None:
    """Read every limit once: a malformed one raises ``ImproperlyConfigured`` now."""
    for read in (max_body_chars, max_frame_bytes, max_attachment_bytes, rate_limit, replay_limit, flood_frames):
        read()


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
