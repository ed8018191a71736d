"""The demand's lifecycle: creating, editing, and every move of ``Demand.state``.

``_move_demand`` is the only writer of ``Demand.state``; the votes call it when a motion
opens or closes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from advocacy.models import (
    FOLLOW_UP_STATES,
    WITHDRAWABLE_STATES,
    Demand,
    DemandState,
)
from advocacy.services.common import (
    InvalidInput,
    InvalidState,
    NotAllowed,
    _normalise,
    _representatives_qs,
    _require,
)
from advocacy.services.following import notify_demand_followers
from tcri_site.members.models import Organisation
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


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

def available_transitions(*, actor, demand: Demand) -> list[tuple[str, Transition]]:
    return [
        (name, t)
        for name, t in TRANSITIONS.items()
        if demand.state in t.sources and actor.has_perm(t.perm, demand)
    ]


def check_transition(*, actor, demand: Demand, action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput(_("Action inconnue."))
    if not actor.has_perm(transition.perm, demand):
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
    recipients = list(_representatives_qs(Organisation.objects.filter(pk__in=_demand_org_ids(demand))))
    title = lambda: _("« %(title)s » : %(state)s") % {"title": demand.title, "state": demand.get_state_display()}  # noqa: E731
    notify(recipients, kind=Kind.DEMAND, title=title, url=demand.get_absolute_url, actor=actor)
    notify_demand_followers(demand, actor=actor, title=title, skip={user.pk for user in recipients})


def _demand_org_ids(demand: Demand) -> list[int]:
    ids = list(demand.cosigners.values_list("pk", flat=True))
    if demand.proposing_organisation_id:
        ids.append(demand.proposing_organisation_id)
    return ids


def do_transition(*, actor, demand: Demand, action: str, mifi_response: str = "", progress_note: str = "") -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        transition = check_transition(actor=actor, demand=demand, action=action)
        fields = {}
        if action == "transmit":
            fields["transmitted_at"] = timezone.now()
        if action == "follow_up":
            if not (mifi_response.strip() or progress_note.strip()):
                raise InvalidInput(_("Indiquez la réponse du MIFI ou l'état d'avancement."))
            fields["mifi_response"] = mifi_response.strip() or demand.mifi_response
            fields["progress_note"] = progress_note.strip() or demand.progress_note
        _move_demand(demand, transition.target, actor=actor, action=action, **fields)
        _notify_demand(demand, actor)
    return demand


def do_create_demand(*, actor, title: str, text: str, rationale: str = "", volets=(), statuses=(), tags=(), cosigners=()) -> Demand:
    _require(actor, "advocacy.propose_demand", message=_("Seul·es les délégué·es et la chargée de projet proposent des revendications."))
    if not title.strip() or not text.strip():
        raise InvalidInput(_("Le titre et le texte sont obligatoires."))
    with transaction.atomic():
        demand = Demand(
            title=title.strip(),
            text=_normalise(text),
            rationale=rationale.strip(),
            author=actor,
            proposing_organisation=actor.organisation,
            live=True,
        )
        demand.save()
        demand.volets.set(volets)
        demand.migration_statuses.set(statuses)
        demand.cosigners.set([o for o in cosigners if o.pk != demand.proposing_organisation_id])
        if tags:
            demand.tags.set(list(tags))
        demand.save()
        revision = demand.save_revision(user=actor, log_action=True)
        revision.publish(user=actor, log_action=False, skip_permission_checks=True)
    return demand


def do_edit_demand(*, actor, demand: Demand, title: str, text: str, rationale: str) -> Demand:
    """Save the proposer's (or the lead's) edit as a new published revision.

    Refused while someone else holds the Wagtail lock, so an admin edit is never overwritten.
    """
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        _require(actor, "advocacy.edit_demand", demand, _("Seul·e le ou la délégué·e de l'organisme proposeur modifie son brouillon ; ensuite, le texte change par amendement."))
        if not demand.is_editable:
            raise InvalidState(_("Le texte d'une revendication mise au vote ne change plus."))
        if demand.locked and demand.locked_by_id != actor.pk:
            raise InvalidState(_("La revendication est verrouillée par %(who)s : réessayez plus tard.") % {"who": demand.locked_by})
        if not title.strip() or not text.strip():
            raise InvalidInput(_("Le titre et le texte sont obligatoires."))
        demand.title = title.strip()
        demand.text = _normalise(text)
        demand.rationale = rationale.strip()
        revision = demand.save_revision(user=actor, log_action=True)
        revision.publish(user=actor, log_action=False, skip_permission_checks=True)
    return demand
