"""Reactions to messages: the fixed set, setting one on or off, and the per-message summary.

A reaction is set or unset explicitly (``on=True/False``), so repeating a frame or a form
post changes nothing. It tells nobody by notification or e-mail; everyone reading the
thread sees the new count through the thread's live group (``reaction.changed``, not
sequenced: each event carries the full state of that reaction, so a lost one is mended
by the next or by reloading the page).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forum.errors import InvalidForumInput, UnknownMessage
from forum.groups import thread_live_group
from forum.models import REACTION_EMOJI, Message, Reaction, ReactionKind
from forum.services.checks import check_perm
from forum.services.events import display_name
from tcri_site.live import send_event_on_commit

NAMES_SHOWN = 20  # names listed per reaction; the count is always exact


def reaction_choices() -> list[dict]:
    return [{"code": kind.value, "emoji": REACTION_EMOJI[kind], "label": str(kind.label)} for kind in ReactionKind]


def check_reaction_kind(kind) -> ReactionKind:
    if kind not in ReactionKind.values:
        raise InvalidForumInput(_("Cette réaction n'existe pas."), code="unknown_reaction")
    return ReactionKind(kind)


def check_may_react(*, actor, message_id) -> Message:
    """The message, or ``unknown_message`` whether it does not exist or may not be read."""
    try:
        message = Message.objects.select_related("thread__space").get(pk=message_id)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise UnknownMessage() from None
    if not actor.has_perm("forum.read_thread", message.thread):
        raise UnknownMessage()
    check_perm(actor, "forum.react_message", message)
    return message


def reaction_state(message_id: int, kind: str) -> dict:
    """Who reacted with ``kind`` to the message, in order: count, ids and a few names."""
    rows = list(
        Reaction.objects.filter(message_id=message_id, kind=kind).select_related("user").order_by("pk")
    )
    return {
        "message": message_id,
        "kind": kind,
        "emoji": REACTION_EMOJI[ReactionKind(kind)],
        "count": len(rows),
        "user_ids": [row.user_id for row in rows],
        "names": [display_name(row.user) for row in rows[:NAMES_SHOWN]],
    }


def do_set_reaction(*, actor, message_id, kind, on: bool) -> dict:
    """Set (``on``) or remove the actor's reaction; idempotent. Returns the reaction's state."""
    kind = check_reaction_kind(kind)
    with transaction.atomic():
        message = check_may_react(actor=actor, message_id=message_id)
        changed = False
        if on:
            try:
                with transaction.atomic():
                    _, changed = Reaction.objects.get_or_create(message=message, user=actor, kind=kind)
            except IntegrityError:  # the same person's other tab won the race: already set
                changed = False
        else:
            changed = Reaction.objects.filter(message=message, user=actor, kind=kind).delete()[0] > 0
        state = reaction_state(message.pk, kind.value)
        if changed:
            send_event_on_commit(
                thread_live_group(message.thread_id),
                {"type": "forum.reaction", "thread": message.thread_id, "state": state},
            )
    return {**state, "changed": changed}


def reactions_by_message(message_ids, user) -> dict[int, list[dict]]:
    """For a page of messages, in one query: message id -> the reactions it has, in the
    fixed order, each with count, names (tooltip) and whether ``user`` is among them."""
    grouped: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    rows = Reaction.objects.filter(message_id__in=list(message_ids)).select_related("user").order_by("pk")
    for row in rows:
        grouped[row.message_id][row.kind].append(row)
    summary: dict[int, list[dict]] = {}
    for message_id, kinds in grouped.items():
        summary[message_id] = [
            {
                "code": kind.value,
                "emoji": REACTION_EMOJI[kind],
                "label": kind.label,
                "count": len(kinds[kind.value]),
                "names": ", ".join(display_name(r.user) for r in kinds[kind.value][:NAMES_SHOWN]),
                "mine": any(r.user_id == user.pk for r in kinds[kind.value]),
            }
            for kind in ReactionKind
            if kinds.get(kind.value)
        ]
    return summary
