"""Every change at the forum: ``check_*`` says whether it may happen, ``do_*`` makes it.

Each ``do_*`` runs in one transaction, writes the audit log (Wagtail's log entries) and
announces itself with ``transaction.on_commit``, so nothing is broadcast that was not
stored. Ballots and closes lock the motion row, so concurrent délégué·es and substitut·es
cannot produce two ballots for one organisation or a tally that misses a ballot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from advocacy.models import (
    FOLLOW_UP_STATES,
    VOTABLE_STATES,
    WITHDRAWABLE_STATES,
    Amendment,
    AmendmentStatus,
    Attendance,
    Ballot,
    BallotKind,
    Choice,
    Comment,
    Demand,
    DemandState,
    ForumSession,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    SessionStatus,
    UpdatePage,
    UpdateSubscription,
)
from advocacy.tally import decide, quorum_required
from tcri_site.live import group_send
from tcri_site.members.models import Membership, Organisation, Role
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import (
    language_of,
    notify,
    unsubscribe_headers,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)


class AdvocacyError(Exception):
    """A refused action; ``message`` is translated and shown to the person as is."""

    status = 400
    code = "refused"

    def __init__(self, message, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code


class NotAllowed(AdvocacyError):
    status = 403
    code = "forbidden"


class InvalidState(AdvocacyError):
    status = 409
    code = "invalid_state"


class InvalidInput(AdvocacyError):
    status = 400
    code = "invalid_input"


def _require(user, perm: str, obj=None, message=None) -> None:
    if not user.has_perm(perm, obj):
        raise NotAllowed(message or _("Vous n'avez pas le droit de faire cette action."))


# --- Demands: lifecycle -----------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    perm: str
    label: object
    refusal: object


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({DemandState.DRAFT}),
        DemandState.CONSULTATION,
        "advocacy.submit_demand",
        gettext_lazy("Ouvrir la consultation"),
        gettext_lazy("Seul·e le ou la délégué·e de l'organisme proposeur ou la chargée de projet peut ouvrir la consultation."),
    ),
    "schedule": Transition(
        frozenset({DemandState.CONSULTATION}),
        DemandState.AGENDA,
        "advocacy.schedule_demand",
        gettext_lazy("Inscrire à l'ordre du jour"),
        gettext_lazy("Seule la chargée de projet PASI inscrit une revendication à l'ordre du jour."),
    ),
    "withdraw": Transition(
        WITHDRAWABLE_STATES,
        DemandState.WITHDRAWN,
        "advocacy.withdraw_demand",
        gettext_lazy("Retirer la revendication"),
        gettext_lazy("Seul·e le ou la délégué·e de l'organisme proposeur ou la chargée de projet peut retirer la revendication."),
    ),
    "transmit": Transition(
        frozenset({DemandState.ADOPTED}),
        DemandState.TRANSMITTED,
        "advocacy.transmit_demand",
        gettext_lazy("Transmettre au MIFI"),
        gettext_lazy("Seule la chargée de projet PASI transmet les revendications au MIFI."),
    ),
    "follow_up": Transition(
        FOLLOW_UP_STATES,
        DemandState.FOLLOW_UP,
        "advocacy.follow_up_demand",
        gettext_lazy("Consigner la réponse du MIFI"),
        gettext_lazy("Seule la chargée de projet PASI consigne le suivi auprès du MIFI."),
    ),
}

LOG_ACTIONS = {
    "advocacy.demand.submit": (gettext_lazy("Consultation ouverte"), gettext_lazy("A ouvert la consultation")),
    "advocacy.demand.schedule": (gettext_lazy("Inscrite à l'ordre du jour"), gettext_lazy("A inscrit la revendication à l'ordre du jour")),
    "advocacy.demand.withdraw": (gettext_lazy("Retirée"), gettext_lazy("A retiré la revendication")),
    "advocacy.demand.transmit": (gettext_lazy("Transmise au MIFI"), gettext_lazy("A transmis la revendication au MIFI")),
    "advocacy.demand.follow_up": (gettext_lazy("Suivi consigné"), gettext_lazy("A consigné la réponse du MIFI")),
    "advocacy.demand.vote": (gettext_lazy("Mise au vote"), gettext_lazy("A ouvert le vote sur la revendication")),
    "advocacy.demand.adopt": (gettext_lazy("Adoptée"), gettext_lazy("La revendication a été adoptée")),
    "advocacy.demand.reject": (gettext_lazy("Rejetée"), gettext_lazy("La revendication a été rejetée")),
    "advocacy.amendment.propose": (gettext_lazy("Amendement proposé"), gettext_lazy("A proposé un amendement")),
    "advocacy.amendment.merge": (gettext_lazy("Amendement intégré"), gettext_lazy("Amendement intégré au texte")),
    "advocacy.motion.open": (gettext_lazy("Vote ouvert"), gettext_lazy("A ouvert le vote")),
    "advocacy.motion.close": (gettext_lazy("Vote fermé"), gettext_lazy("A fermé le vote")),
    "advocacy.session.convocation": (gettext_lazy("Convocation envoyée"), gettext_lazy("A envoyé la convocation")),
    "advocacy.minutes.publish": (gettext_lazy("Procès-verbal publié"), gettext_lazy("A publié le procès-verbal")),
}


def available_transitions(user, demand: Demand) -> list[tuple[str, Transition]]:
    return [
        (name, t)
        for name, t in TRANSITIONS.items()
        if demand.state in t.sources and user.has_perm(t.perm, demand)
    ]


def check_transition(user, demand: Demand, action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput(_("Action inconnue."))
    if not user.has_perm(transition.perm, demand):
        raise NotAllowed(transition.refusal)
    if demand.state not in transition.sources:
        raise InvalidState(
            _("Impossible à l'étape « %(state)s » : %(action)s n'est pas possible maintenant.")
            % {"state": demand.get_state_display(), "action": transition.label}
        )
    return transition


def _move_demand(demand: Demand, target: DemandState, *, actor, action: str, data: dict | None = None, **fields) -> None:
    """The only writer of ``Demand.state``.

    Saves through the model, so ``post_save`` runs: the search index reads the new state
    (an adopted demand becomes public), and Wagtail's index too; then writes the audit log
    entry ``advocacy.demand.<action>``. The caller holds the demand's row lock.
    """
    previous = demand.state
    demand.state = target
    for name, value in fields.items():
        setattr(demand, name, value)
    demand.save(update_fields=["state", "updated_at", *fields])
    log(instance=demand, action=f"advocacy.demand.{action}", user=actor, data={"from": previous, "to": target, **(data or {})})


def _notify_demand(demand: Demand, actor) -> None:
    """The demand's organisations hear of its new state, each person in their language."""
    recipients = _representatives_qs(Organisation.objects.filter(pk__in=_demand_org_ids(demand)))
    notify(
        recipients,
        kind=Kind.DEMAND,
        title=lambda: _("« %(title)s » : %(state)s") % {"title": demand.title, "state": demand.get_state_display()},
        url=demand.get_absolute_url,
        actor=actor,
    )


def _demand_org_ids(demand: Demand) -> list[int]:
    ids = list(demand.cosigners.values_list("pk", flat=True))
    if demand.proposing_organisation_id:
        ids.append(demand.proposing_organisation_id)
    return ids


def do_transition(user, demand: Demand, action: str, *, mifi_response: str = "", progress_note: str = "") -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        transition = check_transition(user, demand, action)
        fields = {}
        if action == "transmit":
            fields["transmitted_at"] = timezone.now()
        if action == "follow_up":
            if not (mifi_response.strip() or progress_note.strip()):
                raise InvalidInput(_("Indiquez la réponse du MIFI ou l'état d'avancement."))
            fields["mifi_response"] = mifi_response.strip() or demand.mifi_response
            fields["progress_note"] = progress_note.strip() or demand.progress_note
        _move_demand(demand, transition.target, actor=user, action=action, **fields)
        _notify_demand(demand, user)
    return demand


def do_create_demand(user, *, title: str, text: str, rationale: str = "", volets=(), statuses=(), tags=(), cosigners=()) -> Demand:
    _require(user, "advocacy.add_demand", message=_("Seul·es les délégué·es et la chargée de projet proposent des revendications."))
    if not title.strip() or not text.strip():
        raise InvalidInput(_("Le titre et le texte sont obligatoires."))
    with transaction.atomic():
        demand = Demand(
            title=title.strip(),
            text=_normalise(text),
            rationale=rationale.strip(),
            author=user,
            proposing_organisation=user.organisation,
            live=True,
        )
        demand.save()
        demand.volets.set(volets)
        demand.migration_statuses.set(statuses)
        demand.cosigners.set([o for o in cosigners if o.pk != demand.proposing_organisation_id])
        if tags:
            demand.tags.set(list(tags))
        demand.save()
        revision = demand.save_revision(user=user, log_action=True)
        revision.publish(user=user, log_action=False, skip_permission_checks=True)
    return demand


def do_edit_demand(user, demand: Demand, *, title: str, text: str, rationale: str) -> Demand:
    """Save the proposer's (or the lead's) edit as a new published revision.

    Refused while someone else holds the Wagtail lock, so an admin edit is never overwritten.
    """
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        _require(user, "advocacy.edit_demand", demand, _("Seul·e le ou la délégué·e de l'organisme proposeur modifie son brouillon ; ensuite, le texte change par amendement."))
        if not demand.is_editable:
            raise InvalidState(_("Le texte d'une revendication mise au vote ne change plus."))
        if demand.locked and demand.locked_by_id != user.pk:
            raise InvalidState(_("La revendication est verrouillée par %(who)s : réessayez plus tard.") % {"who": demand.locked_by})
        if not title.strip() or not text.strip():
            raise InvalidInput(_("Le titre et le texte sont obligatoires."))
        demand.title = title.strip()
        demand.text = _normalise(text)
        demand.rationale = rationale.strip()
        revision = demand.save_revision(user=user, log_action=True)
        revision.publish(user=user, log_action=False, skip_permission_checks=True)
    return demand


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


# --- Consultation: comments and amendments ----------------------------------------------


def do_comment(user, demand: Demand, body: str, parent: Comment | None = None) -> Comment:
    _require(user, "advocacy.comment_demand", demand, _("Les commentaires ne sont ouverts que pendant la consultation."))
    body = body.strip()
    if not body:
        raise InvalidInput(_("Le commentaire est vide."))
    if len(body) > 5000:
        raise InvalidInput(_("Le commentaire dépasse 5 000 caractères."))
    if parent is not None and parent.demand_id != demand.pk:
        raise InvalidInput(_("Ce commentaire ne répond pas à cette revendication."))
    return Comment.objects.create(demand=demand, parent=parent, author=user, organisation=user.organisation, body=body)


def do_propose_amendment(user, demand: Demand, *, proposed_text: str, rationale: str) -> Amendment:
    _require(
        user,
        "advocacy.amend_demand",
        demand,
        _("Seul·es les délégué·es proposent des amendements, pendant la consultation ou avant le vote."),
    )
    proposed_text = _normalise(proposed_text)
    if not proposed_text:
        raise InvalidInput(_("Le texte proposé est vide."))
    if not rationale.strip():
        raise InvalidInput(_("Expliquez la raison de l'amendement."))
    if proposed_text == demand.text:
        raise InvalidInput(_("Le texte proposé est identique au texte actuel."))
    with transaction.atomic():
        amendment = Amendment.objects.create(
            demand=demand,
            organisation=user.organisation,
            author=user,
            base_text=demand.text,
            proposed_text=proposed_text,
            rationale=rationale.strip(),
        )
        log(instance=demand, action="advocacy.amendment.propose", user=user, data={"amendment": amendment.pk})
    return amendment


def merged_text(current: str, base: str, proposed: str) -> str:
    """Apply the change base → proposed to ``current``.

    When other amendments changed the text in between, the changed passage is found by its
    surrounding context; if it cannot be found exactly once the merge is refused.
    """
    if current == base:
        return proposed
    prefix = 0
    limit = min(len(base), len(proposed))
    while prefix < limit and base[prefix] == proposed[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and base[len(base) - 1 - suffix] == proposed[len(proposed) - 1 - suffix]:
        suffix += 1
    old = base[prefix : len(base) - suffix]
    new = proposed[prefix : len(proposed) - suffix]
    before_all = base[max(0, prefix - 40) : prefix]
    after_all = base[len(base) - suffix : len(base) - suffix + 40]
    # Widest unchanged context first; narrower when other amendments touched the surroundings.
    for width_before, width_after in ((40, 40), (20, 20), (40, 0), (0, 40), (10, 10), (20, 0), (0, 20), (5, 5)):
        before = before_all[len(before_all) - min(width_before, len(before_all)) :]
        after = after_all[: width_after]
        needle = before + old + after
        if len(needle) >= 3 and current.count(needle) == 1:
            return current.replace(needle, before + new + after)
    raise InvalidState(_("Le texte a changé depuis cet amendement : il ne peut pas être intégré tel quel."))


def _merge_amendment(user, amendment: Amendment, status: str) -> Amendment:
    demand = Demand.objects.select_for_update().get(pk=amendment.demand_id)
    demand.text = merged_text(demand.text, amendment.base_text, amendment.proposed_text)
    revision = demand.save_revision(user=user, log_action=True)
    revision.publish(user=user, log_action=False, skip_permission_checks=True)
    _decide_amendment(amendment, status, revision=revision)
    log(instance=demand, action="advocacy.amendment.merge", user=user, data={"amendment": amendment.pk, "revision": revision.pk})
    return amendment


def _decide_amendment(amendment: Amendment, status: AmendmentStatus, *, revision=None) -> None:
    """The only writer of ``Amendment.status`` (through the model, with its decision time)."""
    amendment.status = status
    amendment.decided_at = timezone.now()
    fields = ["status", "decided_at"]
    if revision is not None:
        amendment.merged_revision = revision
        fields.append("merged_revision")
    amendment.save(update_fields=fields)


def do_accept_amendment(user, amendment: Amendment) -> Amendment:
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update(of=("self",)).select_related("demand").get(pk=amendment.pk)
        _require(user, "advocacy.accept_amendment", amendment, _("Seul·e le ou la délégué·e de l'organisme proposeur peut accepter un amendement."))
        if not amendment.is_proposed:
            raise InvalidState(_("Cet amendement a déjà été traité."))
        if not amendment.demand.is_open_to_amendments:
            raise InvalidState(_("Un amendement ne peut être accepté qu'avant le vote."))
        return _merge_amendment(user, amendment, AmendmentStatus.ACCEPTED)


# --- Sessions: convocation and roll call -------------------------------------------------


def eligible_organisations():
    return Organisation.objects.filter(is_active=True, pasi_participant=True)


def _representatives_qs(organisations=None):
    from tcri_site.members.models import User

    memberships = Membership.objects.filter(is_active=True, role__in=[Role.DELEGUE, Role.SUBSTITUT])
    if organisations is not None:
        memberships = memberships.filter(organisation__in=organisations)
    else:
        memberships = memberships.filter(organisation__in=eligible_organisations())
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def session_ics(session: ForumSession) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//TCRI-PASI//Forum//FR")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"forum-session-{session.pk}@tcri-pasi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    location = session.place or session.link
    if location:
        event.add("location", location)
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    description = session.description
    agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(session.agenda_items.all(), start=1))
    if agenda:
        description = f"{description}\n\n{agenda}".strip()
    event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()


def do_send_convocation(user, session: ForumSession) -> int:
    _require(user, "advocacy.chair_session", session, _("Seule la chargée de projet PASI convoque le forum."))
    recipients = list(_representatives_qs())
    ics = session_ics(session)
    with transaction.atomic():
        ForumSession.objects.filter(pk=session.pk).update(convocation_sent_at=timezone.now())
        log(instance=session, action="advocacy.session.convocation", user=user, data={"recipients": len(recipients)})
        notify(
            recipients,
            kind=Kind.CONVOCATION,
            title=lambda: _("Convocation : %(title)s") % {"title": session.title},
            url=session.get_absolute_url,
            actor=user,
        )
        agenda = list(session.agenda_items.all())

        def send():
            for person in recipients:
                try:
                    with translation.override(person.language or settings.LANGUAGE_CODE):
                        context = {"session": session, "agenda": agenda, "person": person, "site_url": settings.SITE_URL}
                        subject = _("Convocation : %(title)s") % {"title": session.title}
                        body = render_to_string("advocacy/email/convocation.txt", context)
                    message = EmailMessage(subject, body, to=[person.email])
                    message.attach("convocation.ics", ics, "text/calendar")
                    message.send()
                except Exception:
                    logger.exception("Could not send the convocation to %s", person.pk)

        transaction.on_commit(send)
    return len(recipients)


def _set_session_status(session: ForumSession, status: SessionStatus) -> None:
    """The only writer of ``ForumSession.status`` (opening its first vote starts it)."""
    session.status = status
    session.save(update_fields=["status"])


def session_quorum(session: ForumSession) -> dict:
    total = eligible_organisations().count()
    present = Attendance.objects.filter(session=session).count()
    required = session.quorum_override or quorum_required(total)
    return {"present": present, "total": total, "required": required, "met": present >= required}


def session_state(session: ForumSession) -> dict:
    """What the session page shows live: the quorum and the organisations present."""
    present = Attendance.objects.filter(session=session).order_by("organisation__name")
    return {
        "type": "session.state",
        "session": session.pk,
        "quorum": session_quorum(session),
        "present": [
            {"id": pk, "name": acronym or name}
            for pk, acronym, name in present.values_list("organisation_id", "organisation__acronym", "organisation__name")
        ],
    }


def _broadcast_state(group: str, event_type: str, build) -> None:
    """After commit, send the state ``build()`` reads to the sockets of ``group``."""

    transaction.on_commit(lambda: group_send(group, {"type": event_type, "state": build()}))


def _broadcast_session(session_id: int) -> None:
    _broadcast_state(
        session_group(session_id), "session.state", lambda: session_state(ForumSession.objects.get(pk=session_id))
    )


def session_group(session_id: int) -> str:
    return f"advocacy.session.{session_id}"


def motion_group(motion_id: int) -> str:
    return f"advocacy.motion.{motion_id}"


def do_record_attendance(user, session: ForumSession, organisation: Organisation, present: bool) -> None:
    _require(user, "advocacy.chair_session", session, _("Seule la présidence fait l'appel."))
    with transaction.atomic():
        if present:
            person = None
            membership = organisation.delegate() or organisation.substitute()
            if membership:
                person = membership.user
            Attendance.objects.get_or_create(session=session, organisation=organisation, defaults={"person": person})
        else:
            Attendance.objects.filter(session=session, organisation=organisation).delete()
        motion_ids = list(session.motions.filter(status=MotionStatus.OPEN).values_list("pk", flat=True))
        for motion_id in motion_ids:
            _broadcast_motion(motion_id)
        _broadcast_session(session.pk)


# --- Votes -----------------------------------------------------------------------------


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


def check_may_chair(user, motion: Motion) -> None:
    _require(user, "advocacy.chair_session", motion.session, _("Seule la présidence de la séance ouvre et ferme les votes."))


def _set_motion_status(motion: Motion, status: MotionStatus, **fields) -> None:
    """The only writer of ``Motion.status``, with the fields that go with the change."""
    motion.status = status
    for name, value in fields.items():
        setattr(motion, name, value)
    motion.save(update_fields=["status", *fields])


def do_open_motion(user, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        check_may_chair(user, motion)
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
            _move_demand(demand, DemandState.VOTE, actor=user, action="vote")
        elif motion.amendment_id:
            if not motion.amendment.is_proposed:
                raise InvalidState(_("Cet amendement a déjà été traité."))
            motion.text = motion.amendment.proposed_text
        _set_motion_status(motion, MotionStatus.OPEN, opened_at=timezone.now(), text=motion.text)
        log(instance=motion, action="advocacy.motion.open", user=user)
        if motion.session.status == SessionStatus.PLANNED:
            _set_session_status(motion.session, SessionStatus.IN_PROGRESS)
        notify(
            _representatives_qs(),
            kind=Kind.VOTE,
            title=lambda: _("Vote ouvert : %(title)s") % {"title": motion.title},
            url=motion.get_absolute_url,
            actor=user,
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


def cast_ballot(user, motion: Motion, choice, organisation: Organisation | None = None) -> CastResult:
    """Record the organisation's ballot (create or change); an identical resubmission is a no-op."""
    membership = _voter_membership(user)
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
            if ballot.cast_by_id != user.pk:
                if membership.role == Role.SUBSTITUT:
                    raise NotAllowed(_("Votre délégué·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré."), code="delegate_voted")
                if ballot.cast_by_role == Role.SUBSTITUT:
                    raise NotAllowed(_("Votre substitut·e a déjà voté pour l'organisme : votre bulletin n'est pas enregistré."), code="substitute_voted")
            if ballot.choice == choice:
                return CastResult(ballot, False)
            ballot.choice = choice
            ballot.cast_by = user
            ballot.cast_by_role = membership.role
            ballot.save(update_fields=["choice", "cast_by", "cast_by_role", "changed_at"])
        else:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        motion=motion,
                        organisation_id=membership.organisation_id,
                        cast_by=user,
                        cast_by_role=membership.role,
                        choice=choice,
                    )
            except IntegrityError as exc:  # cannot happen while the motion row is locked
                raise InvalidState(_("Un bulletin existe déjà pour votre organisme.")) from exc
        _attendance, arrived = Attendance.objects.get_or_create(
            session_id=motion.session_id, organisation_id=membership.organisation_id, defaults={"person": user}
        )
        _broadcast_motion(motion.pk)
        if arrived:
            _broadcast_session(motion.session_id)
    return CastResult(ballot, True)


def do_close_motion(user, motion: Motion) -> Motion:
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("session", "demand", "amendment").get(pk=motion.pk)
        check_may_chair(user, motion)
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
        log(instance=motion, action="advocacy.motion.close", user=user, data={"result": motion.result})
        if motion.amendment_id:
            amendment = Amendment.objects.select_for_update().get(pk=motion.amendment_id)
            if outcome.adopted and amendment.is_proposed:
                _merge_amendment(user, amendment, AmendmentStatus.ADOPTED)
            elif amendment.is_proposed:
                _decide_amendment(amendment, AmendmentStatus.REJECTED)
        elif motion.demand_id:
            demand = Demand.objects.select_for_update().get(pk=motion.demand_id)
            target = DemandState.ADOPTED if outcome.adopted else DemandState.REJECTED
            _move_demand(
                demand, target, actor=user, action="adopt" if outcome.adopted else "reject", data={"motion": motion.pk}
            )
            _notify_demand(demand, user)
        _broadcast_motion(motion.pk)
    return motion


# --- Minutes ---------------------------------------------------------------------------


def minutes_context(session: ForumSession) -> dict:
    attendances = list(session.attendances.select_related("organisation", "person"))
    motions = list(session.motions.filter(status=MotionStatus.CLOSED).select_related("demand", "amendment"))
    roll_calls = {}
    for ballot in Ballot.objects.filter(motion__in=[m for m in motions if m.ballot_kind == BallotKind.ROLL_CALL]).select_related("organisation"):
        roll_calls.setdefault(ballot.motion_id, []).append(ballot)
    for motion in motions:
        motion.roll_call = roll_calls.get(motion.pk, [])
    return {
        "session": session,
        "attendances": attendances,
        "motions": motions,
        "quorum": session_quorum(session),
        "agenda": list(session.agenda_items.all()),
    }


def draft_minutes_text(session: ForumSession) -> str:
    return render_to_string("advocacy/minutes_draft.txt", minutes_context(session)).strip() + "\n"


def do_draft_minutes(user, session: ForumSession) -> Minutes:
    _require(user, "advocacy.manage_minutes", session, _("Seule la chargée de projet PASI rédige le procès-verbal."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(session=session).first()
        if minutes and minutes.is_published:
            raise InvalidState(_("Le procès-verbal est déjà publié."))
        body = draft_minutes_text(session)
        if minutes is None:
            minutes = Minutes.objects.create(session=session, body=body, edited_by=user)
        else:
            minutes.body = body
            minutes.edited_by = user
            minutes.save()
    return minutes


def do_edit_minutes(user, minutes: Minutes, body: str) -> Minutes:
    _require(user, "advocacy.manage_minutes", minutes.session)
    if minutes.is_published:
        raise InvalidState(_("Le procès-verbal est déjà publié."))
    if not body.strip():
        raise InvalidInput(_("Le procès-verbal est vide."))
    minutes.body = body.strip() + "\n"
    minutes.edited_by = user
    minutes.save()
    return minutes


def do_publish_minutes(user, minutes: Minutes) -> Minutes:
    _require(user, "advocacy.manage_minutes", minutes.session)
    with transaction.atomic():
        if minutes.is_published:
            raise InvalidState(_("Le procès-verbal est déjà publié."))
        # The only writer of ``Minutes.status``.
        minutes.status = MinutesStatus.PUBLISHED
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["status", "published_at", "updated_at"])
        log(instance=minutes.session, action="advocacy.minutes.publish", user=user)
    return minutes


# --- Implementation updates ------------------------------------------------------------


def do_subscribe(user, subscribe: bool = True) -> bool:
    _require(user, "advocacy.subscribe_updates")
    if subscribe:
        UpdateSubscription.objects.get_or_create(user=user)
    else:
        UpdateSubscription.objects.filter(user=user).delete()
    return subscribe


def announce_update(page: UpdatePage, actor=None) -> int:
    """Tell subscribers and the organisations behind the linked demands about a newly
    published update; return how many people were told.

    Subscribers asked for the updates by e-mail: each gets the update itself, in their own
    language, with a one-click unsubscribe link, and an in-app notification that this e-mail
    stands for (never a second e-mail or a digest entry). The délégué·es and substitut·es of
    the demands' organisations are notified as their preferences say.
    """
    from tcri_site.members.models import User

    subscribers = {u.pk: u for u in User.objects.filter(advocacy_subscription__isnull=False, is_active=True)}
    demand_ids = [demand.pk for demand in page.demands.all()]
    organisations = Organisation.objects.filter(
        Q(proposed_demands__in=demand_ids) | Q(cosigned_demands__in=demand_ids)
    ).distinct()
    others = [u for u in _representatives_qs(organisations) if u.pk not in subscribers]
    told = {"kind": Kind.UPDATE, "title": lambda: _update_title(page), "url": page.url or "", "body": page.summary}
    notify(subscribers.values(), **told, actor=actor, email=False)
    notify(others, **told, actor=actor)
    emails = [u for u in subscribers.values() if actor is None or u.pk != actor.pk]

    def send():
        for person in emails:
            try:
                _email_update(page, person)
            except Exception:
                logger.exception("Could not e-mail the update to %s", person.pk)

    transaction.on_commit(send)
    return len(subscribers) + len(others)


def _update_title(page: UpdatePage) -> str:
    return _("Suivi de l'implantation : %(title)s") % {"title": page.title}


def _email_update(page: UpdatePage, person) -> None:
    with translation.override(language_of(person)):
        unsubscribe = unsubscribe_url(person, Kind.UPDATE)
        subject = " ".join(_update_title(page).split())
        body = render_to_string(
            "advocacy/email/update.txt",
            {"page": page, "person": person, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe},
        )
    EmailMessage(subject, body, to=[person.email], headers=unsubscribe_headers(unsubscribe)).send()


def upcoming_session():
    return ForumSession.objects.filter(ends_at__gte=timezone.now() - timedelta(hours=1)).order_by("starts_at").first()
