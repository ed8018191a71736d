"""The roll call at scale: the chair opens and closes it, délégué·es and substitut·es check
their organisation in (on site or online), the chair marks many organisations at once;
every change leaves an ``AttendanceChange`` row and updates the quorum everywhere."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.groups import session_group
from advocacy.models import (
    Attendance,
    AttendanceChange,
    AttendanceMode,
    ForumSession,
    ForumSessionStatus,
    MotionStatus,
    RollCall,
)
from advocacy.services.common import InvalidInput, InvalidState, _require, eligible_organisations
from tcri_site.live import send_event_on_commit


def rollcall_state(session: ForumSession) -> dict:
    roll_call = RollCall.objects.filter(session=session).first()
    return {
        "type": "rollcall.state",
        "session": session.pk,
        "open": bool(roll_call and roll_call.is_open),
        "present": [
            {"id": org_id, "mode": mode}
            for org_id, mode in Attendance.objects.filter(session=session).values_list("organisation_id", "mode")
        ],
    }


def _announce(session: ForumSession) -> None:
    """After commit: the roll call, the session state (quorum) and every open vote's state."""
    from advocacy.services.sessions import _broadcast_session
    from advocacy.services.votes import _broadcast_motion

    session_id = session.pk
    send_event_on_commit(
        session_group(session_id),
        lambda: {"type": "rollcall.state", "state": rollcall_state(ForumSession.objects.get(pk=session_id))},
    )
    _broadcast_session(session_id)
    for motion_id in session.motions.filter(status=MotionStatus.OPEN).values_list("pk", flat=True):
        _broadcast_motion(motion_id)


def _set_open(*, actor, session: ForumSession, is_open: bool) -> RollCall:
    _require(actor, "advocacy.call_roll", session, _("Seule la présidence ouvre et ferme l'appel."))
    if is_open and session.status == ForumSessionStatus.ENDED:
        raise InvalidState(_("La séance est terminée : l'appel ne peut plus être ouvert."), code="session_ended")
    with transaction.atomic():
        roll_call, _created = RollCall.objects.select_for_update().get_or_create(session=session)
        if roll_call.is_open == is_open:
            raise InvalidState(_("L'appel est déjà ouvert.") if is_open else _("L'appel est déjà fermé."), code="roll_call_unchanged")
        roll_call.is_open = is_open
        if is_open:
            roll_call.opened_at = timezone.now()
        else:
            roll_call.closed_at = timezone.now()
        roll_call.save(update_fields=["is_open", "opened_at", "closed_at"])
        _announce(session)
    return roll_call


def do_open_roll_call(*, actor, session: ForumSession) -> RollCall:
    return _set_open(actor=actor, session=session, is_open=True)


def do_close_roll_call(*, actor, session: ForumSession) -> RollCall:
    return _set_open(actor=actor, session=session, is_open=False)


def check_mode(mode) -> str:
    if mode not in AttendanceMode.values:
        raise InvalidInput(_("Indiquez si vous êtes sur place ou en ligne."), code="invalid_mode")
    return mode


def _apply(session, organisation_id, *, present: bool, mode: str, actor, by_chair: bool) -> bool:
    """Make one organisation present (with ``mode``) or absent; True when that changed something."""
    row = Attendance.objects.select_for_update().filter(session=session, organisation_id=organisation_id).first()
    if present:
        if row is not None and (row.mode == mode or not mode):
            return False
        if row is None:
            Attendance.objects.create(session=session, organisation_id=organisation_id, person=None if by_chair else actor, mode=mode)
        else:
            row.mode = mode
            if not by_chair:
                row.person = actor
            row.save(update_fields=["mode", "person"])
    else:
        if row is None:
            return False
        row.delete()
    AttendanceChange.objects.create(
        session=session, organisation_id=organisation_id, present=present, mode=mode if present else "", actor=actor, by_chair=by_chair
    )
    return True


def record_change(*, actor, session: ForumSession, organisation, present: bool) -> None:
    """For ``sessions.do_record_attendance`` (one organisation at a time): its audit row and
    the live roll call (that function announces the quorum and the open votes itself)."""
    AttendanceChange.objects.create(session=session, organisation=organisation, present=present, actor=actor, by_chair=True)
    session_id = session.pk
    send_event_on_commit(
        session_group(session_id),
        lambda: {"type": "rollcall.state", "state": rollcall_state(ForumSession.objects.get(pk=session_id))},
    )


def do_check_in(*, actor, session: ForumSession, mode) -> Attendance:
    """A délégué·e or substitut·e says their organisation is here, on site or online."""
    _require(actor, "advocacy.check_in", session, _("Seul·es les délégué·es et substitut·es des organismes PASI répondent à l'appel."))
    check_mode(mode)
    with transaction.atomic():
        roll_call = RollCall.objects.select_for_update().filter(session=session).first()
        if roll_call is None or not roll_call.is_open:
            raise InvalidState(_("L'appel n'est pas ouvert : attendez que la présidence l'ouvre."), code="roll_call_closed")
        org_id = actor.active_membership.organisation_id
        if not eligible_organisations().filter(pk=org_id).exists():
            raise InvalidState(_("Votre organisme ne participe pas au PASI."), code="not_eligible")
        if _apply(session, org_id, present=True, mode=mode, actor=actor, by_chair=False):
            _announce(session)
    return Attendance.objects.get(session=session, organisation_id=org_id)


def do_mark_attendance(*, actor, session: ForumSession, organisation_ids, present: bool, mode: str = "") -> int:
    """The chair marks many organisations present or absent at once; returns how many changed."""
    _require(actor, "advocacy.call_roll", session, _("Seule la présidence fait l'appel."))
    if mode:
        check_mode(mode)
    try:
        wanted = {int(pk) for pk in organisation_ids}
    except (TypeError, ValueError):
        raise InvalidInput(_("Organisme inconnu.")) from None
    if not wanted:
        raise InvalidInput(_("Cochez au moins un organisme."), code="nothing_selected")
    known = set(eligible_organisations().filter(pk__in=wanted).values_list("pk", flat=True))
    if known != wanted:
        raise InvalidInput(_("Organisme inconnu."))
    changed = 0
    with transaction.atomic():
        for org_id in sorted(wanted):
            changed += _apply(session, org_id, present=present, mode=mode, actor=actor, by_chair=True)
        if changed:
            _announce(session)
    return changed


def roll_call_organisations(*, q: str = "", region: str = ""):
    """The chair's list (the server-side filter behind the page's own filter)."""
    organisations = eligible_organisations().order_by("name")
    if q:
        from django.db.models import Q

        organisations = organisations.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
    if region:
        organisations = organisations.filter(region=region)
    return organisations
