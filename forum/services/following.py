"""Following and muting threads and spaces, and the notices followers get.

Following a thread tells of its new messages; following a space tells of its new threads;
muting a thread or a space silences replies and follows there (a direct @-mention still
reaches the person). The choice is stored by the foundation (``tcri_site.notifications``
``Follow``, generic); who may follow is ``forum.follow`` (forum/rules.py). Other tabs of the
person hear ``follow.changed`` on their forum sockets.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from forum.errors import InvalidForumInput, UnknownSpace, UnknownThread
from forum.groups import user_group
from forum.models import Message, Space, Thread
from forum.services.events import display_name
from tcri_site.live import send_event_on_commit
from tcri_site.notifications import following
from tcri_site.notifications.models import FollowMode

TARGETS = {"thread": (Thread, UnknownThread), "space": (Space, UnknownSpace)}


def check_follow_mode(mode) -> str | None:
    if mode in (None, "none", ""):
        return None
    if mode not in FollowMode.values:
        raise InvalidForumInput(_("Choix de suivi inconnu : « follow », « mute » ou « none »."), code="bad_follow_mode")
    return mode


def check_may_follow(*, actor, target: str, target_id):
    """The thread or space, or the same refusal whether it is unknown or may not be read."""
    if target not in TARGETS:
        raise InvalidForumInput(_("On suit un fil (« thread ») ou un espace (« space »)."), code="bad_follow_target")
    model, refusal = TARGETS[target]
    try:
        obj = model.objects.select_related("space").get(pk=target_id) if model is Thread else model.objects.get(pk=target_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise refusal() from None
    if not actor.has_perm("forum.follow", obj):
        raise refusal()
    return obj


def do_set_follow(*, actor, target: str, target_id, mode) -> dict:
    """Follow, mute or forget (``mode=None``) a thread or a space; idempotent."""
    mode = check_follow_mode(mode)
    with transaction.atomic():
        obj = check_may_follow(actor=actor, target=target, target_id=target_id)
        mode, changed = following.set_follow(actor, obj, mode)
        state = {"target": target, "id": obj.pk, "mode": mode, "changed": changed}
        if changed:
            send_event_on_commit(user_group(actor.pk), {"type": "forum.follow", **state})
    return state


def mode_of(user, obj) -> str | None:
    return following.follow_mode(user, obj)


def thread_targets(thread: Thread) -> list:
    return [thread, thread.space]


def is_muted(user, thread: Thread) -> bool:
    return bool(following.muted_ids(thread_targets(thread), [user.pk]))


def notify_followers_of_post(message: Message, thread: Thread, author, replied=None) -> None:
    """After a post: the space's followers hear of a new thread, the thread's of a message.

    People told already (replied to, mentioned) are not told twice.
    """
    from forum.services.messages import resolve_mentions  # messages calls this module

    def skip() -> set[int]:  # asked only when somebody follows
        told = {u.pk for u in resolve_mentions(message.body)} if "@" in message.body else set()
        return told | ({replied.pk} if replied is not None else set())

    first = not Message.objects.filter(thread=thread, pk__lt=message.pk).exists()
    names = {"name": display_name(author), "thread": thread.title, "space": thread.space.name}
    if first:
        title = lambda: _("Nouveau fil dans « %(space)s » : « %(thread)s », par %(name)s") % names  # noqa: E731
        targets = thread_targets(thread)
    else:
        title = lambda: _("%(name)s a écrit dans « %(thread)s »") % names  # noqa: E731
        targets = [thread]
    # A new thread: its space's followers (nobody follows the thread yet). A new message:
    # the thread's followers, whose choice there beats any choice on the space.
    following.notify_followers(
        targets,
        may_read=lambda user: user.has_perm("forum.read_thread", thread),
        title=title,
        url=message.get_absolute_url,
        body=message.body[:300],
        actor=author,
        skip=skip,
    )
