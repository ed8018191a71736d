"""Creating notifications and announcing them live, only once the change is committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tcri_site.members.models import NotificationPreference
from tcri_site.notifications.models import Kind, Notification

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _broadcast_unread(user_ids: Iterable[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    counts = dict(
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    for user_id in user_ids:
        try:
            async_to_sync(layer.group_send)(
                user_group(user_id),
                {"type": "notifications.unread", "unread": counts.get(user_id, 0)},
            )
        except Exception:  # a broadcast failure must never undo a committed change
            logger.exception("Could not announce notifications to user %s", user_id)


def _send_immediately(notification: Notification) -> None:
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {"notification": notification, "site_url": settings.SITE_URL}
        subject = render_to_string("notifications/email_subject.txt", context).strip()
        body = render_to_string("notifications/email_body.txt", context)
    send_mail(subject, body, None, [recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notify(
    recipients: Iterable,
    *,
    kind: Kind | str,
    title: str,
    url: str = "",
    body: str = "",
    actor=None,
) -> list[Notification]:
    """Store one notification per recipient (never the actor) and announce it after commit.

    People who chose immediate e-mail get it once the transaction commits.
    """
    people = {user.pk: user for user in recipients if user and user.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return []
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=kind, title=title[:255], url=url, body=body, actor=actor
            )
            for user in people.values()
        ]
    )
    immediate = [
        n
        for n in created
        if n.recipient.notification_preference == NotificationPreference.IMMEDIATE
    ]

    def after_commit():
        _broadcast_unread(list(people))
        for notification in immediate:
            try:
                _send_immediately(notification)
            except Exception:
                logger.exception("Could not e-mail notification %s", notification.pk)

    transaction.on_commit(after_commit)
    return created


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the person's notifications read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    changed = qs.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: _broadcast_unread([user.pk]))
    return changed
