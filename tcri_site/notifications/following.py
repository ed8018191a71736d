"""Following and muting: storing a person's choice, and whom a change should tell.

The apps own the permission (``<app>.follow`` in their rules) and the wording; this module
stores ``Follow`` rows and resolves an audience. Targets are passed from the most specific
to the broadest (a thread, then its space): the first choice a person made wins, so a
muted thread in a followed space stays silent and a followed thread in a muted space is
heard. Muting silences everything but direct mentions (the apps skip muted people for
replies and follows; mentions ignore it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from tcri_site.notifications.models import Follow, FollowMode, Kind
from tcri_site.notifications.services import notify


def _key(target):
    return ContentType.objects.get_for_model(target, for_concrete_model=False).pk, target.pk


def follow_mode(user, target) -> str | None:
    """``"follow"``, ``"mute"`` or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    content_type, object_id = _key(target)
    return (
        Follow.objects.filter(user=user, content_type_id=content_type, object_id=object_id)
        .values_list("mode", flat=True)
        .first()
    )


def set_follow(user, target, mode: str | None) -> tuple[str | None, bool]:
    """Store the person's choice (``None`` removes it); idempotent. Returns (mode, changed).

    The caller has checked the person may follow ``target``.
    """
    if mode is not None:
        mode = FollowMode(mode).value
    content_type, object_id = _key(target)
    rows = Follow.objects.filter(user=user, content_type_id=content_type, object_id=object_id)
    with transaction.atomic():
        if mode is None:
            return None, rows.delete()[0] > 0
        current = rows.select_for_update().values_list("mode", flat=True).first()
        if current == mode:
            return mode, False
        Follow.objects.update_or_create(
            user=user, content_type_id=content_type, object_id=object_id, defaults={"mode": mode}
        )
    return mode, True


def choices_of(targets: Sequence, user_ids: Iterable[int] | None = None) -> dict[int, str]:
    """person id -> effective mode over ``targets`` (most specific first), in one query."""
    keys = [_key(t) for t in targets if t is not None]
    if not keys:
        return {}
    where = Q()
    for content_type, object_id in keys:
        where |= Q(content_type_id=content_type, object_id=object_id)
    rows = Follow.objects.filter(where)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    rank = {key: i for i, key in enumerate(keys)}
    best: dict[int, tuple[int, str]] = {}
    for user_id, content_type, object_id, mode in rows.values_list("user_id", "content_type_id", "object_id", "mode"):
        position = rank[(content_type, object_id)]
        if user_id not in best or position < best[user_id][0]:
            best[user_id] = (position, mode)
    return {user_id: mode for user_id, (_pos, mode) in best.items()}


def muted_ids(targets: Sequence, user_ids: Iterable[int]) -> set[int]:
    return {uid for uid, mode in choices_of(targets, user_ids).items() if mode == FollowMode.MUTE}


def notify_followers(targets: Sequence, *, may_read, title, url, body="", actor=None, skip=()) -> list:
    """Tell the people whose effective choice over ``targets`` is *follow* (in-app, and by
    e-mail or digest as their preference for ``Kind.FOLLOWED`` says).

    ``may_read(user)`` is the app's permission check; ``skip`` are people already told
    (replied to, mentioned), or a callable returning them (asked only when someone follows).
    """
    from tcri_site.members.models import User

    followers = {uid for uid, mode in choices_of(targets).items() if mode == FollowMode.FOLLOW}
    if not followers:
        return []
    skip = set(skip() if callable(skip) else skip) | ({actor.pk} if actor is not None else set())
    people = [u for u in User.objects.filter(pk__in=followers - skip, is_active=True) if may_read(u)]
    if not people:
        return []
    return notify(people, kind=Kind.FOLLOWED, title=title, url=url, body=body, actor=actor)
