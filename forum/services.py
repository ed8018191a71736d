"""Every change to the exchange spaces: views, the consumer, the admin and the seeder call these.

``check_*`` raise ``ForumError`` (a code for the protocol and a translated message for
people); ``do_*`` change the database in one transaction, append a ``ThreadEvent`` under the
thread's row lock (so sequence numbers are gap-free and commit in order), and broadcast it
with ``transaction.on_commit``: nothing is announced that was not stored.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from datetime import timedelta

from channels import DEFAULT_CHANNEL_LAYER
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum import conf
from forum.fanout import FANOUT_LAYER
from forum.markdown import render_markdown
from forum.models import (
    Attachment,
    Message,
    MessageRevision,
    Presence,
    ReadMarker,
    Report,
    ReportStatus,
    Space,
    Thread,
    ThreadEvent,
)
from tcri_site.live import group_send
from tcri_site.members.models import Membership, Organisation, User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify

logger = logging.getLogger(__name__)


class ForumError(Exception):
    """A refusal with a stable ``code`` (protocol) and a translated ``message`` (people)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def user_group(user_id: int) -> str:
    return f"forum.user.{user_id}"


def space_group(space_id: int) -> str:
    return f"forum.space.{space_id}"


def display_name(user) -> str:
    if user is None:
        return _("Personne supprimée")
    return user.get_full_name() or user.email.split("@")[0]


# --- Checks ---------------------------------------------------------------------------


def check_body(body) -> str:
    if not isinstance(body, str):
        raise ForumError("missing_field", _("Le message est manquant."))
    body = body.strip()
    if not body:
        raise ForumError("empty_message", _("Le message est vide. Écrivez quelque chose."))
    limit = conf.max_body_chars()
    if len(body) > limit:
        raise ForumError(
            "message_too_long",
            _("Le message est trop long : %(length)d caractères pour %(limit)d au plus.")
            % {"length": len(body), "limit": limit},
        )
    return body


def check_attachments(files) -> list:
    files = [f for f in files or [] if f]
    if len(files) > conf.max_attachments():
        raise ForumError(
            "too_many_attachments",
            _("Trois pièces jointes au plus par message."),
        )
    limit = conf.max_attachment_bytes()
    for upload in files:
        name = upload.name or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in conf.ALLOWED_ATTACHMENTS:
            raise ForumError(
                "attachment_type",
                _("Le fichier « %(name)s » n'est pas d'un type accepté. Types acceptés : %(types)s.")
                % {"name": name, "types": ", ".join(sorted(conf.ALLOWED_ATTACHMENTS))},
            )
        if upload.size > limit:
            raise ForumError(
                "attachment_too_large",
                _("Le fichier « %(name)s » dépasse la taille permise (%(limit)d Mo).")
                % {"name": name, "limit": limit // (1024 * 1024)},
            )
        magic = conf.MAGIC.get(ext)
        if magic:
            head = upload.read(16)
            upload.seek(0)
            if not any(head.startswith(m) for m in magic):
                raise ForumError(
                    "attachment_type",
                    _("Le contenu du fichier « %(name)s » ne correspond pas à son extension.")
                    % {"name": name},
                )
    return files


def check_rate_limit(user) -> None:
    """A window per person in the shared cache (Redis when configured: all processes).

    The window opens with the person's first message and lasts ``seconds`` (the counter's
    expiry; incrementing keeps it), so a burst is never split by a clock-aligned boundary
    into two fresh allowances.
    """
    count, seconds = conf.rate_limit()
    key = f"forum:rate:{user.pk}:{count}/{seconds}"  # a new limit starts a new counter
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, seconds)
        used = 1
    if used > count:
        raise ForumError(
            "rate_limited",
            _("Vous envoyez trop de messages. Attendez quelques secondes puis réessayez."),
        )


def check_client_id(client_id) -> str:
    if client_id in (None, ""):
        return ""
    if not isinstance(client_id, str) or len(client_id) > 64:
        raise ForumError("bad_client_id", _("Identifiant client invalide (64 caractères au plus)."))
    return client_id


def _locked_thread(thread_id) -> Thread:
    try:
        return Thread.objects.select_for_update().select_related("space").get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise ForumError("unknown_thread", _("Ce fil n'existe pas ou ne vous est pas accessible.")) from None


def _check_perm(user, perm: str, obj, code: str = "forbidden") -> None:
    if not user.has_perm(perm, obj):
        raise ForumError(code, _("Vous n'avez pas la permission de faire cela."))


def check_may_view_thread(user, thread_id) -> Thread:
    """The thread, or the same refusal whether it is unknown or forbidden (leaks nothing)."""
    try:
        thread = Thread.objects.select_related("space").get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        thread = None
    if thread is None or not user.has_perm("forum.view_thread", thread):
        raise ForumError("unknown_thread", _("Ce fil n'existe pas ou ne vous est pas accessible."))
    return thread


# --- Events ---------------------------------------------------------------------------


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
        data["attachments"] = [
            {"name": a.name, "size": a.size, "url": a.get_absolute_url()}
            for a in message.attachments.all()
        ]
    return data


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


def _flush(outbox: list) -> None:
    for group, payload in outbox:
        # Thread events go to the processes' hubs (forum/fanout.py) on their own layer.
        group_send(group, payload, FANOUT_LAYER if payload.get("type") == "forum.event" else DEFAULT_CHANNEL_LAYER)


def _open_outbox() -> list:
    """A list whose contents are broadcast when the transaction commits.

    Registered before anything else in the transaction, so the broadcast runs before other
    commit hooks (for example search indexing) and does not wait for them.
    """
    outbox: list = []
    transaction.on_commit(lambda: _flush(outbox))
    return outbox


def _append_event(
    thread: Thread, kind: str, message: Message | None = None, outbox: list | None = None, **thread_updates
) -> dict:
    """Record the event under the thread's row lock and broadcast it after commit.

    ``thread`` was read with select_for_update in this transaction, so its ``last_seq``
    is current and nobody else can take the next number before we commit.
    """
    thread.last_seq += 1
    Thread.objects.filter(pk=thread.pk).update(last_seq=thread.last_seq, **thread_updates)
    event = ThreadEvent.objects.create(thread=thread, seq=thread.last_seq, kind=kind, message=message)
    data = envelope(event, message, thread)
    group = thread.group_name
    space_id = thread.space_id
    activity = None
    if kind == "message.created" and message is not None:
        activity = {
            "type": "forum.activity",
            "thread": thread.pk,
            "space": space_id,
            "message": message.pk,
            "author": message.author_id,
        }

    # Serialised once for every subscriber; the layer copies only a short string.
    items = [
        (group, {"type": "forum.event", "thread": thread.pk, "seq": event.seq,
                 "text": json.dumps(data, ensure_ascii=False)}),
    ]
    if activity:
        items.append((space_group(space_id), activity))
    if outbox is not None:
        outbox.extend(items)
    else:
        transaction.on_commit(lambda: _flush(items))
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


# --- Messages -------------------------------------------------------------------------


@dataclass
class PostResult:
    message: Message
    created: bool
    event: dict | None = None


MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9][\w.\-]*[A-Za-z0-9_]|[A-Za-z0-9])")


def mentioned_handles(body: str) -> list[str]:
    seen = []
    for handle in MENTION_RE.findall(body or ""):
        handle = handle.lower()
        if handle not in seen:
            seen.append(handle)
    return seen[:20]


def resolve_mentions(body: str) -> list[User]:
    """@acronym notifies an organisation's active staff; @name the person whose e-mail
    address starts with ``name@`` (the handle shown on their profile)."""
    handles = mentioned_handles(body)
    if not handles:
        return []
    people: dict[int, User] = {}
    org_ids = list(
        Organisation.objects.filter(_iexact_any("acronym", handles), is_active=True)
        .values_list("pk", flat=True)
    )
    if org_ids:
        for membership in Membership.objects.filter(
            organisation_id__in=org_ids, is_active=True, user__is_active=True
        ).select_related("user"):
            people[membership.user_id] = membership.user
    email_q = Q()
    for handle in handles:
        email_q |= Q(email__istartswith=f"{handle}@")
    for user in User.objects.filter(email_q, is_active=True):
        people[user.pk] = user
    return list(people.values())


def _iexact_any(field: str, values: list[str]) -> Q:
    q = Q(pk__in=[])
    for value in values:
        q |= Q(**{f"{field}__iexact": value})
    return q


def _notify_post(message: Message, thread: Thread, author) -> None:
    replied = None
    if message.reply_to_id and message.reply_to and message.reply_to.author_id:
        replied = User.objects.get(pk=message.reply_to.author_id)
        if replied.pk != author.pk and replied.has_perm("forum.view_thread", thread):
            notify(
                [replied],
                kind=Kind.REPLY,
                title=lambda: _("%(name)s vous a répondu dans « %(thread)s »")
                % {"name": display_name(author), "thread": thread.title},
                url=message.get_absolute_url,
                body=message.body[:300],
                actor=author,
            )
    _notify_mentions(message, thread, author, skip={replied.pk} if replied else set())


def _notify_mentions(message: Message, thread: Thread, author, skip: set[int] = frozenset()) -> None:
    """Tell the people @-mentioned in ``message`` who may read the thread, except ``skip``."""
    mentioned = [
        user
        for user in resolve_mentions(message.body)
        if user.pk != author.pk and user.pk not in skip and user.has_perm("forum.view_thread", thread)
    ]
    if mentioned:
        notify(
            mentioned,
            kind=Kind.MENTION,
            title=lambda: _("%(name)s vous a mentionné·e dans « %(thread)s »")
            % {"name": display_name(author), "thread": thread.title},
            url=message.get_absolute_url,
            body=message.body[:300],
            actor=author,
        )


def _existing_by_client_id(author, client_id: str) -> Message | None:
    if not client_id:
        return None
    return Message.objects.filter(author=author, client_id=client_id).first()


def do_post_message(
    *,
    author,
    thread_id: int,
    body,
    reply_to_id=None,
    client_id="",
    files=(),
    _thread: Thread | None = None,
) -> PostResult:
    """Store a message and announce it. A repeated ``client_id`` returns the first one.

    A resend costs nothing in the usual case: the unique (author, client_id) constraint
    refuses a second row, and only then (or when a check refuses the message: the thread
    locked since, the rate limit reached) is the first one looked up and returned. Only the
    message, its event and the thread's counters are written before the broadcast; the
    author's read marker and the notifications of people replied to or mentioned come
    after it, so the readers' sockets do not wait for them.
    """
    client_id = check_client_id(client_id)
    try:
        body = check_body(body)
        files = check_attachments(files)
        if _thread is None:
            check_rate_limit(author)
        with transaction.atomic():
            outbox = _open_outbox()
            thread = _thread or _locked_thread(thread_id)
            if not author.has_perm("forum.view_thread", thread):
                raise ForumError(
                    "unknown_thread", _("Ce fil n'existe pas ou ne vous est pas accessible.")
                )
            if not author.has_perm("forum.post_message", thread):
                raise ForumError("thread_locked", _("Ce fil est verrouillé : on ne peut plus y répondre."))
            reply_to = None
            if reply_to_id not in (None, ""):
                try:
                    reply_to = Message.objects.get(pk=int(reply_to_id), thread=thread)
                except (Message.DoesNotExist, ValueError, TypeError):
                    raise ForumError(
                        "unknown_message", _("Le message auquel vous répondez n'existe pas dans ce fil.")
                    ) from None
            message = Message.objects.create(
                thread=thread,
                author=author,
                body=body,
                body_html=render_markdown(body),
                reply_to=reply_to,
                client_id=client_id,
            )
            for upload in files:
                Attachment.objects.create(
                    message=message,
                    file=upload,
                    name=upload.name[:200],
                    size=upload.size,
                    content_type=mimetypes.guess_type(upload.name)[0] or "application/octet-stream",
                )
            if not files:  # nothing to fetch when the event is built
                message._prefetched_objects_cache = {"attachments": Attachment.objects.none()}
            event = _append_event(
                thread,
                "message.created",
                message,
                outbox=outbox,
                last_message_at=message.created_at,
                last_message_id=message.pk,
                message_count=F("message_count") + 1,
            )
            thread.last_message_id = message.pk
    except (IntegrityError, ForumError):
        # A resend (perhaps racing its first delivery): the first one is the answer.
        existing = _existing_by_client_id(author, client_id)
        if existing is None:
            raise
        return PostResult(existing, created=False)
    try:
        with transaction.atomic():
            _mark_read(author, thread, message.pk)
            _notify_post(message, thread, author)
    except DatabaseError:  # the message is stored and announced: say so, log this
        logger.exception("Read marker or notifications failed after message %s", message.pk)
    return PostResult(message, created=True, event=event)


def do_create_thread(*, author, space: Space, title: str, body, tags=(), client_id="", files=()) -> Thread:
    title = (title or "").strip()
    if not title:
        raise ForumError("missing_field", _("Donnez un titre au fil."))
    if len(title) > 200:
        raise ForumError("title_too_long", _("Le titre est trop long (200 caractères au plus)."))
    _check_perm(author, "forum.create_thread", space)
    client_id = check_client_id(client_id)
    existing = _existing_by_client_id(author, client_id)
    if existing is not None:
        return existing.thread
    check_body(body)
    check_attachments(files)
    check_rate_limit(author)
    with transaction.atomic():
        thread = Thread.objects.create(space=space, title=title, author=author)
        if tags:
            thread.tags.set(list(tags)[:10])
        thread = _locked_thread(thread.pk)
        do_post_message(
            author=author, thread_id=thread.pk, body=body, client_id=client_id, files=files,
            _thread=thread,
        )
    return thread


def _get_message_locked(message_id) -> tuple[Message, Thread]:
    try:
        message = Message.objects.get(pk=int(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise ForumError("unknown_message", _("Ce message n'existe pas.")) from None
    thread = _locked_thread(message.thread_id)
    message = Message.objects.select_related("author").get(pk=message.pk)
    message.thread = thread
    return message, thread


def do_edit_message(*, user, message_id, body) -> Message:
    body = check_body(body)
    with transaction.atomic():
        message, thread = _get_message_locked(message_id)
        if not user.has_perm("forum.view_thread", thread):
            raise ForumError("unknown_message", _("Ce message n'existe pas."))
        _check_perm(user, "forum.edit_message", message)
        if body == message.body:
            return message
        MessageRevision.objects.create(message=message, body=message.body, edited_by=user)
        # Only people the edit mentions for the first time are told; nobody twice.
        already = {person.pk for person in resolve_mentions(message.body)}
        message.body = body
        message.body_html = render_markdown(body)
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "body_html", "edited_at"])
        _append_event(thread, "message.edited", message)
        _notify_mentions(message, thread, user, skip=already)
    return message


def do_delete_message(*, user, message_id) -> Message:
    with transaction.atomic():
        message, thread = _get_message_locked(message_id)
        if not user.has_perm("forum.view_thread", thread):
            raise ForumError("unknown_message", _("Ce message n'existe pas."))
        _check_perm(user, "forum.delete_message", message)
        message.deleted_at = timezone.now()
        message.save(update_fields=["deleted_at"])
        _append_event(thread, "message.deleted", message)
    return message


def do_set_hidden(*, user, message_id, hidden: bool, report: Report | None = None) -> Message:
    with transaction.atomic():
        message, thread = _get_message_locked(message_id)
        _check_perm(user, "forum.moderate", thread)
        if hidden == message.is_hidden:
            return message
        message.hidden_at = timezone.now() if hidden else None
        message.hidden_by = user if hidden else None
        message.save(update_fields=["hidden_at", "hidden_by"])
        _append_event(thread, "message.hidden" if hidden else "message.restored", message)
        if hidden:
            Report.objects.filter(message=message, status=ReportStatus.OPEN).update(
                status=ReportStatus.HIDDEN, resolved_by=user, resolved_at=timezone.now()
            )
        if message.author_id:
            notify(
                [message.author],
                kind=Kind.MODERATION,
                title=lambda: (
                    _("Votre message dans « %(thread)s » a été masqué par la modération.")
                    if hidden
                    else _("Votre message dans « %(thread)s » a été rétabli par la modération.")
                )
                % {"thread": thread.title},
                url=thread.get_absolute_url,
                actor=user,
            )
    return message


def do_set_thread_flags(*, user, thread_id, locked: bool | None = None, pinned: bool | None = None) -> Thread:
    with transaction.atomic():
        thread = _locked_thread(thread_id)
        _check_perm(user, "forum.moderate", thread)
        if locked is not None and locked != thread.is_locked:
            thread.is_locked = locked
            thread.save(update_fields=["is_locked"])
            _append_event(thread, "thread.locked" if locked else "thread.unlocked")
        if pinned is not None and pinned != thread.is_pinned:
            thread.is_pinned = pinned
            thread.save(update_fields=["is_pinned"])
            _append_event(thread, "thread.pinned" if pinned else "thread.unpinned")
    return thread


def do_report_message(*, user, message_id, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ForumError("missing_field", _("Indiquez le motif du signalement."))
    if len(reason) > 1000:
        raise ForumError("reason_too_long", _("Le motif est trop long (1000 caractères au plus)."))
    try:
        message = Message.objects.select_related("thread__space").get(pk=int(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise ForumError("unknown_message", _("Ce message n'existe pas.")) from None
    _check_perm(user, "forum.report_message", message)
    with transaction.atomic():
        report, _created = Report.objects.get_or_create(
            message=message, reporter=user, status=ReportStatus.OPEN, defaults={"reason": reason}
        )
        moderators = list(message.thread.space.moderators.filter(is_active=True))
        if moderators:
            notify(
                moderators,
                kind=Kind.MODERATION,
                title=lambda: _("Un message a été signalé dans « %(thread)s »")
                % {"thread": message.thread.title},
                url=lambda: reverse("forum:reports"),  # the queue: hide or dismiss from there
                body=reason,
                actor=user,
            )
    return report


def do_resolve_report(*, user, report_id, hide: bool) -> Report:
    report = Report.objects.select_related("message__thread__space").get(pk=report_id)
    _check_perm(user, "forum.moderate", report.message.thread)
    with transaction.atomic():
        if hide:
            do_set_hidden(user=user, message_id=report.message_id, hidden=True)
            report.refresh_from_db()
            if report.status == ReportStatus.OPEN:
                report.status = ReportStatus.HIDDEN
        else:
            report.status = ReportStatus.DISMISSED
        report.resolved_by = user
        report.resolved_at = timezone.now()
        report.save(update_fields=["status", "resolved_by", "resolved_at"])
    return report


# --- Read markers, unread counts, presence ----------------------------------------------


def _mark_read(user, thread: Thread, message_id: int) -> int:
    updated = ReadMarker.objects.filter(
        user=user, thread=thread, last_read_message_id__lt=message_id
    ).update(last_read_message_id=message_id, updated_at=timezone.now())
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


def do_mark_read(*, user, thread: Thread, message_id) -> int:
    """Move the person's read marker forward (never back); tell their other tabs."""
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise ForumError("missing_field", _("Identifiant de message invalide.")) from None
    message_id = max(0, min(message_id, thread.last_message_id or 0))
    with transaction.atomic():
        last = _mark_read(user, thread, message_id)
        data = {"type": "forum.read", "thread": thread.pk, "last_read_id": last}
        transaction.on_commit(lambda: group_send(user_group(user.pk), data))
    return last


def last_read_subquery(user):
    return Coalesce(
        Subquery(
            ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values(
                "last_read_message_id"
            )[:1]
        ),
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
    return threads.annotate(
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )


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


def join_presence(*, thread_id: int, user, channel_name: str) -> None:
    Presence.objects.update_or_create(
        thread_id=thread_id,
        channel_name=channel_name,
        defaults={"user": user, "seen_at": timezone.now()},
    )


def touch_presence(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def leave_presence(*, channel_name: str, thread_id: int | None = None) -> list[int]:
    rows = Presence.objects.filter(channel_name=channel_name)
    if thread_id is not None:
        rows = rows.filter(thread_id=thread_id)
    threads = list(rows.values_list("thread_id", flat=True).distinct())
    rows.delete()
    return threads


def readers(thread_id: int) -> list[dict]:
    since = timezone.now() - timedelta(seconds=conf.PRESENCE_WINDOW_SECONDS)
    users = (
        User.objects.filter(
            pk__in=Presence.objects.filter(thread_id=thread_id, seen_at__gte=since).values("user_id")
        )
        .order_by("first_name", "last_name")
        .only("pk", "first_name", "last_name", "email")
    )
    return [{"id": u.pk, "name": display_name(u)} for u in users]


def last_read_of(user, thread: Thread) -> int:
    marker = ReadMarker.objects.filter(user=user, thread=thread).values_list(
        "last_read_message_id", flat=True
    ).first()
    return marker or 0
