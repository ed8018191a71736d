"""Procurations: requested by the giving organisation's délégué·e or substitut·e before or
during the sitting, confirmed or refused by the chair, withdrawn by either; the only writer
of ``Procuration.status``. Also what quorum, roll call and minutes read of them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.models import (
    ACTIVE_PROCURATION_STATES,
    Attendance,
    ForumSession,
    ForumSessionStatus,
    Procuration,
    ProcurationStatus,
)
from advocacy.services.common import InvalidInput, InvalidState, NotAllowed, _require
from tcri_site.live import send_event_on_commit
from tcri_site.members.models import Membership, Role, User


def _representative_of_eligible_org(user) -> Membership:
    membership = user.active_membership if getattr(user, "is_authenticated", False) else None
    if membership is None or membership.role not in (Role.DELEGUE, Role.SUBSTITUT):
        raise NotAllowed(
            _("Seul·e le·la délégué·e ou le·la substitut·e d'un organisme PASI donne sa procuration."), code="not_representative"
        )
    org = membership.organisation
    if not (org.is_active and org.pasi_participant):
        raise NotAllowed(_("%(org)s n'a pas de voix au forum : il n'a pas de procuration à donner.") % {"org": org.name}, code="not_eligible")
    return membership


def _check_session_not_ended(session: ForumSession) -> None:
    if session.status == ForumSessionStatus.ENDED:
        raise InvalidState(_("La séance est terminée : les procurations sont closes."), code="session_ended")


def _check_holder_capacity(session: ForumSession, holder_membership: Membership, *, excluding: int | None = None) -> None:
    held = Procuration.objects.filter(
        session=session, holder_organisation_id=holder_membership.organisation_id, status=ProcurationStatus.CONFIRMED
    ).exclude(pk=excluding)
    if held.count() >= session.max_procurations_held:
        raise InvalidState(
            _("%(org)s détient déjà %(n)s procuration(s), le maximum pour cette séance.")
            % {"org": holder_membership.organisation.name, "n": session.max_procurations_held},
            code="holder_full",
        )


def _holder_membership(holder: User, giver_org_id: int) -> Membership:
    membership = holder.active_membership if holder is not None else None
    if membership is None or membership.role != Role.DELEGUE:
        raise InvalidInput(_("La procuration se donne au·à la délégué·e d'un autre organisme PASI."), code="not_a_delegate")
    if membership.organisation_id == giver_org_id:
        raise InvalidInput(_("La procuration se donne à un autre organisme que le vôtre."), code="same_organisation")
    org = membership.organisation
    if not (org.is_active and org.pasi_participant):
        raise InvalidInput(_("%(org)s n'a pas de voix au forum : il ne peut pas porter de procuration.") % {"org": org.name}, code="not_eligible")
    return membership


def _broadcast(session_id: int) -> None:
    from advocacy.groups import session_group

    send_event_on_commit(session_group(session_id), lambda: {"type": "procurations.state", "state": procurations_state(session_id)})


def do_request_procuration(*, actor, session: ForumSession, holder: User) -> Procuration:
    """The giving organisation's délégué·e or substitut·e asks that ``holder`` vote for it."""
    giver_membership = _representative_of_eligible_org(actor)
    holder_membership = _holder_membership(holder, giver_membership.organisation_id)
    with transaction.atomic():
        session = ForumSession.objects.select_for_update().get(pk=session.pk)
        _check_session_not_ended(session)
        if Procuration.objects.filter(session=session, holder_organisation_id=giver_membership.organisation_id,
                                      status__in=ACTIVE_PROCURATION_STATES).exists():
            raise InvalidState(_("Votre organisme porte une procuration : il ne peut pas donner la sienne."), code="holds_one")
        if Procuration.objects.filter(session=session, giver_id=holder_membership.organisation_id,
                                      status__in=ACTIVE_PROCURATION_STATES).exists():
            raise InvalidState(_("Cet organisme a lui-même donné sa procuration."), code="holder_gave")
        _check_holder_capacity(session, holder_membership)
        try:
            with transaction.atomic():
                procuration = Procuration.objects.create(
                    session=session, giver_id=giver_membership.organisation_id, holder=holder,
                    holder_organisation_id=holder_membership.organisation_id, requested_by=actor,
                )
        except IntegrityError as exc:
            raise InvalidState(_("Votre organisme a déjà une procuration demandée ou confirmée pour cette séance."), code="already_given") from exc
        log(instance=procuration, action="advocacy.procuration.request", user=actor)
        _broadcast(session.pk)
    return procuration


def _decide(actor, procuration: Procuration, status: ProcurationStatus) -> Procuration:
    procuration.status = status
    procuration.decided_by = actor
    procuration.decided_at = timezone.now()
    procuration.save(update_fields=["status", "decided_by", "decided_at"])
    log(instance=procuration, action=f"advocacy.procuration.{status}", user=actor)
    _broadcast(procuration.session_id)
    return procuration


def _locked(procuration: Procuration) -> Procuration:
    return Procuration.objects.select_for_update(of=("self",)).select_related("session", "holder").get(pk=procuration.pk)


def do_confirm_procuration(*, actor, procuration: Procuration) -> Procuration:
    _require(actor, "advocacy.chair_session", procuration.session, _("Seule la présidence confirme les procurations."))
    with transaction.atomic():
        ForumSession.objects.select_for_update().get(pk=procuration.session_id)  # one confirmation at a time per sitting
        procuration = _locked(procuration)
        _check_session_not_ended(procuration.session)
        if not procuration.is_requested:
            raise InvalidState(_("Cette procuration n'est plus en attente."), code="not_requested")
        holder_membership = _holder_membership(procuration.holder, procuration.giver_id)
        if holder_membership.organisation_id != procuration.holder_organisation_id:
            raise InvalidState(_("Le·la porteur·euse a changé d'organisme : la procuration ne vaut plus."), code="holder_moved")
        _check_holder_capacity(procuration.session, holder_membership)
        return _decide(actor, procuration, ProcurationStatus.CONFIRMED)


def do_refuse_procuration(*, actor, procuration: Procuration) -> Procuration:
    _require(actor, "advocacy.chair_session", procuration.session, _("Seule la présidence refuse les procurations."))
    with transaction.atomic():
        procuration = _locked(procuration)
        if not procuration.is_requested:
            raise InvalidState(_("Cette procuration n'est plus en attente."), code="not_requested")
        return _decide(actor, procuration, ProcurationStatus.REFUSED)


def do_withdraw_procuration(*, actor, procuration: Procuration) -> Procuration:
    """The giving organisation's representative, or the chair, takes the voice back (for the
    motions still to come; ballots already cast stay)."""
    with transaction.atomic():
        procuration = _locked(procuration)
        membership = actor.active_membership if getattr(actor, "is_authenticated", False) else None
        own = bool(membership and membership.organisation_id == procuration.giver_id and membership.role in (Role.DELEGUE, Role.SUBSTITUT))
        if not own and not actor.has_perm("advocacy.chair_session", procuration.session):
            raise NotAllowed(_("Seul·es l'organisme représenté et la présidence retirent une procuration."), code="forbidden")
        if procuration.status not in ACTIVE_PROCURATION_STATES:
            raise InvalidState(_("Cette procuration n'est plus active."), code="not_active")
        return _decide(actor, procuration, ProcurationStatus.WITHDRAWN)


def session_procurations(session: ForumSession | int, *, confirmed_only: bool = True):
    """The sitting's procurations, for the minutes and the session page: one query,
    ``giver``, ``holder`` and ``holder_organisation`` loaded."""
    qs = Procuration.objects.filter(session_id=getattr(session, "pk", session)).select_related("giver", "holder", "holder_organisation")
    if confirmed_only:
        qs = qs.filter(status=ProcurationStatus.CONFIRMED)
    return qs.order_by("giver__name")


def represented_organisation_ids(session_id: int) -> set[int]:
    """Organisations counted present through a confirmed procuration whose holder's
    organisation is present (and that are not present themselves)."""
    present = Attendance.objects.filter(session_id=session_id)
    return set(
        Procuration.objects.filter(session_id=session_id, status=ProcurationStatus.CONFIRMED,
                                   holder_organisation_id__in=present.values("organisation_id"))
        .exclude(giver_id__in=present.values("organisation_id"))
        .values_list("giver_id", flat=True)
    )


def procurations_state(session_id: int) -> dict:
    return {
        "type": "procurations.state",
        "session": session_id,
        "procurations": [
            {
                "id": p.pk,
                "giver": p.giver.acronym or p.giver.name,
                "holder": p.holder.get_full_name() or p.holder.email,
                "holder_organisation": p.holder_organisation.acronym or p.holder_organisation.name,
                "status": p.status,
            }
            for p in session_procurations(session_id, confirmed_only=False).filter(status__in=ACTIVE_PROCURATION_STATES)
        ],
    }
