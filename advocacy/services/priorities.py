"""Priorities for the cahier: the chair opens a prioritisation of adopted demands, each
organisation's délégué·e (or substitut·e) ranks them or spreads points, the chair closes it
and the ranking (``advocacy.counting``) is stored. The only writer of ``Prioritisation``'s
status and ``PriorityBallot``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy import counting
from advocacy.models import (
    CAHIER_STATES,
    Prioritisation,
    PrioritisationMethod,
    PrioritisationStatus,
    PriorityBallot,
)
from advocacy.services.common import (
    InvalidInput,
    InvalidState,
    _representatives_qs,
    _require,
    eligible_organisations,
)
from tcri_site.members.models import Role
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


def _locked(prioritisation: Prioritisation) -> Prioritisation:
    return Prioritisation.objects.select_for_update().get(pk=prioritisation.pk)


def candidates(prioritisation: Prioritisation) -> list[int]:
    """The demands to rank, in a fixed order (their ids)."""
    return list(prioritisation.demands.order_by("pk").values_list("pk", flat=True))


def check_may_manage(*, actor, prioritisation: Prioritisation | None = None) -> None:
    _require(actor, "advocacy.manage_priorities", prioritisation, _("Seul·e le ou la chargé·e de projet ouvre et ferme une priorisation."))


def do_open_prioritisation(*, actor, prioritisation: Prioritisation) -> Prioritisation:
    check_may_manage(actor=actor, prioritisation=prioritisation)
    with transaction.atomic():
        prioritisation = _locked(prioritisation)
        if prioritisation.status != PrioritisationStatus.DRAFT:
            raise InvalidState(_("Cette priorisation a déjà été ouverte."))
        demands = list(prioritisation.demands.all())
        if len(demands) < 2:
            raise InvalidInput(_("Choisissez au moins deux revendications à classer."))
        if any(d.state not in CAHIER_STATES for d in demands):
            raise InvalidInput(_("Seules les revendications adoptées se classent pour le cahier."))
        prioritisation.status = PrioritisationStatus.OPEN
        prioritisation.opened_at = timezone.now()
        prioritisation.save(update_fields=["status", "opened_at"])
        log(instance=prioritisation, action="advocacy.priorities.open", user=actor)
        notify(
            _representatives_qs(),
            kind=Kind.VOTE,
            title=lambda: _("Priorisation ouverte : %(title)s") % {"title": prioritisation.title},
            url=prioritisation.get_absolute_url,
            actor=actor,
        )
    return prioritisation


def _content(prioritisation: Prioritisation, ranking, points) -> dict:
    """The ballot's stored form, or ``InvalidInput`` saying what is wrong."""
    ids = candidates(prioritisation)
    try:
        if prioritisation.method == PrioritisationMethod.BORDA:
            ranking = [int(x) for x in ranking or []]
            counting.check_ranking(ranking, ids)
            return {"ranking": ranking}
        allocation = {int(k): int(v) for k, v in (points or {}).items() if int(v)}
        counting.check_allocation(allocation, ids, prioritisation.points)
        return {"points": {str(k): v for k, v in allocation.items()}}
    except (TypeError, ValueError) as exc:
        if prioritisation.method == PrioritisationMethod.BORDA:
            raise InvalidInput(_("Donnez à chaque revendication un rang différent, de 1 à %(n)d.") % {"n": len(ids)}) from exc
        raise InvalidInput(
            _("Répartissez au plus %(points)d points, en nombres entiers positifs, entre les revendications proposées.")
            % {"points": prioritisation.points}
        ) from exc


def do_cast_priorities(*, actor, prioritisation: Prioritisation, ranking=None, points=None) -> PriorityBallot:
    """The actor's organisation's ballot (replacing its earlier one until the close).

    A substitut·e does not replace a ballot cast by the organisation's délégué·e.
    """
    _require(actor, "advocacy.rank_priorities", prioritisation, _("Seul·es les délégué·es et substitut·es des organismes membres classent les priorités."))
    with transaction.atomic():
        prioritisation = _locked(prioritisation)
        if not prioritisation.is_open:
            raise InvalidState(_("Cette priorisation n'est pas ouverte."))
        organisation = actor.organisation
        if not eligible_organisations().filter(pk=organisation.pk).exists():
            raise InvalidState(_("Votre organisme ne participe pas au PASI : il ne vote pas."))
        content = _content(prioritisation, ranking, points)
        existing = PriorityBallot.objects.filter(prioritisation=prioritisation, organisation=organisation).select_related("cast_by").first()
        if (
            existing
            and actor.active_membership.role == Role.SUBSTITUT
            and existing.cast_by_id != actor.pk
            and existing.cast_by is not None
            and getattr(existing.cast_by.active_membership, "role", None) == Role.DELEGUE
        ):
            raise InvalidState(_("Le ou la délégué·e de votre organisme a déjà voté : son choix compte."))
        ballot, _created = PriorityBallot.objects.update_or_create(
            prioritisation=prioritisation, organisation=organisation, defaults={"content": content, "cast_by": actor}
        )
    return ballot


def compute_result(prioritisation: Prioritisation) -> tuple[list[dict], int]:
    ids = candidates(prioritisation)
    contents = list(prioritisation.ballots.values_list("content", flat=True))
    if prioritisation.method == PrioritisationMethod.BORDA:
        placed = counting.borda([c["ranking"] for c in contents], ids)
    else:
        placed = counting.dots([{int(k): v for k, v in c["points"].items()} for c in contents], ids, prioritisation.points)
    titles = dict(prioritisation.demands.values_list("pk", "title"))
    return [
        {"demand": p.candidate, "title": titles[p.candidate], "score": p.score, "rank": p.rank, "tied": p.tied}
        for p in placed
    ], len(contents)


def do_close_prioritisation(*, actor, prioritisation: Prioritisation) -> Prioritisation:
    check_may_manage(actor=actor, prioritisation=prioritisation)
    with transaction.atomic():
        prioritisation = _locked(prioritisation)
        if not prioritisation.is_open:
            raise InvalidState(_("Cette priorisation n'est pas ouverte."))
        result, counted = compute_result(prioritisation)
        prioritisation.result = result
        prioritisation.ballots_counted = counted
        prioritisation.status = PrioritisationStatus.CLOSED
        prioritisation.closed_at = timezone.now()
        prioritisation.save(update_fields=["result", "ballots_counted", "status", "closed_at"])
        log(instance=prioritisation, action="advocacy.priorities.close", user=actor, data={"ballots": counted})
        notify(
            _representatives_qs(),
            kind=Kind.VOTE,
            title=lambda: _("Priorités du cahier : résultat de « %(title)s »") % {"title": prioritisation.title},
            url=prioritisation.get_absolute_url,
            actor=actor,
        )
    return prioritisation


def latest_ranking() -> Prioritisation | None:
    """The last closed prioritisation: the order the cahier follows."""
    return Prioritisation.objects.filter(status=PrioritisationStatus.CLOSED).order_by("-closed_at", "-pk").first()
