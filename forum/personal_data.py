"""Threads started, messages (with their edit history) and reports (privacy export, erasure)."""

from django.utils import timezone

from forum.models import Message, MessageRevision, Presence, ReadMarker, Report, Thread

SECTION = "forum"


def export(user) -> dict:
    messages = Message.objects.filter(author=user).select_related("thread__space").prefetch_related("revisions").order_by("pk")
    return {
        "threads": [
            {"id": t.pk, "space": t.space.name, "title": t.title, "created_at": t.created_at}
            for t in Thread.objects.filter(author=user).select_related("space").order_by("pk")
        ],
        "messages": [
            {
                "id": m.pk,
                "space": m.thread.space.name,
                "thread": m.thread.title,
                "body": m.body,
                "created_at": m.created_at,
                "edited_at": m.edited_at,
                "deleted_at": m.deleted_at,
                "earlier_versions": [r.body for r in m.revisions.all()],
            }
            for m in messages
        ],
        "reports": [
            {"message_id": r.message_id, "reason": r.reason, "status": r.status, "created_at": r.created_at}
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
    }


def erase(user, *, remove_messages: bool) -> None:
    """Messages stay, signed "Ancien·ne membre" (the account's name is gone), unless the
    person asked to remove them: then their text and edit history are deleted."""
    ReadMarker.objects.filter(user=user).delete()
    Presence.objects.filter(user=user).delete()
    if remove_messages:
        mine = Message.objects.filter(author=user)
        MessageRevision.objects.filter(message__in=mine).delete()
        now = timezone.now()
        for message in mine:  # saved one by one so search and signals see the removal
            message.deleted_at = message.deleted_at or now
            message.body = message.body_html = ""
            message.save(update_fields=["deleted_at", "body", "body_html"])
