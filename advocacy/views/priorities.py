"""Priorities for the cahier: the list, a prioritisation's page (the organisation's ranking
or points, then the result as a chart) and the chair's open and close, each confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import Prioritisation, PrioritisationMethod, PriorityBallot
from advocacy.services.common import eligible_organisations
from advocacy.views.common import confirm
from tcri_site.confirm import is_confirmed
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


def _get_prioritisation(request, pk, **kwargs):
    return get_object_or_404(Prioritisation, pk=pk)


@permission_required("advocacy.see_motion")
def prioritisation_list(request):
    items = Prioritisation.objects.exclude(status="draft") if not request.user.has_perm("advocacy.manage_priorities") else Prioritisation.objects.all()
    return render(request, "advocacy/prioritisation_list.html", {"items": list(items[:50])})


def _submitted(request, prioritisation, demands):
    """What the form sent: (ranking, points, values to show again)."""
    values, ranking, points = {}, None, None
    if prioritisation.method == PrioritisationMethod.BORDA:
        ranks = {}
        for demand in demands:
            raw = request.POST.get(f"rank_{demand.pk}", "").strip()
            values[demand.pk] = raw
            ranks[demand.pk] = int(raw) if raw.isdigit() else None
        if None not in ranks.values() and len(set(ranks.values())) == len(ranks) and set(ranks.values()) == set(range(1, len(ranks) + 1)):
            ranking = sorted(ranks, key=ranks.get)
        else:
            ranking = ["invalid"]
    else:
        points = {}
        for demand in demands:
            raw = request.POST.get(f"points_{demand.pk}", "").strip() or "0"
            values[demand.pk] = raw
            points[demand.pk] = raw if raw.isdigit() else "invalid"
    return ranking, points, values


def _own_values(prioritisation, ballot) -> dict:
    if ballot is None:
        return {}
    if "ranking" in ballot.content:
        return {pk: str(i + 1) for i, pk in enumerate(ballot.content["ranking"])}
    return {int(k): str(v) for k, v in ballot.content.get("points", {}).items()}


@permission_required("advocacy.see_motion", fn=_get_prioritisation)
def prioritisation(request, pk):
    item = request.permission_object
    user = request.user
    if item.status == "draft" and not user.has_perm("advocacy.manage_priorities"):
        return render(request, "advocacy/refused.html", {"error": _("Cette priorisation n'est pas encore ouverte.")}, status=404)
    demands = list(item.demands.order_by("pk"))
    organisation = user.organisation if user.has_perm("advocacy.rank_priorities") else None
    own = PriorityBallot.objects.filter(prioritisation=item, organisation=organisation).select_related("cast_by").first() if organisation else None
    error, values, status = None, _own_values(item, own), 200
    if request.method == "POST":
        ranking, points, values = _submitted(request, item, demands)
        try:
            services.do_cast_priorities(actor=user, prioritisation=item, ranking=ranking, points=points)
        except Refusal as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Le choix de votre organisme est enregistré ; vous pouvez le modifier jusqu'à la fermeture."))
            return redirect(item)
    for demand in demands:
        demand.value = values.get(demand.pk, "")
    context = {
        "item": item,
        "demands": demands,
        "positions": range(1, len(demands) + 1),
        "own": own,
        "may_rank": organisation is not None and item.is_open,
        "may_manage": user.has_perm("advocacy.manage_priorities", item),
        "error": error,
        "ballots": item.ballots.count() if not item.is_closed else item.ballots_counted,
        "eligible": eligible_organisations().count(),
    }
    return render(request, "advocacy/prioritisation.html", context, status=status)


@require_POST
@permission_required("advocacy.manage_priorities", fn=_get_prioritisation)
def prioritisation_control(request, pk, action):
    item = request.permission_object
    do = {"ouvrir": services.do_open_prioritisation, "fermer": services.do_close_prioritisation}.get(action)
    if do is None:
        return render(request, "advocacy/refused.html", {"error": _("Action inconnue."), "back": item.get_absolute_url()}, status=404)
    if not is_confirmed(request):
        opening = action == "ouvrir"
        return confirm(
            request,
            subject=item.title,
            back=item.get_absolute_url(),
            message=_("Les délégué·es et substitut·es seront avisé·es et pourront classer les revendications. La liste des revendications ne changera plus.")
            if opening
            else _("Plus aucun organisme ne pourra voter ni modifier son choix ; le classement sera calculé et publié. Cette action est définitive."),
            yes=_("Oui, ouvrir") if opening else _("Oui, fermer et compter"),
        )
    try:
        do(actor=request.user, prioritisation=item)
    except Refusal as exc:
        return render(request, "advocacy/refused.html", {"error": exc.message, "back": item.get_absolute_url()}, status=exc.status)
    messages.success(request, _("La priorisation est ouverte.") if action == "ouvrir" else _("La priorisation est fermée : voici le classement."))
    return redirect(item)
