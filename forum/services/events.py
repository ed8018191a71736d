"""Thread events: what a stored event looks like on the wire, recording one under the
thread's row lock, broadcasting it after commit, and reading the ones a socket missed."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum import conf
from forum.fanout import FANOUT_LAYER
from forum.groups import space_group, thread_group
from forum.models import Message, Thread, ThreadEvent
from tcri_site.live import send_event_on_commit


def display_name(user) -> str:
    if user is None:
        return _("Personne supprimée")
    return user.get_full_name() or user.email.split("@")[0]


def message_payload(message: Message) -> dict:
    author = message.author
    data = {
        "id": message.pk,
        "thread": message.thread_id,
        "author": {"id": author.pk if author else None, "name": display_name(author)},
        "created_at": message.created_at.isoformat(),
        "created_label": date_format(timezone.localtime(message.created_at), "DATETIME_FORMAT"),
        "reply_to": message.reply_to_id,
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
        "hidden": message.is_hidden,
        "client_id": message.client_id or None,
    }
    if not message.is_deleted and not message.is_hidden:
        data["body"] = message.body
        data["html"] = message.body_html
        data["attachments"] = [attachment_payload(a) for a in message.attachments.all()]
    return data


def attachment_payload(attachment) -> dict:
    preview = None
    if attachment.has_preview:
        preview = {"url": attachment.preview_url, "width": attachment.preview_width, "height": attachment.preview_height}
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": attachment.get_absolute_url(),
        "preview": preview,
    }


def thread_payload(thread: Thread) -> dict:
    return {"id": thread.pk, "locked": thread.is_locked, "pinned": thread.is_pinned}


def envelope(event: ThreadEvent, message: Message | None, thread: Thread) -> dict:
    payload = message_payload(message) if message is not None else thread_payload(thread)
    return {
        "type": event.kind,
        "id": message.pk if message is not None else None,
        "client_id": (message.client_id or None) if message is not None else None,
        "thread": thread.pk,
        "seq": event.seq,
        "payload": payload,
    }


class Outbox:
    """The broadcasts of a new message, registered before anything else in the transaction.

    So they run before other commit hooks (search indexing registers one when the message
    is saved) and do not wait for them. Filled by ``append_event``; an empty slot sends
    nothing (``send_event_on_commit`` skips ``None``).
    """

    def __init__(self, thread: Thread):
        self.event: dict | None = None
        self.activity: dict | None = None
        send_event_on_commit(thread_group(thread.pk), lambda: self.event, alias=FANOUT_LAYER)
        send_event_on_commit(space_group(thread.space_id), lambda: self.activity)


def append_event(
    thread: Thread, kind: str, message: Message | None = None, outbox: Outbox | None = None, **thread_updates
) -> dict:
    """Record the event under the thread's row lock and broadcast it after commit.

    ``thread`` was read with select_for_update in this transaction, so its ``last_seq``
    is current and nobody else can take the next number before we commit.
    """
    thread.last_seq += 1
    Thread.objects.filter(pk=thread.pk).update(last_seq=thread.last_seq, **thread_updates)
    event = ThreadEvent.objects.create(thread=thread, seq=thread.last_seq, kind=kind, message=message)
    data = envelope(event, message, thread)
    # Serialised once for every subscriber; the layer copies only a short string.
    wire = {"type": "forum.event", "thread": thread.pk, "seq": event.seq, "text": json.dumps(data, ensure_ascii=False)}
    activity = None
    if kind == "message.created" and message is not None:
        activity = {
            "type": "forum.activity",
            "thread": thread.pk,
            "space": thread.space_id,
            "message": message.pk,
            "author": message.author_id,
        }
    if outbox is not None:
        outbox.event, outbox.activity = wire, activity
    else:
        send_event_on_commit(thread_group(thread.pk), wire, alias=FANOUT_LAYER)
        if activity:
            send_event_on_commit(space_group(thread.space_id), activity)
    return data


def events_after(thread: Thread, after_seq: int, limit: int | None = None) -> tuple[list[dict], bool]:
    """Events with seq > after_seq, in order. Returns (events, complete)."""
    limit = limit or conf.replay_limit()
    rows = list(
        ThreadEvent.objects.filter(thread=thread, seq__gt=after_seq)
        .select_related("message__author")
        .prefetch_related("message__attachments")
        .order_by("seq")[: limit + 1]
    )
    complete = len(rows) <= limit
    return [envelope(row, row.message, thread) for row in rows[:limit]], complete


__all__ = ["Outbox", "append_event", "display_name", "envelope", "events_after", "message_payload", "thread_payload"]
