"""Read markers and unread counts: how far each person has read each thread."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.errors import MissingField
from forum.groups import user_group
from forum.models import Message, ReadMarker, Thread
from tcri_site.live import send_event_on_commit


def advance_marker(user, thread: Thread, message_id: int) -> int:
    """Move the marker forward (never back) and return where it stands; no broadcast."""
    updated = ReadMarker.objects.filter(user=user, thread=thread, last_read_message_id__lt=message_id).update(
        last_read_message_id=message_id, updated_at=timezone.now()
    )
    if updated:
        return message_id
    try:
        with transaction.atomic():
            marker, _created = ReadMarker.objects.get_or_create(
                user=user, thread=thread, defaults={"last_read_message_id": message_id}
            )
    except IntegrityError:  # created concurrently
        marker = ReadMarker.objects.get(user=user, thread=thread)
    return marker.last_read_message_id


def do_mark_read(*, actor, thread: Thread, message_id) -> int:
    """Move the person's read marker forward (never back); tell their other tabs."""
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise MissingField(message=_("Identifiant de message invalide.")) from None
    message_id = max(0, min(message_id, thread.last_message_id or 0))
    with transaction.atomic():
        last = advance_marker(actor, thread, message_id)
        send_event_on_commit(user_group(actor.pk), {"type": "forum.read", "thread": thread.pk, "last_read_id": last})
    return last


def last_read_subquery(user):
    return Coalesce(
        Subquery(ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_message_id")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def annotate_unread(threads, user):
    """Add ``last_read`` and ``unread`` (others' visible messages after the marker)."""
    threads = threads.annotate(last_read=last_read_subquery(user))
    unread = (
        Message.objects.filter(
            thread=OuterRef("pk"),
            pk__gt=OuterRef("last_read"),
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return threads.annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))


def unread_threads_by_space(user, space_ids) -> dict[int, int]:
    """How many threads of each space have messages after the person's marker (one query)."""
    rows = (
        Thread.objects.filter(space_id__in=list(space_ids))
        .annotate(last_read=last_read_subquery(user))
        .filter(last_message_id__gt=F("last_read"))
        .values("space_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["space_id"]: row["n"] for row in rows}


def last_read_of(user, thread: Thread) -> int:
    marker = (
        ReadMarker.objects.filter(user=user, thread=thread).values_list("last_read_message_id", flat=True).first()
    )
    return marker or 0
