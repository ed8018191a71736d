"""Votes: opening and closing a motion (the only writer of ``Motion.status``) and the tally
broadcast to the vote page and projector (coalesced: at most one per motion every
``TALLY_INTERVAL`` seconds, the last one always after the last change). Ballots are cast in
``advocacy.services.ballots``. A secret motion's counts stay out of every state until it is
closed: only how many organisations voted goes out."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.groups import motion_group
from advocacy.models import (
    ENTERED_CHANNELS,
    SECRET_WITHOUT_SECOND_MAJORITY,
    VOTABLE_STATES,
    Amendment,
    AmendmentStatus,
    Ballot,
    BallotChannel,
    BallotKind,
    Choice,
    Demand,
    DemandState,
    ForumSessionStatus,
    Motion,
    MotionResult,
    MotionStatus,
    SecondMajority,
    SecretChoice,
    SecretParticipation,
)
from advocacy.services.common import (
    InvalidState,
    NotAllowed,
    _representatives_qs,
    _require,
)
from advocacy.services.consultation import _decide_amendment, _merge_amendment
from advocacy.services.lifecycle import _move_demand, _notify_demand
from advocacy.services.sessions import (
    _set_session_status,
    session_quorum,
)
from advocacy.services.urn import reshuffle_the_urn
from advocacy.tally import decide, decide_double, majority_of_regions, majority_of_volets
from tcri_site.live import coalesce
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify

TALLY_INTERVAL = 0.2  # seconds between two tally broadcasts of one motion, at most


def ballot_counts(motion: Motion) -> tuple[dict, dict]:
    """Counts by choice and, for ballots the chair entered, by channel: one aggregate query
    (two for a secret motion: the urn, and who voted). For the close; ``motion_state``
    withholds a secret motion's counts while it is open."""
    aggregates = {f"c_{c}": Count("pk", filter=Q(choice=c)) for c in Choice.values}
    by_channel = {f"e_{c}": Count("pk", filter=Q(channel=c)) for c in (ch.value for ch in ENTERED_CHANNELS)}
    if motion.is_secret:
        row = SecretChoice.objects.filter(motion=motion).aggregate(**aggregates)
        row.update(SecretParticipation.objects.filter(motion=motion).aggregate(**by_channel))
    else:
        row = Ballot.objects.filter(motion=motion).aggregate(**aggregates, **by_channel)
    counts = {c: row[f"c_{c}"] for c in Choice.values}
    entered = {c.value: row[f"e_{c.value}"] for c in ENTERED_CHANNELS}
    return counts, entered


def motion_quorum(motion: Motion) -> dict:
    """The sitting's quorum, or an online vote's participation quorum (organisations that voted)."""
    if motion.is_online:
        from advocacy.services.online import online_quorum

        return online_quorum(motion)
    return session_quorum(motion.session)


def motion_state(motion: Motion, *, include_orgs: bool = True) -> dict:
    """What the vote page and projector show; the same dict goes over the socket."""
    quorum = motion_quorum(motion)
    live_counts, entered = ballot_counts(motion)
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
        counts = live_counts
        eligible = quorum["total"]
    state = {
        "type": "motion.state",
        "motion": motion.pk,
        "status": motion.status,
        "status_label": str(motion.get_status_display()),
        "counts": counts,
        "voted": sum(counts.values()),
        "counts_hidden": False,
        "eligible": eligible,
        "quorum": quorum,
        "result": motion.result,
        "result_label": str(motion.get_result_display()) if motion.result else "",
        "ballot_kind": motion.ballot_kind,
        "entered": entered,
    }
    if motion.is_secret and motion.status != MotionStatus.CLOSED:
        state.update(counts=None, counts_hidden=True)
    # The roll call is public once the vote is closed; live messages carry only the counts,
    # which keeps each broadcast small when 150 organisations are watching.
    if include_orgs and motion.ballot_kind == BallotKind.ROLL_CALL and motion.status == MotionStatus.CLOSED:
        state["roll_call"] = [
            {
                "organisation": name,
                "choice": choice,
                "label": str(Choice(choice).label),
                "channel": channel,
                "channel_label": str(BallotChannel(channel).label),
                "proxy": role == "proxy",
            }
            for name, choice, channel, role in Ballot.objects.filter(motion=motion)
            .order_by("organisation__name")
            .values_list("organisation__name", "choice", "channel", "cast_by_role")
        ]
    return state


def _send_motion_state(motion_id: int) -> None:
    from tcri_site.live import group_send

    motion = Motion.objects.select_related("session").filter(pk=motion_id).first()
    if motion is not None:
        group_send(motion_group(motion_id), {"type": "motion.state", "state": motion_state(motion)})


def _broadcast_motion(motion_id: int) -> None:
    """After commit, the motion's state to its sockets, read when it is sent; with 150
    ballots in a second, one broadcast every ``TALLY_INTERVAL`` instead of 150."""
    transaction.on_commit(lambda: coalesce(("advocacy.motion", motion_id), TALLY_INTERVAL, _send_motion_state, motion_id))


def check_may_chair(*, actor, motion: Motion) -> None:
    _require(actor, "advocacy.chair_session", motion.session, _("Seule la présidence de la séance ouvre et ferme les votes."))


def _check_chair_or_schedule(*, actor, motion: Motion, due_at) -> None:
    """The chair; or, with ``actor=None``, the worker's schedule for an online vote whose
    time (``due_at``, read under the row lock) has come, never before."""
    if actor is not None:
        check_may_chair(actor=actor, motion=motion)
    elif not motion.is_online or due_at is None or due_at > timezone.now():
        raise NotAllowed(_("Seul le calendrier ouvre et ferme un vote en ligne, à l'heure prévue."), code="not_due")


def _set_motion_status(motion: Motion, status: MotionStatus, **fields) -> None:
    """The only writer of ``Motion.status``, with the fields that go with the change."""
    motion.status = status
    for name, value in fields.items():
        setattr(motion, name, value)
    motion.save(update_fields=["status", *fields])


def do_open_motion(*, actor, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        _check_chair_or_schedule(actor=actor, motion=motion, due_at=motion.opens_at)
        if not motion.is_pending:
            raise InvalidState(_("Ce vote a déjà été ouvert."))
        if motion.session_id and Motion.objects.filter(session=motion.session, status=MotionStatus.OPEN).exists():
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
        if motion.is_secret and motion.second_majority:
            raise InvalidState(SECRET_WITHOUT_SECOND_MAJORITY)
        _set_motion_status(motion, MotionStatus.OPEN, opened_at=timezone.now(), text=motion.text)
        log(instance=motion, action="advocacy.motion.open", user=actor)
        if motion.session_id and motion.session.status == ForumSessionStatus.PLANNED:
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


def second_majority(motion: Motion):
    """The motion's second condition computed from its ballots, or None when it has none
    (or asks for the demand's volets and has no demand, or a demand with no volet)."""
    if not motion.second_majority:
        return None
    ballots = Ballot.objects.filter(motion=motion, choice__in=[Choice.FOR, Choice.AGAINST])
    if motion.second_majority == SecondMajority.REGIONS:
        by_region: dict[str, list[int]] = {}
        for row in ballots.values("organisation__region", "choice").annotate(n=Count("pk")):
            counts = by_region.setdefault(row["organisation__region"], [0, 0])
            counts[0 if row["choice"] == Choice.FOR else 1] += row["n"]
        return majority_of_regions({region: (p, c) for region, (p, c) in by_region.items()})
    volets = list(motion.demand.volets.values_list("pk", flat=True)) if motion.demand_id else []
    if not volets:
        return None
    funded = ballots.filter(organisation__volets__in=volets).values("organisation_id", "choice").distinct()
    pour = sum(1 for row in funded if row["choice"] == Choice.FOR)
    return majority_of_volets(pour, sum(1 for row in funded if row["choice"] == Choice.AGAINST))


def do_close_motion(*, actor, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        _check_chair_or_schedule(actor=actor, motion=motion, due_at=motion.closes_at)
        if not motion.is_open:
            raise InvalidState(_("Ce vote n'est pas ouvert."))
        rows, _entered = ballot_counts(motion)
        quorum = motion_quorum(motion)
        outcome = decide(
            pour=rows.get(Choice.FOR, 0),
            contre=rows.get(Choice.AGAINST, 0),
            abstention=rows.get(Choice.ABSTAIN, 0),
            threshold=motion.threshold,
            present=quorum["present"],
            total=quorum["total"],
            required=quorum["required"],
        )
        second = second_majority(motion)
        outcome = decide_double(outcome, second)
        if motion.is_secret:
            reshuffle_the_urn(SecretChoice, field="choice", motion=motion)
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
            second_majority_detail=asdict(second) if second else {},
            result={
                "adopted": MotionResult.ADOPTED,
                "rejected": MotionResult.REJECTED,
                "no_quorum": MotionResult.NO_QUORUM,
                "no_regions_majority": MotionResult.NO_SECOND_MAJORITY,
                "no_volets_majority": MotionResult.NO_SECOND_MAJORITY,
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
        if motion.is_online:
            from advocacy.services.online import announce_result

            announce_result(motion, actor)
        _broadcast_motion(motion.pk)
    return motion
