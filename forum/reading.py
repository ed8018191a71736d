"""How a page of messages reads: consecutive messages of one author within a few minutes
share one header, a separator opens each new day, and a line marks the first message the
reader has not read (where the page opens)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

GROUP_WITHIN = timedelta(minutes=5)


def arrange(messages, *, user, last_read: int) -> None:
    """Set ``grouped``, ``new_day`` (a date, or None) and ``first_unread`` on each message."""
    previous = None
    unread_seen = False
    for message in messages:
        day = timezone.localtime(message.created_at).date()
        previous_day = timezone.localtime(previous.created_at).date() if previous else None
        message.new_day = day if day != previous_day else None
        message.first_unread = False
        if not unread_seen and last_read and message.pk > last_read and message.author_id != user.pk:
            message.first_unread = unread_seen = True
        message.grouped = bool(
            previous is not None
            and message.new_day is None
            and not message.first_unread
            and message.author_id is not None
            and message.author_id == previous.author_id
            and not previous.is_deleted
            and message.created_at - previous.created_at <= GROUP_WITHIN
        )
        previous = message
