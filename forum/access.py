"""Open sockets follow changes of access at once.

A socket checks permission when it subscribes; afterwards a change of membership, of an
organisation or of a space's visibility must not leave it receiving a thread its person may
no longer read. After such a change commits, the sockets concerned are told to check again
(``ForumConsumer.forum_recheck``): the person's own sockets for a change that concerns one
person, every forum socket for a change of a space or an organisation (rare admin actions).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from forum.groups import EVERY_SOCKET, user_group
from tcri_site.live import send_event_on_commit


def _send_recheck(group: str) -> None:
    send_event_on_commit(group, {"type": "forum.recheck"})


def recheck_person(user_id: int) -> None:
    _send_recheck(user_group(user_id))


def recheck_everyone() -> None:
    _send_recheck(EVERY_SOCKET)


def _membership_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        recheck_person(instance.user_id)


def _user_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and not {"is_active", "is_staff", "is_superuser"} & set(update_fields):
        return  # last_login and the like
    recheck_person(instance.pk)


def _everyone(sender, instance=None, created=False, **kwargs):
    if not created and not kwargs.get("raw"):
        recheck_everyone()


def _space_membership_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        recheck_everyone()


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set changed
        for user_id in pk_set or ():
            recheck_person(user_id)
    else:
        recheck_person(instance.pk)


def connect_signals() -> None:
    from django.contrib.auth import get_user_model

    from forum.models import Space
    from tcri_site.members.models import Membership, Organisation

    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="forum.access.membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="forum.access.membership_deleted")
    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="forum.access.user_saved")
    post_save.connect(_everyone, sender=Organisation, dispatch_uid="forum.access.organisation_saved")
    post_save.connect(_everyone, sender=Space, dispatch_uid="forum.access.space_saved")
    post_delete.connect(_everyone, sender=Space, dispatch_uid="forum.access.space_deleted")
    m2m_changed.connect(
        _groups_changed, sender=get_user_model().groups.through, dispatch_uid="forum.access.user_groups"
    )
    m2m_changed.connect(
        _space_membership_changed, sender=Space.organisations.through, dispatch_uid="forum.access.space_orgs"
    )
