"""Posting, editing and deleting messages, starting threads, and the notifications of
replies and @-mentions they cause."""

from __future__ import annotations

import logging
import mimetypes
import re
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.errors import (
    ForumRefusal,
    InvalidForumInput,
    ThreadLocked,
    UnknownMessage,
    UnknownThread,
)
from forum.markdown import render_markdown
from forum.models import Attachment, Message, MessageRevision, Space, Thread
from forum.services.checks import (
    check_attachments,
    check_body,
    check_client_id,
    check_perm,
    check_rate_limit,
    locked_thread,
)
from forum.services.events import Outbox, append_event, display_name
from forum.services.following import is_muted, notify_followers_of_post
from forum.services.previews import previews_for, store_preview
from forum.services.reading import advance_marker
from tcri_site.members.models import Membership, Organisation, User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify
from tcri_site.privacy_guard.guard import IdentifiersFound, check_identifiers

logger = logging.getLogger(__name__)


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
        Organisation.objects.filter(_iexact_any("acronym", handles), is_active=True).values_list("pk", flat=True)
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
        if replied.pk != author.pk and replied.has_perm("forum.read_thread", thread) and not is_muted(replied, thread):
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
    notify_followers_of_post(message, thread, author, replied=replied)


def _notify_mentions(message: Message, thread: Thread, author, skip: set[int] = frozenset()) -> None:
    """Tell the people @-mentioned in ``message`` who may read the thread, except ``skip``."""
    mentioned = [
        user
        for user in resolve_mentions(message.body)
        if user.pk != author.pk and user.pk not in skip and user.has_perm("forum.read_thread", thread)
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
    actor,
    thread_id: int,
    body,
    reply_to_id=None,
    client_id="",
    files=(),
    confirmed: bool = False,
    _thread: Thread | None = None,
) -> PostResult:
    """Store a message by ``actor`` and announce it. A repeated ``client_id`` returns the first one.

    A resend costs nothing in the usual case: the unique (author, client_id) constraint
    refuses a second row, and only then (or when a check refuses the message: the thread
    locked since, the rate limit reached) is the first one looked up and returned. Only the
    message, its event and the thread's counters are written before the broadcast; the
    author's read marker and the notifications of people replied to or mentioned come
    after it, so the readers' sockets do not wait for them.

    Text (or an attachment's name) that looks like a client identifier is refused with
    ``IdentifiersFound`` unless ``confirmed`` is True: nothing is stored before that.
    """
    client_id = check_client_id(client_id)
    try:
        body = check_body(body)
        files = check_attachments(files)
        check_identifiers(body, names=[upload.name for upload in files], confirmed=confirmed)
        if _thread is None:
            check_rate_limit(actor=actor)
        previews = previews_for(files)  # Pillow works before the thread is locked
        with transaction.atomic():
            thread = _thread or locked_thread(thread_id)
            outbox = Outbox(thread)
            if not actor.has_perm("forum.read_thread", thread):
                raise UnknownThread()
            if not actor.has_perm("forum.post_message", thread):
                raise ThreadLocked()
            reply_to = None
            if reply_to_id not in (None, ""):
                try:
                    reply_to = Message.objects.get(pk=int(reply_to_id), thread=thread)
                except (Message.DoesNotExist, ValueError, TypeError):
                    raise UnknownMessage(_("Le message auquel vous répondez n'existe pas dans ce fil.")) from None
            message = Message.objects.create(
                thread=thread,
                author=actor,
                body=body,
                body_html=render_markdown(body),
                reply_to=reply_to,
                client_id=client_id,
            )
            for upload, preview in zip(files, previews, strict=True):
                attachment = Attachment.objects.create(
                    message=message,
                    file=upload,
                    name=upload.name[:200],
                    size=upload.size,
                    content_type=mimetypes.guess_type(upload.name)[0] or "application/octet-stream",
                )
                store_preview(attachment, preview)
            if not files:  # nothing to fetch when the event is built
                message._prefetched_objects_cache = {"attachments": Attachment.objects.none()}
            event = append_event(
                thread,
                "message.created",
                message,
                outbox=outbox,
                last_message_at=message.created_at,
                last_message_id=message.pk,
                message_count=F("message_count") + 1,
            )
            thread.last_message_id = message.pk
    except (IntegrityError, ForumRefusal, IdentifiersFound):
        # A resend (perhaps racing its first delivery): the first one is the answer.
        existing = _existing_by_client_id(actor, client_id)
        if existing is None:
            raise
        return PostResult(existing, created=False)
    try:
        with transaction.atomic():
            advance_marker(actor, thread, message.pk)
            _notify_post(message, thread, actor)
    except DatabaseError:  # the message is stored and announced: say so, log this
        logger.exception("Read marker or notifications failed after message %s", message.pk)
    return PostResult(message, created=True, event=event)


def do_create_thread(
    *, actor, space: Space, title: str, body, tags=(), client_id="", files=(), confirmed: bool = False
) -> Thread:
    title = (title or "").strip()
    if not title:
        raise InvalidForumInput(_("Donnez un titre au fil."))
    if len(title) > 200:
        raise InvalidForumInput(_("Le titre est trop long (200 caractères au plus)."), code="title_too_long")
    check_perm(actor, "forum.create_thread", space)
    client_id = check_client_id(client_id)
    existing = _existing_by_client_id(actor, client_id)
    if existing is not None:
        return existing.thread
    body = check_body(body)
    files = check_attachments(files)
    check_identifiers(title, body, names=[upload.name for upload in files], confirmed=confirmed)
    check_rate_limit(actor=actor)
    with transaction.atomic():
        thread = Thread.objects.create(space=space, title=title, author=actor)
        if tags:
            thread.tags.set(list(tags)[:10])
        thread = locked_thread(thread.pk)
        do_post_message(
            actor=actor, thread_id=thread.pk, body=body, client_id=client_id, files=files, confirmed=True,
            _thread=thread,
        )
    return thread


def locked_message(message_id) -> tuple[Message, Thread]:
    """The message and its thread, the thread row-locked for this transaction."""
    try:
        message = Message.objects.get(pk=int(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise UnknownMessage() from None
    thread = locked_thread(message.thread_id)
    message = Message.objects.select_related("author").get(pk=message.pk)
    message.thread = thread
    return message, thread


def do_edit_message(*, actor, message_id, body, confirmed: bool = False) -> Message:
    body = check_body(body)
    with transaction.atomic():
        message, thread = locked_message(message_id)
        if not actor.has_perm("forum.read_thread", thread):
            raise UnknownMessage()
        check_perm(actor, "forum.edit_message", message)
        if body == message.body:
            return message
        check_identifiers(body, confirmed=confirmed)
        MessageRevision.objects.create(message=message, body=message.body, edited_by=actor)
        # Only people the edit mentions for the first time are told; nobody twice.
        already = {person.pk for person in resolve_mentions(message.body)}
        message.body = body
        message.body_html = render_markdown(body)
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "body_html", "edited_at"])
        append_event(thread, "message.edited", message)
        _notify_mentions(message, thread, actor, skip=already)
    return message


def do_delete_message(*, actor, message_id) -> Message:
    with transaction.atomic():
        message, thread = locked_message(message_id)
        if not actor.has_perm("forum.read_thread", thread):
            raise UnknownMessage()
        check_perm(actor, "forum.remove_message", message)
        message.deleted_at = timezone.now()
        message.save(update_fields=["deleted_at"])
        append_event(thread, "message.deleted", message)
    return message
