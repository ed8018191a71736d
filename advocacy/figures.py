"""The forum TCRI-PASI's figures on the project lead's dashboard (``tcri_site.dashboard``)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from advocacy.models import Demand, DemandState
from tcri_site.dashboard.registry import Figure, register


@register("revendications", order=10)
def demands_by_state() -> Figure:
    counts = dict(Demand.objects.values_list("state").annotate(n=Count("pk")).order_by())
    rows = [[label, counts.get(value, 0)] for value, label in DemandState.choices]
    total = sum(r[1] for r in rows)
    return Figure(
        key="revendications",
        title=_("Revendications par état"),
        description=_("Toutes les revendications, brouillons compris, selon leur état actuel."),
        columns=[_("État"), _("Revendications")],
        rows=[*rows, [_("Total"), total]],
        bars=[(str(r[0]), r[1]) for r in rows],
        bar_unit=_("revendications"),
    )
