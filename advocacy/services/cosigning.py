"""Co-signatures by organisations: a délégué·e signs a demand in consultation for their
organisation (and may withdraw it); once ``ADVOCACY_COSIGNATURES_FOR_AGENDA`` organisations
have signed, the demand is put forward for the agenda and the chair is told, once.

The set of co-signing organisations is ``Demand.cosigners`` (its through table's unique
pair keeps one signature per organisation, whatever two délégué·es click at once); who
signed or withdrew, and when, is Wagtail's audit log on the demand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.models import Demand
from advocacy.services.common import _require
from tcri_site.members.models import StaffRole, User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


def cosignatures_for_agenda() -> int:
    """How many co-signing organisations put a demand forward (at least 1)."""
    return max(1, int(getattr(settings, "ADVOCACY_COSIGNATURES_FOR_AGENDA", 5)))


def _signatures(demand: Demand):
    """The through table's rows of ``demand`` (a ParentalManyToManyField's ``add`` would wait
    for the demand's next save: the rows are written here, under the demand's row lock)."""
    return Demand.cosigners.through.objects.filter(demand_id=demand.pk)


def _locked(demand: Demand) -> Demand:
    return Demand.objects.select_for_update(of=("self",)).select_related("proposing_organisation").get(pk=demand.pk)


def check_cosign(*, actor, demand: Demand) -> None:
    _require(
        actor,
        "advocacy.cosign_demand",
        demand,
        _("Seul·es les délégué·es des organismes membres cosignent, pendant la consultation, une revendication d'un autre organisme."),
    )


def do_cosign(*, actor, demand: Demand) -> bool:
    """Sign ``demand`` for the actor's organisation; False if it had already signed."""
    with transaction.atomic():
        demand = _locked(demand)
        check_cosign(actor=actor, demand=demand)
        organisation = actor.organisation
        _row, created = Demand.cosigners.through.objects.get_or_create(demand_id=demand.pk, organisation_id=organisation.pk)
        if not created:
            return False
        log(instance=demand, action="advocacy.demand.cosign", user=actor, data={"organisation": organisation.pk})
        count = _signatures(demand).count()
        if demand.put_forward_at is None and count >= cosignatures_for_agenda():
            demand.put_forward_at = timezone.now()
            demand.save(update_fields=["put_forward_at"])
            log(instance=demand, action="advocacy.demand.put_forward", user=actor, data={"cosignatures": count})
            _tell_the_chair(demand, actor, count)
    return True


def do_withdraw_cosignature(*, actor, demand: Demand) -> bool:
    """Withdraw the actor's organisation's signature; False if it had not signed.

    A demand already put forward stays so: the chair was told and may have scheduled it.
    """
    with transaction.atomic():
        demand = _locked(demand)
        _require(actor, "advocacy.cosign_demand", demand, _("La cosignature ne se retire que pendant la consultation, par un·e délégué·e de l'organisme."))
        organisation = actor.organisation
        deleted, _kinds = _signatures(demand).filter(organisation_id=organisation.pk).delete()
        if not deleted:
            return False
        log(instance=demand, action="advocacy.demand.uncosign", user=actor, data={"organisation": organisation.pk})
    return True


def _tell_the_chair(demand: Demand, actor, count: int) -> None:
    leads = User.objects.filter(groups__name=StaffRole.PROJECT_LEAD.value, is_active=True).distinct()
    notify(
        leads,
        kind=Kind.DEMAND,
        title=lambda: _("« %(title)s » compte %(count)d cosignatures : à inscrire à l'ordre du jour ?")
        % {"title": demand.title, "count": count},
        url=demand.get_absolute_url,
        actor=actor,
    )
