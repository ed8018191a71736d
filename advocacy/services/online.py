"""Online votes between sittings: putting a motion to an online vote (no session), the
participation quorum, the "À voter" list, extending the deadline, the reminders before the
close, and what the worker's schedule does every minute (open what is due, remind, close
what is due). Opening and closing themselves stay ``advocacy.services.votes``'s.

Eligible organisations are the forum's voting organisations (``eligible_organisations``,
what ``voting_rights`` uses outside a sitting): no roll call, no procurations.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.models import (
    REMINDER_HOURS,
    SECRET_WITHOUT_SECOND_MAJORITY,
    VOTABLE_STATES,
    Ballot,
    BallotKind,
    Demand,
    Motion,
    MotionStatus,
    OnlineVoteReminder,
    SecondMajority,
    SecretParticipation,
    Threshold,
)
from advocacy.services.common import (
    InvalidInput,
    InvalidState,
    NotAllowed,
    _representatives_qs,
    _require,
    eligible_organisations,
)
from advocacy.tally import quorum_required
from tcri_site.members.models import Organisation, Role
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify

logger = logging.getLogger(__name__)

#: How far in the past an opening may be entered (the form's "now" is a few seconds old).
OPENING_GRACE = timedelta(minutes=5)


def _local(value: datetime) -> str:
    """A date and time as the reader reads it, in America/Montreal."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# ---------------------------------------------------------------------------------------
# Who voted; the quorum


def voted_organisation_ids(motion: Motion) -> QuerySet:
    """The organisations that have a ballot on ``motion`` (the one place that reads who
    voted, for the quorum, the reminders and the "À voter" list)."""
    from advocacy.services.ballots import who_voted

    return who_voted(motion).values("organisation_id")


def online_quorum(motion: Motion) -> dict:
    """Participation quorum of an online vote: organisations that voted among the eligible
    ones; required is the larger of the motion's number and share (neither set: a majority)."""
    total = eligible_organisations().count()
    present = voted_organisation_ids(motion).count()
    required = max(motion.quorum_min_organisations, math.ceil(total * motion.quorum_min_percent / 100))
    if not required:
        required = quorum_required(total)
    return {"present": present, "total": total, "required": required, "met": present >= required}


# ---------------------------------------------------------------------------------------
# Checks


def check_online_schedule(*, opens_at: datetime | None, closes_at: datetime | None, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if closes_at is None:
        raise InvalidInput(_("Indiquez la date et l'heure de clôture du vote."), code="closes_at")
    if timezone.is_naive(closes_at) or (opens_at is not None and timezone.is_naive(opens_at)):
        raise InvalidInput(_("Date sans fuseau horaire : indiquez l'heure de Montréal."), code="naive")
    if opens_at is not None and opens_at < now - OPENING_GRACE:
        raise InvalidInput(_("L'ouverture est dans le passé : choisissez maintenant ou une date à venir."), code="opens_at")
    if closes_at <= now:
        raise InvalidInput(_("La clôture doit être dans le futur."), code="closes_at")
    if opens_at is not None and closes_at <= opens_at:
        raise InvalidInput(_("La clôture doit suivre l'ouverture."), code="closes_at")


def check_quorum_setting(min_organisations: int, min_percent: int) -> None:
    if min_organisations < 0 or min_percent < 0:
        raise InvalidInput(_("La participation minimale ne peut pas être négative."), code="quorum")
    if min_percent > 100:
        raise InvalidInput(_("Une part se donne entre 0 et 100 %."), code="quorum")
    total = eligible_organisations().count()
    if min_organisations > total:
        raise InvalidInput(
            _("Le forum compte %(total)d organismes ayant droit de vote : la participation minimale ne peut pas dépasser ce nombre.")
            % {"total": total},
            code="quorum",
        )


# ---------------------------------------------------------------------------------------
# Putting a motion to an online vote; extending its deadline


def do_create_online_vote(
    *,
    actor,
    title: str,
    closes_at: datetime,
    opens_at: datetime | None = None,
    text: str = "",
    demand: Demand | None = None,
    threshold: str = Threshold.SIMPLE,
    ballot_kind: str = BallotKind.ROLL_CALL,
    second_majority: str = SecondMajority.NONE,
    quorum_min_organisations: int = 0,
    quorum_min_percent: int = 0,
) -> Motion:
    """A motion with no sitting, opened now (``opens_at`` empty or past) or by the schedule."""
    from advocacy.services.votes import do_open_motion

    _require(actor, "advocacy.manage_online_votes", None, _("Seule la présidence met une proposition au vote en ligne."))
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        raise InvalidInput(_("Donnez un intitulé à la proposition."), code="title")
    if demand is None and not text:
        raise InvalidInput(_("Écrivez le texte soumis au vote."), code="text")
    if threshold not in Threshold.values:
        raise InvalidInput(_("Majorité requise inconnue."), code="threshold")
    if ballot_kind not in BallotKind.values:
        raise InvalidInput(_("Type de vote inconnu."), code="ballot_kind")
    if second_majority not in SecondMajority.values:
        raise InvalidInput(_("Double majorité inconnue."), code="second_majority")
    if ballot_kind == BallotKind.SECRET and second_majority:
        raise InvalidInput(SECRET_WITHOUT_SECOND_MAJORITY, code="second_majority")
    now = timezone.now()
    check_online_schedule(opens_at=opens_at, closes_at=closes_at, now=now)
    check_quorum_setting(quorum_min_organisations, quorum_min_percent)
    opens_at = max(opens_at or now, now)
    with transaction.atomic():
        if demand is not None:
            demand = Demand.objects.select_for_update().get(pk=demand.pk)
            if demand.state not in VOTABLE_STATES:
                raise InvalidState(
                    _("La revendication est à l'étape « %(state)s » : elle ne peut pas être mise au vote.")
                    % {"state": demand.get_state_display()}
                )
            if Motion.objects.filter(demand=demand, amendment__isnull=True).exclude(status=MotionStatus.CLOSED).exists():
                raise InvalidState(_("Cette revendication a déjà une proposition en attente ou ouverte au vote."))
            text = text or demand.text
        motion = Motion.objects.create(
            session=None,
            demand=demand,
            title=title,
            text=text,
            threshold=threshold,
            ballot_kind=ballot_kind,
            second_majority=second_majority,
            opens_at=opens_at,
            closes_at=closes_at,
            quorum_min_organisations=quorum_min_organisations,
            quorum_min_percent=quorum_min_percent,
        )
        log(instance=motion, action="advocacy.motion.schedule_online", user=actor,
            data={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()})
        if opens_at <= now:
            motion = do_open_motion(actor=actor, motion=motion)
    return motion


def do_extend_deadline(*, actor, motion: Motion, closes_at: datetime) -> Motion:
    """The chair moves an online vote's close later; logged, and the organisations are told."""
    _require(actor, "advocacy.manage_online_votes", motion, _("Seule la présidence prolonge un vote en ligne."))
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if not motion.is_online:
            raise InvalidState(_("Ce vote se tient en séance : il n'a pas de date de clôture à prolonger."))
        if motion.is_closed:
            raise InvalidState(_("Ce vote est fermé : sa clôture ne peut plus être prolongée."))
        if closes_at is None:
            raise InvalidInput(_("Indiquez la nouvelle date et heure de clôture."), code="closes_at")
        if timezone.is_naive(closes_at):
            raise InvalidInput(_("Date sans fuseau horaire : indiquez l'heure de Montréal."), code="naive")
        if closes_at <= motion.closes_at:
            raise InvalidInput(
                _("Une prolongation repousse la clôture : choisissez une date après le %(current)s.")
                % {"current": _local(motion.closes_at)},
                code="closes_at",
            )
        if closes_at <= timezone.now():
            raise InvalidInput(_("La clôture doit être dans le futur."), code="closes_at")
        previous = motion.closes_at
        motion.closes_at = closes_at
        motion.save(update_fields=["closes_at"])
        log(instance=motion, action="advocacy.motion.extend", user=actor,
            data={"from": previous.isoformat(), "to": closes_at.isoformat()})
        notify(
            _representatives_qs(),
            kind=Kind.VOTE,
            title=lambda: _("Vote en ligne prolongé : %(title)s, jusqu'au %(when)s")
            % {"title": motion.title, "when": _local(motion.closes_at)},
            url=motion.get_absolute_url,
            actor=actor,
        )
    return motion


# ---------------------------------------------------------------------------------------
# "À voter"


def _voting_membership(user):
    membership = user.active_membership if getattr(user, "is_authenticated", False) else None
    if membership is None or membership.role not in (Role.DELEGUE, Role.SUBSTITUT):
        return None
    org = membership.organisation
    return membership if org.is_active and org.pasi_participant else None


def votes_awaiting(user) -> QuerySet:
    """Open online votes on which the person's organisation has not voted yet, soonest
    close first (empty for anyone who does not vote for an organisation)."""
    membership = _voting_membership(user)
    if membership is None:
        return Motion.objects.none()
    return (
        Motion.objects.filter(session__isnull=True, status=MotionStatus.OPEN, closes_at__gt=timezone.now())
        .exclude(pk__in=Ballot.objects.filter(organisation_id=membership.organisation_id).values("motion_id"))
        .exclude(pk__in=SecretParticipation.objects.filter(organisation_id=membership.organisation_id).values("motion_id"))
        .order_by("closes_at", "pk")
    )


def votes_awaiting_count(user) -> int:
    return votes_awaiting(user).count()


# ---------------------------------------------------------------------------------------
# The schedule: open, remind, close


def do_open_due_votes(*, now: datetime | None = None) -> int:
    """Open the online votes whose opening time has come (as the schedule: ``actor=None``)."""
    from advocacy.services.votes import do_open_motion

    now = now or timezone.now()
    opened = 0
    due = Motion.objects.filter(session__isnull=True, status=MotionStatus.PENDING, opens_at__lte=now, closes_at__gt=now)
    for pk in list(due.values_list("pk", flat=True)):
        try:
            do_open_motion(actor=None, motion=Motion(pk=pk))
        except (InvalidState, NotAllowed):  # opened by another worker, or its demand moved on
            continue
        except Exception:  # one vote that fails must not keep the others shut
            logger.exception("Could not open online vote %s", pk)
            continue
        opened += 1
    return opened


def _due_reminder(motion: Motion, now: datetime) -> int | None:
    """The reminder due now: the latest reminder time passed, if it came after the opening
    (a vote opened 24 h before its close gets no 48 h reminder)."""
    opened = motion.opened_at or motion.opens_at
    due = [
        hours for hours in REMINDER_HOURS
        if motion.closes_at - timedelta(hours=hours) <= now and (opened is None or motion.closes_at - timedelta(hours=hours) >= opened)
    ]
    return min(due) if due else None


def do_send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind the délégué·es and substitut·es of each organisation that has not voted, by
    their notification preferences; once per organisation and reminder time, however many
    workers run this (the ``OnlineVoteReminder`` row is inserted first, or nothing is sent)."""
    now = now or timezone.now()
    sent = 0
    horizon = now + timedelta(hours=max(REMINDER_HOURS))
    motions = Motion.objects.filter(session__isnull=True, status=MotionStatus.OPEN, closes_at__gt=now, closes_at__lte=horizon)
    for motion in motions:
        hours = _due_reminder(motion, now)
        if hours is None:
            continue
        waiting = eligible_organisations().exclude(pk__in=voted_organisation_ids(motion)).exclude(
            pk__in=OnlineVoteReminder.objects.filter(motion=motion, hours_before=hours, deadline=motion.closes_at).values("organisation_id")
        )
        for org_id in list(waiting.values_list("pk", flat=True)):
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        OnlineVoteReminder.objects.create(motion=motion, organisation_id=org_id, hours_before=hours, deadline=motion.closes_at)
                except IntegrityError:  # another worker reminded this organisation
                    continue
                notify(
                    _representatives_qs(Organisation.objects.filter(pk=org_id)),
                    kind=Kind.VOTE,
                    title=lambda m=motion: _("Rappel : votre organisme n'a pas encore voté sur « %(title)s » (clôture le %(when)s)")
                    % {"title": m.title, "when": _local(m.closes_at)},
                    url=motion.get_absolute_url,
                )
            sent += 1
    return sent


def do_close_due_votes(*, actor=None, now: datetime | None = None) -> int:
    """Close every online vote whose deadline has passed; a vote another worker closed
    first is skipped (``do_close_motion`` locks the row and refuses a closed vote)."""
    from advocacy.services.votes import do_close_motion

    now = now or timezone.now()
    closed = 0
    due = Motion.objects.filter(session__isnull=True, status=MotionStatus.OPEN, closes_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        try:
            do_close_motion(actor=actor, motion=Motion(pk=pk))
        except (InvalidState, NotAllowed):  # closed by another worker first
            continue
        except Exception:  # one vote that fails must not keep the others open
            logger.exception("Could not close online vote %s", pk)
            continue
        closed += 1
    return closed


def run_online_votes(*, now: datetime | None = None) -> str:
    """The schedule's minute: open what is due, send the reminders, close what is due."""
    opened = do_open_due_votes(now=now)
    reminded = do_send_due_reminders(now=now)
    closed = do_close_due_votes(now=now)
    return f"opened={opened} reminded={reminded} closed={closed}"


def announce_result(motion: Motion, actor=None) -> None:
    """The organisations' délégué·es and substitut·es hear of an online vote's result."""
    notify(
        _representatives_qs(),
        kind=Kind.VOTE,
        title=lambda: _("Résultat du vote en ligne « %(title)s » : %(result)s")
        % {"title": motion.title, "result": motion.get_result_display()},
        url=motion.get_absolute_url,
        actor=actor,
    )


__all__ = [
    "announce_result",
    "check_online_schedule",
    "check_quorum_setting",
    "do_close_due_votes",
    "do_create_online_vote",
    "do_extend_deadline",
    "do_open_due_votes",
    "do_send_due_reminders",
    "online_quorum",
    "run_online_votes",
    "votes_awaiting",
    "votes_awaiting_count",
    "voted_organisation_ids",
]
