"""Who may see, write in and moderate exchange spaces.

Views, the WebSocket consumer, the admin and ``visible_spaces`` (the queryset twin used for
lists) all rely on these predicates, so one change of policy changes every door.
"""

import rules
from django.db.models import Q

from tcri_site.members.models import Role
from tcri_site.members.rules import is_member, is_tcri_staff, is_workspace_user


def _space_of(obj):
    from forum.models import Message, Space, Thread

    if isinstance(obj, Space):
        return obj
    if isinstance(obj, Thread):
        return obj.space
    if isinstance(obj, Message):
        return obj.thread.space
    return None


def _thread_of(obj):
    from forum.models import Message, Thread

    if isinstance(obj, Thread):
        return obj
    if isinstance(obj, Message):
        return obj.thread
    return None


def _member_sees(user, space) -> bool:
    from forum.models import Visibility

    membership = user.active_membership
    if not membership or not membership.organisation.is_active:
        return False
    organisation = membership.organisation
    if space.visibility == Visibility.ALL_MEMBERS:
        return True
    if space.visibility == Visibility.PASI:
        return organisation.pasi_participant
    if space.visibility == Visibility.COORDINATORS:
        return membership.is_coordinator or membership.role == Role.DELEGUE
    if space.visibility == Visibility.LISTED:
        return organisation.pk in _listed_ids(space)
    return False


def _listed_ids(space) -> set:
    """Cached on the instance: a page asks about one space many times."""
    if not hasattr(space, "_listed_org_ids"):
        space._listed_org_ids = set(space.organisations.values_list("pk", flat=True))
    return space._listed_org_ids


def _moderator_ids(space) -> set:
    if not hasattr(space, "_moderator_ids"):
        space._moderator_ids = set(space.moderators.values_list("pk", flat=True))
    return space._moderator_ids


@rules.predicate
def may_view_space(user, obj) -> bool:
    space = _space_of(obj)
    if space is None or not space.is_active:
        return bool(space is not None and is_tcri_staff(user))
    if is_tcri_staff(user):
        return True
    return bool(is_member(user) and _member_sees(user, space))


@rules.predicate
def is_space_moderator(user, obj) -> bool:
    space = _space_of(obj)
    if space is None or not getattr(user, "is_authenticated", False):
        return False
    if is_tcri_staff(user):
        return True
    return user.pk in _moderator_ids(space)


@rules.predicate
def is_thread_open(user, obj) -> bool:
    thread = _thread_of(obj)
    return bool(thread and not thread.is_locked)


@rules.predicate
def is_message_author(user, message) -> bool:
    return bool(message and user.is_authenticated and message.author_id == user.pk)


@rules.predicate
def is_message_live(user, message) -> bool:
    return bool(message and not message.is_deleted and not message.is_hidden)


@rules.predicate
def moderates_a_space(user) -> bool:
    """Moderator of at least one active space (asked once per request, then kept on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not hasattr(user, "_moderates_a_space"):
        from forum.models import Space

        user._moderates_a_space = Space.objects.filter(moderators=user, is_active=True).exists()
    return user._moderates_a_space


may_post_in_thread = may_view_space & (is_thread_open | is_space_moderator)

rules.add_perm("forum.view_index", is_workspace_user)
rules.add_perm("forum.read_space", may_view_space)
rules.add_perm("forum.create_thread", may_view_space)
rules.add_perm("forum.read_thread", may_view_space)
rules.add_perm("forum.post_message", may_post_in_thread)
rules.add_perm(
    "forum.edit_message",
    may_view_space & is_message_author & is_message_live & (is_thread_open | is_space_moderator),
)
rules.add_perm(
    "forum.remove_message",
    may_view_space & is_message_live & (is_message_author | is_space_moderator),
)
rules.add_perm("forum.report_message", may_view_space & is_message_live & ~is_message_author)
rules.add_perm("forum.moderate", is_space_moderator)
rules.add_perm("forum.moderate_any", is_tcri_staff)
# Reports queue: TCRI staff work every report (in the Wagtail admin, or on the site); a
# space's moderators, staff of member organisations without admin access, work the reports
# of their spaces on the site (forum:reports).
rules.add_perm("forum.work_reports", is_tcri_staff | moderates_a_space)


def reports_q(user) -> Q:
    """The reports ``user`` works in the queue (``forum.work_reports``)."""
    if is_tcri_staff(user):
        return Q()
    return Q(message__thread__space__moderators=user)


def visible_spaces_q(user) -> Q:
    """The queryset filter matching ``may_view_space`` for ``user`` (for lists)."""
    from forum.models import Visibility

    if is_tcri_staff(user):
        return Q()
    if not is_member(user):
        return Q(pk__in=[])
    membership = user.active_membership
    organisation = membership.organisation
    allowed = Q(visibility=Visibility.ALL_MEMBERS) | Q(
        visibility=Visibility.LISTED, organisations=organisation
    )
    if organisation.pasi_participant:
        allowed |= Q(visibility=Visibility.PASI)
    if membership.is_coordinator or membership.role == Role.DELEGUE:
        allowed |= Q(visibility=Visibility.COORDINATORS)
    return Q(is_active=True) & allowed


def visible_spaces(user):
    from forum.models import Space

    return Space.objects.filter(visible_spaces_q(user)).distinct()

# Reactions and follows (forum/services/reactions.py, following.py): anyone who reads the
# thread may react to a live message; anyone who reads a thread or space may follow or mute it.
rules.add_perm("forum.react_message", may_view_space & is_message_live)
rules.add_perm("forum.follow", may_view_space)
