"""Creating notifications and announcing them live, only once the change is committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from channels.layers import get_channel_layer
from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Count
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tcri_site.live import group_send_many, send_event_on_commit
from tcri_site.mail.services import Email, enqueue_emails
from tcri_site.notifications.groups import user_group
from tcri_site.notifications.models import (
    Delivery,
    Digest,
    Frequency,
    Kind,
    Notification,
    NotificationSetting,
)

# Kept for code written against the first version of this module.
NotificationPreference = Delivery

logger = logging.getLogger(__name__)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _broadcast_unread(user_ids: Iterable[int]) -> None:
    """Each person's new unread count: one query and one hand-over to the channel layer
    for the lot, however many people."""
    user_ids = list(user_ids)
    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    counts = dict(
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    group_send_many([
        (user_group(user_id), {"type": "notifications.unread", "unread": counts.get(user_id, 0)}) for user_id in user_ids
    ])


# ---------------------------------------------------------------------------------------
# Preferences


def deliveries_for(users: Iterable, kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    """Effective delivery for each (person, kind): their setting for the kind, else their
    general preference. One query whatever the number of people."""
    users = list(users)
    kinds = [str(k) for k in kinds]
    explicit = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationSetting.objects.filter(
            user_id__in=[u.pk for u in users], kind__in=kinds
        ).values_list("user_id", "kind", "delivery")
    }
    return {
        (user.pk, kind): explicit.get((user.pk, kind), user.notification_preference)
        for user in users
        for kind in kinds
    }


def preferences(user) -> dict[str, str]:
    """The person's effective delivery for every kind, in ``Kind`` order."""
    found = deliveries_for([user], Kind.values)
    return {kind: found[(user.pk, kind)] for kind in Kind.values}


def do_set_preferences(user, choices: dict[str, str]) -> None:
    """Store one delivery per kind. Unknown kinds or deliveries raise ``ValueError``."""
    rows = {Kind(kind).value: Delivery(delivery).value for kind, delivery in choices.items()}
    with transaction.atomic():
        for kind, delivery in rows.items():
            NotificationSetting.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )


# Sent after someone stops e-mails for ``kind`` (None: every kind), so apps that keep
# subscriptions of their own (the implementation updates) drop them too.
unsubscribed = Signal()


def do_unsubscribe(user, kind: str | None = None) -> None:
    """Stop e-mails for one kind, or for every kind (then also the general preference, so
    kinds added later stay quiet too). In-app notifications go on."""
    with transaction.atomic():
        unsubscribed.send(sender=type(user), user=user, kind=kind)
        if kind is None:
            do_set_preferences(user, dict.fromkeys(Kind.values, Delivery.IN_APP))
            type(user).objects.filter(pk=user.pk).update(notification_preference=Delivery.IN_APP)
            user.notification_preference = Delivery.IN_APP
        else:
            do_set_preferences(user, {kind: Delivery.IN_APP})


# ---------------------------------------------------------------------------------------
# Unsubscribe links: signed, so they need no login and cannot be forged or retargeted.

UNSUBSCRIBE_SALT = "tcri.notifications.unsubscribe"
ALL_KINDS = "*"


class InvalidUnsubscribeToken(Exception):
    pass


def unsubscribe_token(user, kind: str | None = None) -> str:
    return signing.dumps(
        {"u": user.pk, "k": Kind(kind).value if kind else ALL_KINDS, "e": user.email},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def read_unsubscribe_token(token: str):
    """Return ``(user, kind or None)``; raise ``InvalidUnsubscribeToken`` for anything else.

    The e-mail address is part of the signed value, so a link stops working for an account
    whose address changed hands.
    """
    from django.contrib.auth import get_user_model

    if not token or len(token) > 500:
        raise InvalidUnsubscribeToken
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=data["u"], email=data["e"])
        kind = None if data["k"] == ALL_KINDS else Kind(data["k"]).value
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist) as exc:
        raise InvalidUnsubscribeToken from exc
    return user, kind


def unsubscribe_url(user, kind: str | None = None) -> str:
    """Absolute link in the language that is active (the person's, when e-mailing)."""
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    return settings.SITE_URL + path


def unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 8058: mail clients can unsubscribe with one POST, without opening a page.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# ---------------------------------------------------------------------------------------
# E-mail


def _immediate_email(notification: Notification) -> Email:
    recipient = notification.recipient
    language = language_of(recipient)
    with translation.override(language):
        context = {
            "notification": notification,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url(recipient, notification.kind),
            "unsubscribe_all_url": unsubscribe_url(recipient),
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        }
        subject = render_to_string("notifications/email_subject.txt", context)
        body = render_to_string("notifications/email_body.txt", context)
    return Email(
        key=f"notification:{notification.pk}",
        to=recipient.email,
        subject=subject,
        body=body,
        headers=unsubscribe_headers(context["unsubscribe_url"]),
        language=language,
    )


def _in_each_language(value, languages: set[str]) -> dict[str, str]:
    """A text, or a zero-argument callable evaluated once per language (with that language
    active, so translated sentences, dates and localised URLs follow the reader)."""
    if not callable(value):
        return dict.fromkeys(languages, str(value))
    texts = {}
    for language in languages:
        with translation.override(language):
            texts[language] = str(value())
    return texts


def language_of(user) -> str:
    """The language a person reads the workspace in (their profile's, else the default)."""
    return user.language or settings.LANGUAGE_CODE


def notify(
    recipients: Iterable,
    *,
    kind: Kind | str,
    title,
    url="",
    body: str = "",
    actor=None,
    email: bool = True,
) -> list[Notification]:
    """Store one notification per recipient (never the actor) and announce it after commit.

    ``title`` and ``url`` may be callables (``lambda: _("…") % {…}``): each recipient then
    gets them in their own language, in the notification centre as in e-mails.

    People who chose immediate e-mail for this kind get it through the outbox (queued in
    this transaction, delivered by the worker once it commits);
    daily and weekly choices are served by ``send_digests``. ``email=False`` when the caller
    e-mails these people a message of its own that stands for the notification: it is then
    neither e-mailed again nor put in a digest.
    """
    kind = Kind(kind).value  # an unknown kind is a programming error: fail loudly
    people = {user.pk: user for user in recipients if user and user.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return []
    languages = {language_of(user) for user in people.values()}
    titles, urls = _in_each_language(title, languages), _in_each_language(url, languages)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=titles[language_of(user)][:255],
                url=urls[language_of(user)],
                body=body,
                actor=actor,
                emailed_at=None if email else timezone.now(),
            )
            for user in people.values()
        ]
    )
    if email:
        delivery = deliveries_for(people.values(), [kind])
        immediate = [n for n in created if delivery[(n.recipient.pk, kind)] == Delivery.IMMEDIATE]
        if immediate:
            enqueue_emails([_immediate_email(n) for n in immediate])
            Notification.objects.filter(pk__in=[n.pk for n in immediate]).update(emailed_at=timezone.now())
    transaction.on_commit(lambda: _broadcast_unread(list(people)))
    return created


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the person's notifications read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    changed = qs.update(read_at=timezone.now())
    if changed:
        send_event_on_commit(
            user_group(user.pk), lambda: {"type": "notifications.unread", "unread": unread_count(user)}
        )
    return changed


# ---------------------------------------------------------------------------------------
# Digests

# How far back a digest looks: a little more than its period, so a late cron run loses
# nothing; older unread notifications are left to the notification centre.
DIGEST_WINDOW = {Frequency.DAILY: timedelta(days=2), Frequency.WEEKLY: timedelta(days=8)}
DIGEST_ITEMS_PER_KIND = 20


def _digest_candidates(frequency: str, now) -> dict[int, list[int]]:
    """Unread, not yet e-mailed or digested notifications whose kind the recipient
    currently wants in this digest, by recipient id."""
    from django.contrib.auth import get_user_model

    rows = list(
        Notification.objects.filter(
            digest__isnull=True,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW[frequency],
            recipient__is_active=True,
        ).values_list("pk", "recipient_id", "kind")
    )
    users = get_user_model().objects.filter(pk__in={r[1] for r in rows})
    delivery = deliveries_for(users, {r[2] for r in rows})
    wanted: dict[int, list[int]] = {}
    for pk, user_id, kind in rows:
        if delivery.get((user_id, kind)) == frequency:
            wanted.setdefault(user_id, []).append(pk)
    return wanted


def _digest_groups(notifications: list[Notification]) -> list[dict]:
    by_kind: dict[str, list[Notification]] = {}
    for notification in notifications:
        by_kind.setdefault(notification.kind, []).append(notification)
    groups = []
    for kind in Kind:  # a stable, meaningful order
        items = by_kind.get(kind.value)
        if items:
            groups.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "items": items[:DIGEST_ITEMS_PER_KIND],
                    "more": max(0, len(items) - DIGEST_ITEMS_PER_KIND),
                    "count": len(items),
                }
            )
    return groups


def _queue_digest(digest: Digest, notifications: list[Notification]) -> None:
    recipient = digest.recipient
    language = language_of(recipient)
    with translation.override(language):
        groups = _digest_groups(notifications)
        for group in groups:
            group["unsubscribe_url"] = unsubscribe_url(recipient, group["kind"])
        context = {
            "digest": digest,
            "recipient": recipient,
            "groups": groups,
            "count": len(notifications),
            "site_url": settings.SITE_URL,
            "centre_url": settings.SITE_URL + reverse("notifications:list"),
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
            "unsubscribe_all_url": unsubscribe_url(recipient),
        }
        subject = render_to_string("notifications/digest_subject.txt", context)
        text = render_to_string("notifications/digest_body.txt", context)
        html = render_to_string("notifications/digest_body.html", context)
    enqueue_emails([
        Email(
            key=f"digest:{digest.pk}",
            to=recipient.email,
            subject=subject,
            body=text,
            html=html,
            headers=unsubscribe_headers(context["unsubscribe_all_url"]),
            language=language,
        )
    ])


def send_digests(frequency: str, now=None) -> int:
    """Send each person their daily or weekly digest; return how many e-mails went out.

    Idempotent: each notification is claimed by exactly one digest (an UPDATE that only
    matches unclaimed rows), and the e-mail is queued in the outbox inside that transaction,
    so a second run sends nothing more; the outbox retries a refused delivery.
    """
    from django.contrib.auth import get_user_model

    frequency = Frequency(frequency).value
    now = now or timezone.now()
    sent = 0
    wanted = _digest_candidates(frequency, now)
    users = get_user_model().objects.in_bulk(list(wanted))
    for user_id, ids in wanted.items():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(recipient=users[user_id], frequency=frequency)
                claimed = Notification.objects.filter(
                    pk__in=ids, digest__isnull=True, emailed_at__isnull=True
                ).update(digest=digest)
                if not claimed:
                    transaction.set_rollback(True)
                    continue
                digest.count = claimed
                digest.save(update_fields=["count"])
                notifications = list(
                    Notification.objects.filter(digest=digest)
                    .select_related("actor")
                    .order_by("kind", "-created_at", "-pk")
                )
                _queue_digest(digest, notifications)
        except Exception:  # one person's failed e-mail must not stop everyone else's digest
            logger.exception("Could not send the %s digest to user %s", frequency, user_id)
            continue
        sent += 1
    return sent
