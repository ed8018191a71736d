"""The ``check_*`` of the exchange spaces: input limits, rate limit, access to a thread.

Each raises a ``ForumRefusal`` (forum/errors.py) and changes nothing.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _

from forum import conf
from forum.errors import Forbidden, ForumRefusal, InvalidForumInput, RateLimited, UnknownThread
from forum.models import Thread


def check_body(body) -> str:
    if not isinstance(body, str):
        raise InvalidForumInput(_("Le message est manquant."))
    body = body.strip()
    if not body:
        raise InvalidForumInput(_("Le message est vide. Écrivez quelque chose."), code="empty_message")
    limit = conf.max_body_chars()
    if len(body) > limit:
        raise InvalidForumInput(
            _("Le message est trop long : %(length)d caractères pour %(limit)d au plus.")
            % {"length": len(body), "limit": limit},
            code="message_too_long",
        )
    return body


def check_attachments(files) -> list:
    files = [f for f in files or [] if f]
    if len(files) > conf.max_attachments():
        raise InvalidForumInput(_("Trois pièces jointes au plus par message."), code="too_many_attachments")
    limit = conf.max_attachment_bytes()
    for upload in files:
        name = upload.name or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in conf.ALLOWED_ATTACHMENTS:
            raise InvalidForumInput(
                _("Le fichier « %(name)s » n'est pas d'un type accepté. Types acceptés : %(types)s.")
                % {"name": name, "types": ", ".join(sorted(conf.ALLOWED_ATTACHMENTS))},
                code="attachment_type",
            )
        if upload.size > limit:
            raise InvalidForumInput(
                _("Le fichier « %(name)s » dépasse la taille permise (%(limit)d Mo).")
                % {"name": name, "limit": limit // (1024 * 1024)},
                code="attachment_too_large",
            )
        magic = conf.MAGIC.get(ext)
        if magic:
            head = upload.read(16)
            upload.seek(0)
            if not any(head.startswith(m) for m in magic):
                raise InvalidForumInput(
                    _("Le contenu du fichier « %(name)s » ne correspond pas à son extension.") % {"name": name},
                    code="attachment_type",
                )
    return files


def check_rate_limit(*, actor) -> None:
    """A window per person in the shared cache (Redis when configured: all processes).

    The window opens with the person's first message and lasts ``seconds`` (the counter's
    expiry; incrementing keeps it), so a burst is never split by a clock-aligned boundary
    into two fresh allowances.
    """
    count, seconds = conf.rate_limit()
    key = f"forum:rate:{actor.pk}:{count}/{seconds}"  # a new limit starts a new counter
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, seconds)
        used = 1
    if used > count:
        raise RateLimited()


def check_client_id(client_id) -> str:
    if client_id in (None, ""):
        return ""
    if not isinstance(client_id, str) or len(client_id) > 64:
        raise InvalidForumInput(_("Identifiant client invalide (64 caractères au plus)."), code="bad_client_id")
    return client_id


def locked_thread(thread_id) -> Thread:
    """The thread, row-locked for this transaction (events take the next ``seq`` under it)."""
    try:
        return Thread.objects.select_for_update().select_related("space").get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise UnknownThread() from None


def check_perm(actor, perm: str, obj, refusal: type[ForumRefusal] = Forbidden) -> None:
    if not actor.has_perm(perm, obj):
        raise refusal()


def check_may_read_thread(*, actor, thread_id) -> Thread:
    """The thread, or the same refusal whether it is unknown or forbidden (leaks nothing)."""
    try:
        thread = Thread.objects.select_related("space").get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        thread = None
    if thread is None or not actor.has_perm("forum.read_thread", thread):
        raise UnknownThread()
    return thread
