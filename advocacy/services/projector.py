"""The projector: the only writer of ``Projection`` (what the chair puts on the wall) and
the ``projector.state`` it shows. Nothing personal goes into it: organisations, never people;
a secret vote's counts only once it is closed."""

from __future__ import annotations

import difflib
import re

from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.groups import session_group
from advocacy.models import (
    AgendaItem,
    BallotKind,
    ForumSession,
    Motion,
    MotionStatus,
    Projection,
    ProjectionKind,
)
from advocacy.services.common import InvalidInput, _require
from tcri_site.live import send_event_on_commit


def word_diff(old: str, new: str) -> list[list[str]]:
    """``[[op, text], ...]`` with op "equal", "del" or "ins": the client renders it as text."""
    a = re.findall(r"\s+|[^\s]+", old or "")
    b = re.findall(r"\s+|[^\s]+", new or "")
    parts: list[list[str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(["equal", "".join(a[a1:a2])])
            continue
        if op in ("delete", "replace"):
            parts.append(["del", "".join(a[a1:a2])])
        if op in ("insert", "replace"):
            parts.append(["ins", "".join(b[b1:b2])])
    return parts


def public_motion_state(state: dict) -> dict:
    """A vote's state fit for the wall: a secret vote shows who has voted, not how."""
    if state.get("ballot_kind") == BallotKind.SECRET and state.get("status") != MotionStatus.CLOSED:
        state = {**state, "counts": None}
    state.pop("roll_call", None)
    return state


def _motion_block(motion: Motion) -> dict:
    from advocacy.services.votes import motion_state

    block = {
        "id": motion.pk,
        "title": motion.title,
        "text": motion.text,
        "threshold_label": str(motion.get_threshold_display()),
        "ballot_kind_label": str(motion.get_ballot_kind_display()),
        "diff": None,
        "state": public_motion_state(motion_state(motion, include_orgs=False)),
    }
    amendment = motion.amendment
    if amendment is not None and (amendment.base_text or amendment.proposed_text):
        block["diff"] = word_diff(amendment.base_text, amendment.proposed_text)
    return block


def projector_state(session: ForumSession) -> dict:
    from advocacy.services.sessions import session_quorum
    from advocacy.services.speakers import speakers_state

    projection = (
        Projection.objects.select_related("agenda_item", "motion__session", "motion__amendment").filter(session=session).first()
    )
    kind = projection.kind if projection else ProjectionKind.NOTHING
    item = projection.agenda_item if projection else None
    motion = projection.motion if projection and kind == ProjectionKind.MOTION else None
    return {
        "type": "projector.state",
        "session": session.pk,
        "session_title": session.title,
        "kind": kind,
        "item": {"id": item.pk, "title": item.title, "kind_label": str(item.get_kind_display()), "notes": item.notes} if item else None,
        "motion": _motion_block(motion) if motion else None,
        "speakers": speakers_state(item),
        "quorum": session_quorum(session),
    }


def broadcast_projector(session_id: int) -> None:
    send_event_on_commit(
        session_group(session_id),
        lambda: {"type": "projector.state", "state": projector_state(ForumSession.objects.get(pk=session_id))},
    )


def do_project(*, actor, session: ForumSession, kind: str, agenda_item_id=None, motion_id=None) -> Projection:
    """Put an agenda item, a motion (with its vote), the list of speakers or nothing on the
    wall. The item stays the current one (its list of speakers) while a motion is shown."""
    _require(actor, "advocacy.project", session, _("Seule la présidence choisit ce qui est projeté."))
    if kind not in ProjectionKind.values:
        raise InvalidInput(_("Projection inconnue."))
    item = motion = None
    if agenda_item_id not in (None, ""):
        item = AgendaItem.objects.filter(session=session, pk=_int(agenda_item_id)).first()
        if item is None:
            raise InvalidInput(_("Ce point n'est pas à l'ordre du jour de la séance."))
    if kind == ProjectionKind.MOTION:
        motion = Motion.objects.filter(session=session, pk=_int(motion_id)).first()
        if motion is None:
            raise InvalidInput(_("Cette proposition n'est pas soumise à la séance."))
    if kind == ProjectionKind.ITEM and item is None:
        raise InvalidInput(_("Choisissez le point à projeter."))
    with transaction.atomic():
        projection, _created = Projection.objects.select_for_update().get_or_create(session=session)
        projection.kind = kind
        if item is not None:
            projection.agenda_item = item
        projection.motion = motion
        projection.updated_by = actor
        projection.save()
        broadcast_projector(session.pk)
    return projection


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def current_item(session: ForumSession) -> AgendaItem | None:
    projection = Projection.objects.select_related("agenda_item").filter(session=session).first()
    return projection.agenda_item if projection else None
