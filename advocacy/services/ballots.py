"""Ballots: who may vote for which organisation on a motion (and why not), casting a ballot
online, and the ballots the chair enters for an organisation voting on paper, by phone or
by show of hands.

No lock serialises the ballots of a motion: one ballot per organisation is the database's
unique constraint (two first ballots for one organisation: the second insert fails and is
read again as a change), an existing ballot is locked alone, and the motion row is only
share-locked on PostgreSQL so that closing (which locks it for update) waits for ballots in
flight and no ballot is stored after the close.

A secret motion stores who voted (``SecretParticipation``) and the choice (the urn,
``SecretChoice``) apart; its ballots lock the motion row for update, one at a time, because
each rewrites the urn (``advocacy.services.urn``). A secret ballot is final. Nothing here
logs a choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import (
    ENTERED_CHANNELS,
    Attendance,
    Ballot,
    BallotChannel,
    Motion,
    Procuration,
    ProcurationStatus,
    SecretChoice,
    SecretParticipation,
)
from advocacy.services.common import InvalidInput, InvalidState, NotAllowed, _require
from advocacy.services.urn import drop_in_the_urn
from tcri_site.live import coalesce, group_send
from tcri_site.members.models import Organisation, Role

PROXY_ROLE = "proxy"  # ``Ballot.cast_by_role`` of a ballot cast under a procuration
CHAIR_ROLE = "chair"  # ``Ballot.cast_by_role`` of a ballot the chair entered
TALLY_INTERVAL = 0.2  # the same as ``advocacy.services.votes.TALLY_INTERVAL``


@dataclass
class VotingSlot:
    """One organisation the person votes for: their own, or one whose procuration they hold.
    ``code``/``reason`` say why they may not cast it now (empty when they may)."""

    organisation: Organisation
    role: str
    ballot: Ballot | SecretParticipation | None = None  # a secret motion's: who voted, not how
    procuration: Procuration | None = None
    code: str = ""
    reason: str = ""

    @property
    def may_cast(self) -> bool:
        return not self.code


@dataclass
class VotingRights:
    slots: list[VotingSlot] = field(default_factory=list)
    code: str = ""  # why the person has no organisation to vote for, when ``slots`` is empty
    reason: str = ""

    def slot_for(self, organisation_id: int | None) -> VotingSlot | None:
        for slot in self.slots:
            if organisation_id is None and slot.role != PROXY_ROLE:
                return slot
            if slot.organisation.pk == organisation_id:
                return slot
        return None

    @property
    def may_cast_any(self) -> bool:
        return any(slot.may_cast for slot in self.slots)


def who_voted(motion: Motion):
    """The records of which organisations voted: the ballots of a roll-call motion, the
    participations (no choice) of a secret one."""
    model = SecretParticipation if motion.is_secret else Ballot
    return model.objects.filter(motion=motion)


def _ballot_reason(user, slot: VotingSlot) -> tuple[str, str]:
    ballot = slot.ballot
    if ballot is not None and ballot.is_final and ballot.cast_by_id == user.pk and not ballot.is_entered:
        refusal = _secret_refusal(slot)
        return refusal.code, refusal.message
    if ballot is None or (ballot.cast_by_id == user.pk and not ballot.is_entered):
        return "", ""
    if ballot.is_entered:
        return "entered_by_chair", _(
            "La présidence a enregistré le bulletin de %(org)s (%(channel)s) : il ne peut plus être changé en ligne."
        ) % {"org": slot.organisation.name, "channel": ballot.get_channel_display().lower()}
    if slot.role == Role.SUBSTITUT and ballot.cast_by_role == Role.DELEGUE:
        return "delegate_voted", _("Votre délégué·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré.")
    if slot.role == Role.DELEGUE and ballot.cast_by_role == Role.SUBSTITUT:
        return "substitute_voted", _("Votre substitut·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré.")
    return "already_voted", _("%(org)s a déjà voté sur cette proposition : votre bulletin n'est pas enregistré.") % {
        "org": slot.organisation.name
    }


def voting_rights(user, motion: Motion, *, lock: bool = False) -> VotingRights:
    """Every organisation ``user`` votes for on ``motion`` and whether they may cast its
    ballot now; three queries whatever the number of procurations."""
    membership = user.active_membership if getattr(user, "is_authenticated", False) else None
    if membership is None:
        if getattr(user, "is_authenticated", False) and user.has_perm("advocacy.chair_session", motion.session):
            return VotingRights(code="not_representative", reason=_(
                "La présidence ne vote pas en ligne ; elle peut saisir le bulletin d'un organisme qui vote sur papier, "
                "par téléphone ou à main levée."
            ))
        return VotingRights(code="not_representative", reason=_("Seul·es les délégué·es et substitut·es des organismes PASI votent."))
    own = membership.organisation
    if membership.role == Role.MEMBRE:
        return VotingRights(code="member", reason=_(
            "Vous êtes membre de %(org)s : seul·es ses délégué·es et substitut·es votent pour l'organisme."
        ) % {"org": own.name})
    own_eligible = own.is_active and own.pasi_participant
    procurations = list(
        Procuration.objects.filter(session_id=motion.session_id, status=ProcurationStatus.CONFIRMED)
        .filter(Q(giver_id=own.pk) | Q(holder_id=user.pk))
        .select_related("giver", "holder", "holder_organisation")
    )
    slots = []
    if own_eligible:
        slots.append(VotingSlot(own, membership.role))
    for procuration in procurations:
        if procuration.holder_id == user.pk and procuration.giver_id != own.pk and membership.role == Role.DELEGUE:
            slots.append(VotingSlot(procuration.giver, PROXY_ROLE, procuration=procuration))
    ballots = who_voted(motion).filter(organisation_id__in=[slot.organisation.pk for slot in slots])
    if lock:
        ballots = ballots.select_for_update()
    by_org = {ballot.organisation_id: ballot for ballot in ballots}
    given = next((p for p in procurations if p.giver_id == own.pk), None)
    for slot in slots:
        slot.ballot = by_org.get(slot.organisation.pk)
        if slot.role != PROXY_ROLE and given is not None:
            slot.code, slot.reason = "proxy_given", _(
                "Votre organisme a donné procuration à %(holder)s (%(org)s) pour cette séance : c'est cette personne qui vote pour lui."
            ) % {"holder": given.holder.get_full_name() or given.holder.email, "org": given.holder_organisation.name}
        else:
            slot.code, slot.reason = _ballot_reason(user, slot)
    if not slots:
        return VotingRights(code="not_eligible", reason=_(
            "%(org)s ne participe pas au PASI : l'organisme n'a pas de voix au forum."
        ) % {"org": own.name})
    return VotingRights(slots=slots)


def check_choice(choice) -> str:
    from advocacy.models import Choice

    if choice not in Choice.values:
        raise InvalidInput(_("Choix inconnu : votez Pour, Contre ou Abstention."))
    return choice


def _motion_for_ballot(pk: int) -> Motion:
    """The motion, share-locked on PostgreSQL: ballots do not wait for each other, a close
    (``FOR UPDATE``) waits for the ballots in flight and they, after it, see it closed. A
    secret motion is locked for update: its ballots rewrite the urn one at a time."""
    motion = Motion.objects.get(pk=pk)
    if connection.vendor == "postgresql":
        lock = "FOR UPDATE" if motion.is_secret else "FOR SHARE"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT status FROM {Motion._meta.db_table} WHERE id = %s {lock}", [pk])  # noqa: S608
            motion.status = cursor.fetchone()[0]
    if motion.is_closed:
        raise InvalidState(_("Le vote est fermé : votre bulletin n'a pas été enregistré."), code="closed")
    if not motion.is_open:
        raise InvalidState(_("Le vote n'est pas encore ouvert."), code="not_open")
    if motion.closes_at is not None and motion.closes_at <= timezone.now():  # online: the schedule closes it within a minute
        raise InvalidState(_("Le vote est fermé : votre bulletin n'a pas été enregistré."), code="closed")
    return motion


@dataclass
class CastResult:
    ballot: Ballot
    changed: bool


def _store(motion: Motion, organisation_id: int, ballot: Ballot | None, **values) -> tuple[Ballot, bool]:
    """Create or change the organisation's ballot; ``None`` when a concurrent first ballot won."""
    if ballot is not None:
        if ballot.choice == values["choice"] and ballot.cast_by_id == values["cast_by"].pk:
            return ballot, False
        for name, value in values.items():
            setattr(ballot, name, value)
        ballot.save(update_fields=[*values, "changed_at"])
        return ballot, True
    try:
        with transaction.atomic():
            return Ballot.objects.create(motion=motion, organisation_id=organisation_id, **values), True
    except IntegrityError:
        return None, False


def _store_secret(motion: Motion, organisation_id: int, choice: str, refused: InvalidState, **values) -> SecretParticipation:
    """Record that the organisation voted and drop its choice in the urn; ``refused`` when
    it already has (the unique pair, should a concurrent ballot have won)."""
    try:
        with transaction.atomic():
            participation = SecretParticipation.objects.create(motion=motion, organisation_id=organisation_id, **values)
    except IntegrityError:
        raise refused from None
    drop_in_the_urn(SecretChoice, field="choice", content=choice, motion=motion)
    return participation


def _send_session_state(session_id: int) -> None:
    from advocacy.groups import session_group
    from advocacy.models import ForumSession
    from advocacy.services.sessions import session_state

    session = ForumSession.objects.filter(pk=session_id).first()
    if session is not None:
        group_send(session_group(session_id), {"type": "session.state", "state": session_state(session)})


def _arrived(motion: Motion, organisation_id: int, person) -> None:
    """A ballot counts its organisation present; the session page hears of arrivals
    coalesced like the tally (150 organisations arriving in a second). An online vote
    between sittings has no roll call."""
    if motion.session_id is None:
        return
    _attendance, arrived = Attendance.objects.get_or_create(
        session_id=motion.session_id, organisation_id=organisation_id, defaults={"person": person}
    )
    if arrived:
        session_id = motion.session_id
        transaction.on_commit(lambda: coalesce(("advocacy.session", session_id), TALLY_INTERVAL, _send_session_state, session_id))


def do_cast_ballot(*, actor, motion: Motion, choice, organisation: Organisation | int | None = None) -> CastResult:
    """Record a ballot (create or change) for the person's organisation, or for
    ``organisation`` when they hold its procuration; an identical resubmission is a no-op.
    On a secret motion the ballot is final: a second one is refused (``secret_final``)."""
    from advocacy.services.votes import _broadcast_motion

    organisation_id = getattr(organisation, "pk", organisation)
    choice = check_choice(choice)
    with transaction.atomic():
        motion = _motion_for_ballot(motion.pk)
        if motion.is_secret:
            slot = _slot_to_cast(voting_rights(actor, motion, lock=True), organisation_id)
            ballot = _store_secret(
                motion, slot.organisation.pk, choice, _secret_refusal(slot),
                cast_by=actor, cast_by_role=slot.role, channel=BallotChannel.ONLINE, entered_by=None,
            )
            _arrived(motion, slot.organisation.pk, actor)
            _broadcast_motion(motion.pk)
            return CastResult(ballot, True)
        for _attempt in range(3):
            slot = _slot_to_cast(voting_rights(actor, motion, lock=True), organisation_id)
            ballot, changed = _store(
                motion, slot.organisation.pk, slot.ballot,
                choice=choice, cast_by=actor, cast_by_role=slot.role, channel=BallotChannel.ONLINE, entered_by=None,
            )
            if ballot is not None:
                break
        else:  # pragma: no cover - three concurrent first ballots in a row
            raise InvalidState(_("Un bulletin existe déjà pour cet organisme."), code="already_voted")
        if changed:
            _arrived(motion, slot.organisation.pk, actor)
            _broadcast_motion(motion.pk)
    return CastResult(ballot, changed)


def _slot_to_cast(rights: VotingRights, organisation_id: int | None) -> VotingSlot:
    slot = rights.slot_for(organisation_id)
    if slot is None:
        if rights.code:
            raise NotAllowed(rights.reason, code=rights.code)
        raise NotAllowed(
            _("Vous ne votez que pour votre organisme ou pour un organisme dont vous détenez la procuration."),
            code="other_organisation",
        )
    if not slot.may_cast:
        raise NotAllowed(slot.reason, code=slot.code)
    return slot


def _secret_refusal(slot: VotingSlot) -> InvalidState:
    return InvalidState(
        _("Le bulletin secret de %(org)s est déjà dans l'urne : un bulletin secret ne peut plus être changé.")
        % {"org": slot.organisation.name},
        code="secret_final",
    )


def check_channel(channel) -> str:
    if channel not in [c.value for c in ENTERED_CHANNELS]:
        raise InvalidInput(_("Canal inconnu : bulletin papier, téléphone ou main levée."))
    return channel


def do_enter_ballot(*, actor, motion: Motion, organisation: Organisation | int, choice, channel) -> Ballot | SecretParticipation:
    """The chair records the ballot of an organisation that voted on paper, by phone or by
    show of hands; refused once the organisation has a ballot. For a secret motion, the
    record says the chair entered it and how it came; the choice goes to the urn."""
    from advocacy.services.votes import _broadcast_motion

    _require(actor, "advocacy.chair_session", motion.session, _("Seule la présidence saisit les bulletins papier, téléphone ou main levée."))
    choice = check_choice(choice)
    channel = check_channel(channel)
    organisation_id = getattr(organisation, "pk", organisation)
    org = Organisation.objects.filter(pk=organisation_id, is_active=True, pasi_participant=True).first()
    if org is None:
        raise InvalidInput(_("Cet organisme n'a pas de voix au forum."), code="not_eligible")
    with transaction.atomic():
        motion = _motion_for_ballot(motion.pk)
        refused = InvalidState(
            _("%(org)s a déjà voté sur cette proposition : la présidence ne saisit pas un second bulletin.") % {"org": org.name},
            code="already_voted",
        )
        if who_voted(motion).filter(organisation=org).exists():
            raise refused
        if motion.is_secret:
            ballot = _store_secret(motion, org.pk, choice, refused, cast_by=None, cast_by_role=CHAIR_ROLE, channel=channel, entered_by=actor)
        else:
            ballot, _changed = _store(
                motion, org.pk, None, choice=choice, cast_by=None, cast_by_role=CHAIR_ROLE, channel=channel, entered_by=actor
            )
        if ballot is None:
            raise refused
        _arrived(motion, org.pk, None)
        _broadcast_motion(motion.pk)
    return ballot
