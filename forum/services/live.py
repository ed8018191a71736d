"""What the forum socket asks of the database: presence (who has a thread open), what a
subscription starts from, which subscribed threads are behind, and access re-checks.

Called by forum/consumers.py from its database thread; nothing here touches a socket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from forum import conf
from forum.errors import ForumRefusal, UnknownSpace
from forum.models import Presence, ReadMarker, Space, Thread
from forum.services.checks import check_may_read_thread
from forum.services.events import display_name, events_after
from tcri_site.members.models import User

# --- Presence ---------------------------------------------------------------------------


def do_join_presence(*, actor, thread_id: int, channel_name: str) -> None:
    Presence.objects.update_or_create(
        thread_id=thread_id, channel_name=channel_name, defaults={"user": actor, "seen_at": timezone.now()}
    )


def do_touch_presence(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def do_leave_presence(*, channel_name: str, thread_id: int | None = None) -> list[int]:
    """Forget this socket's presence (in one thread, or all); the threads it left."""
    rows = Presence.objects.filter(channel_name=channel_name)
    if thread_id is not None:
        rows = rows.filter(thread_id=thread_id)
    threads = list(rows.values_list("thread_id", flat=True).distinct())
    rows.delete()
    return threads


def readers(thread_id: int) -> list[dict]:
    since = timezone.now() - timedelta(seconds=conf.PRESENCE_WINDOW_SECONDS)
    users = (
        User.objects.filter(pk__in=Presence.objects.filter(thread_id=thread_id, seen_at__gte=since).values("user_id"))
        .order_by("first_name", "last_name")
        .only("pk", "first_name", "last_name", "email")
    )
    return [{"id": u.pk, "name": display_name(u)} for u in users]


# --- Subscriptions ------------------------------------------------------------------------


@dataclass
class Subscription:
    thread: Thread
    last_read_id: int


def do_open_subscription(*, actor, thread_id, channel_name: str) -> Subscription:
    """Check access, note the socket's presence, and read the person's marker."""
    thread = check_may_read_thread(actor=actor, thread_id=thread_id)
    marker = ReadMarker.objects.filter(user_id=actor.pk, thread=thread).first()
    do_join_presence(actor=actor, thread_id=thread.pk, channel_name=channel_name)
    return Subscription(thread, marker.last_read_message_id if marker else 0)


def current_seq(thread_id: int) -> int:
    return Thread.objects.values_list("last_seq", flat=True).get(pk=thread_id)


def missed_events(thread_id: int, after_seq: int) -> tuple[list[dict], bool]:
    """Stored events of the thread after ``after_seq`` (see ``events_after``)."""
    return events_after(Thread.objects.get(pk=thread_id), after_seq)


def do_heartbeat(*, channel_name: str, sent: dict[int, int]) -> list[int]:
    """Refresh the socket's presence; the subscribed threads whose stored seq is ahead of
    the last one sent (``sent``: thread id -> seq)."""
    do_touch_presence(channel_name=channel_name)
    current = Thread.objects.filter(pk__in=list(sent)).values_list("pk", "last_seq")
    return [pk for pk, seq in current if seq > sent.get(pk, seq)]


def check_may_read_space(*, actor, space_id) -> Space:
    space = Space.objects.filter(pk=space_id).first()
    if space is None or not actor.has_perm("forum.read_space", space):
        raise UnknownSpace()
    return space


def lost_access(*, actor, threads: list[int], spaces: list[int]) -> tuple[list[int], list[int]] | None:
    """Of the socket's threads and spaces, those ``actor`` may no longer read; None if the
    person lost the exchange spaces altogether."""
    if not actor.has_perm("forum.view_index"):
        return None
    lost_threads = []
    for thread_id in threads:
        try:
            check_may_read_thread(actor=actor, thread_id=thread_id)
        except ForumRefusal:
            lost_threads.append(thread_id)
    visible = {space.pk for space in Space.objects.filter(pk__in=spaces) if actor.has_perm("forum.read_space", space)}
    return lost_threads, [space_id for space_id in spaces if space_id not in visible]
