"""Votes: opening and closing a motion (the only writer of ``Motion.status``), casting
ballots under the motion's row lock, and the tally broadcast to the vote page and projector."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.groups import motion_group
from advocacy.models import (
    VOTABLE_STATES,
    Amendment,
    AmendmentStatus,
    Attendance,
    Ballot,
    BallotKind,
    Choice,
    Demand,
    DemandState,
    ForumSessionStatus,
    Motion,
    MotionResult,
    MotionStatus,
)
from advocacy.services.common import (
    InvalidInput,
    InvalidState,
    NotAllowed,
    _representatives_qs,
    _require,
)
from advocacy.services.consultation import _decide_amendment, _merge_amendment
from advocacy.services.lifecycle import _move_demand, _notify_demand
from advocacy.services.sessions import (
    _broadcast_session,
    _broadcast_state,
    _set_session_status,
    session_quorum,
)
from advocacy.tally import decide
from tcri_site.members.models import Membership, Organisation, Role
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


def motion_state(motion: Motion, *, include_orgs: bool = True) -> dict:
    """What the vote page and projector show; the same dict goes over the socket."""
    quorum = session_quorum(motion.session)
    if motion.status == MotionStatus.CLOSED:
        counts = {
            Choice.FOR.value: motion.count_for,
            Choice.AGAINST.value: motion.count_against,
            Choice.ABSTAIN.value: motion.count_abstain,
        }
        eligible = motion.eligible_count
        quorum = {
            "present": motion.present_count,
            "total": motion.eligible_count,
            "required": motion.quorum_required,
            "met": bool(motion.quorum_met),
        }
    else:
        rows = dict(Ballot.objects.filter(motion=motion).values("choice").annotate(n=Count("pk")).values_list("choice", "n"))
        counts = {c: rows.get(c, 0) for c in Choice.values}
        eligible = quorum["total"]
    state = {
        "type": "motion.state",
        "motion": motion.pk,
        "status": motion.status,
        "status_label": str(motion.get_status_display()),
        "counts": counts,
        "voted": sum(counts.values()),
        "eligible": eligible,
        "quorum": quorum,
        "result": motion.result,
        "result_label": str(motion.get_result_display()) if motion.result else "",
        "ballot_kind": motion.ballot_kind,
    }
    # The roll call is public once the vote is closed; live messages carry only the counts,
    # which keeps each broadcast small when 150 organisations are watching.
    if include_orgs and motion.ballot_kind == BallotKind.ROLL_CALL and motion.status == MotionStatus.CLOSED:
        state["roll_call"] = [
            {"organisation": name, "choice": choice, "label": str(Choice(choice).label)}
            for name, choice in Ballot.objects.filter(motion=motion).order_by("organisation__name").values_list("organisation__name", "choice")
        ]
    return state


def _broadcast_motion(motion_id: int) -> None:
    _broadcast_state(
        motion_group(motion_id),
        "motion.state",
        lambda: motion_state(Motion.objects.select_related("session").get(pk=motion_id)),
    )


def check_may_chair(*, actor, motion: Motion) -> None:
    _require(actor, "advocacy.chair_session", motion.session, _("Seule la présidence de la séance ouvre et ferme les votes."))


def _set_motion_status(motion: Motion, status: MotionStatus, **fields) -> None:
    """The only writer of ``Motion.status``, with the fields that go with the change."""
    motion.status = status
    for name, value in fields.items():
        setattr(motion, name, value)
    motion.save(update_fields=["status", *fields])


def do_open_motion(*, actor, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        check_may_chair(actor=actor, motion=motion)
        if not motion.is_pending:
            raise InvalidState(_("Ce vote a déjà été ouvert."))
        if Motion.objects.filter(session=motion.session, status=MotionStatus.OPEN).exists():
            raise InvalidState(_("Un autre vote est déjà ouvert dans cette séance : fermez-le d'abord."))
        if motion.demand_id and motion.amendment_id is None:
            pending_amendments = Motion.objects.filter(
                demand_id=motion.demand_id, amendment__isnull=False
            ).exclude(status=MotionStatus.CLOSED)
            if pending_amendments.exists():
                raise InvalidState(_("Les amendements sont votés avant la proposition principale."))
            demand = Demand.objects.select_for_update().get(pk=motion.demand_id)
            if demand.state not in VOTABLE_STATES:
                raise InvalidState(
                    _("La revendication est à l'étape « %(state)s » : elle ne peut pas être mise au vote.")
                    % {"state": demand.get_state_display()}
                )
            motion.text = demand.text
            _move_demand(demand, DemandState.VOTE, actor=actor, action="vote")
        elif motion.amendment_id:
            if not motion.amendment.is_proposed:
                raise InvalidState(_("Cet amendement a déjà été traité."))
            motion.text = motion.amendment.proposed_text
        _set_motion_status(motion, MotionStatus.OPEN, opened_at=timezone.now(), text=motion.text)
        log(instance=motion, action="advocacy.motion.open", user=actor)
        if motion.session.status == ForumSessionStatus.PLANNED:
            _set_session_status(motion.session, ForumSessionStatus.IN_PROGRESS)
        notify(
            _representatives_qs(),
            kind=Kind.VOTE,
            title=lambda: _("Vote ouvert : %(title)s") % {"title": motion.title},
            url=motion.get_absolute_url,
            actor=actor,
        )
        _broadcast_motion(motion.pk)
    return motion


def check_choice(choice) -> str:
    if choice not in Choice.values:
        raise InvalidInput(_("Choix inconnu : votez Pour, Contre ou Abstention."))
    return choice


def _voter_membership(user) -> Membership:
    membership = user.active_membership if getattr(user, "is_authenticated", False) else None
    if (
        membership is None
        or membership.role not in (Role.DELEGUE, Role.SUBSTITUT)
        or not membership.organisation.is_active
        or not membership.organisation.pasi_participant
    ):
        raise NotAllowed(_("Seul·es les délégué·es et substitut·es des organismes PASI votent."))
    return membership


@dataclass
class CastResult:
    ballot: Ballot
    changed: bool


def do_cast_ballot(*, actor, motion: Motion, choice, organisation: Organisation | None = None) -> CastResult:
    """Record the organisation's ballot (create or change); an identical resubmission is a no-op."""
    membership = _voter_membership(actor)
    choice = check_choice(choice)
    if organisation is not None and organisation.pk != membership.organisation_id:
        raise NotAllowed(_("Vous ne pouvez voter que pour votre propre organisme."))
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if motion.is_closed:
            raise InvalidState(_("Le vote est fermé : votre bulletin n'a pas été enregistré."), code="closed")
        if not motion.is_open:
            raise InvalidState(_("Le vote n'est pas encore ouvert."), code="not_open")
        ballot = Ballot.objects.filter(motion=motion, organisation_id=membership.organisation_id).first()
        if ballot is not None:
            if ballot.cast_by_id != actor.pk:
                if membership.role == Role.SUBSTITUT:
                    raise NotAllowed(_("Votre délégué·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré."), code="delegate_voted")
                if ballot.cast_by_role == Role.SUBSTITUT:
                    raise NotAllowed(_("Votre substitut·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré."), code="substitute_voted")
            if ballot.choice == choice:
                return CastResult(ballot, False)
            ballot.choice = choice
            ballot.cast_by = actor
            ballot.cast_by_role = membership.role
            ballot.save(update_fields=["choice", "cast_by", "cast_by_role", "changed_at"])
        else:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        motion=motion,
                        organisation_id=membership.organisation_id,
                        cast_by=actor,
                        cast_by_role=membership.role,
                        choice=choice,
                    )
            except IntegrityError as exc:  # cannot happen while the motion row is locked
                raise InvalidState(_("Un bulletin existe déjà pour votre organisme.")) from exc
        _attendance, arrived = Attendance.objects.get_or_create(
            session_id=motion.session_id, organisation_id=membership.organisation_id, defaults={"person": actor}
        )
        _broadcast_motion(motion.pk)
        if arrived:
            _broadcast_session(motion.session_id)
    return CastResult(ballot, True)


def do_close_motion(*, actor, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        check_may_chair(actor=actor, motion=motion)
        if not motion.is_open:
            raise InvalidState(_("Ce vote n'est pas ouvert."))
        rows = dict(Ballot.objects.filter(motion=motion).values("choice").annotate(n=Count("pk")).values_list("choice", "n"))
        quorum = session_quorum(motion.session)
        outcome = decide(
            pour=rows.get(Choice.FOR, 0),
            contre=rows.get(Choice.AGAINST, 0),
            abstention=rows.get(Choice.ABSTAIN, 0),
            threshold=motion.threshold,
            present=quorum["present"],
            total=quorum["total"],
            required=quorum["required"],
        )
        _set_motion_status(
            motion,
            MotionStatus.CLOSED,
            closed_at=timezone.now(),
            count_for=rows.get(Choice.FOR, 0),
            count_against=rows.get(Choice.AGAINST, 0),
            count_abstain=rows.get(Choice.ABSTAIN, 0),
            eligible_count=quorum["total"],
            present_count=quorum["present"],
            quorum_required=quorum["required"],
            quorum_met=outcome.quorum_met,
            result={
                "adopted": MotionResult.ADOPTED,
                "rejected": MotionResult.REJECTED,
                "no_quorum": MotionResult.NO_QUORUM,
            }[outcome.reason],
        )
        log(instance=motion, action="advocacy.motion.close", user=actor, data={"result": motion.result})
        if motion.amendment_id:
            amendment = Amendment.objects.select_for_update().get(pk=motion.amendment_id)
            if outcome.adopted and amendment.is_proposed:
                _merge_amendment(actor, amendment, AmendmentStatus.ADOPTED)
            elif amendment.is_proposed:
                _decide_amendment(amendment, AmendmentStatus.REJECTED)
        elif motion.demand_id:
            demand = Demand.objects.select_for_update().get(pk=motion.demand_id)
            target = DemandState.ADOPTED if outcome.adopted else DemandState.REJECTED
            _move_demand(
                demand, target, actor=actor, action="adopt" if outcome.adopted else "reject", data={"motion": motion.pk}
            )
            _notify_demand(demand, actor)
        _broadcast_motion(motion.pk)
    return motion
