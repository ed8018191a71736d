"""Elections: the list, an election's page (candidacies, standing, the ballot, the
result) and the chair's steps (open the call, open the vote, close), each confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import (
    Candidacy,
    Election,
    ElectionMethod,
    ElectionParticipation,
    ElectionStatus,
)
from advocacy.services.common import eligible_organisations
from advocacy.services.elections import standing
from advocacy.views.common import _refused, confirm
from tcri_site.confirm import is_confirmed
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


def _get_election(request, pk, **kwargs):
    return get_object_or_404(Election.objects.select_related("session"), pk=pk)


def _get_candidacy(request, pk, **kwargs):
    return get_object_or_404(Candidacy.objects.select_related("election"), pk=pk)


@permission_required("advocacy.see_motion")
def election_list(request):
    items = Election.objects.all()
    if not request.user.has_perm("advocacy.manage_elections"):
        items = items.exclude(status=ElectionStatus.DRAFT)
    return render(request, "advocacy/election_list.html", {"items": list(items[:50])})


def _ballot_from(request, election, candidates):
    if election.method == ElectionMethod.APPROVAL:
        return request.POST.getlist("choice"), {str(pk): "1" for pk in request.POST.getlist("choice")}
    ranks, values = {}, {}
    for c in candidates:
        raw = request.POST.get(f"rank_{c.pk}", "").strip()
        values[str(c.pk)] = raw
        if raw:
            ranks[c.pk] = int(raw) if raw.isdigit() else 0
    if len(set(ranks.values())) != len(ranks) or 0 in ranks.values():
        return ["invalid"], values
    return sorted(ranks, key=ranks.get), values


@permission_required("advocacy.see_motion", fn=_get_election)
def election(request, pk):
    item = request.permission_object
    user = request.user
    if item.status == ElectionStatus.DRAFT and not user.has_perm("advocacy.manage_elections"):
        return _refused(request, services.InvalidState(_("Cette élection n'est pas encore annoncée.")))
    candidates = list(standing(item))
    organisation = user.organisation if user.has_perm("advocacy.vote_in_election") else None
    voted = organisation is not None and ElectionParticipation.objects.filter(election=item, organisation=organisation).exists()
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "stand":
                services.do_stand(actor=user, election=item, statement=request.POST.get("statement", ""))
                messages.success(request, _("Votre candidature est déposée."))
            elif kind == "ballot":
                choices, values = _ballot_from(request, item, candidates)
                services.do_cast_election_ballot(actor=user, election=item, choices=choices)
                messages.success(request, _("Le bulletin de votre organisme est déposé."))
            else:
                raise services.InvalidInput(_("Formulaire inconnu."))
        except Refusal as exc:
            errors[kind] = exc.message
            status = exc.status
        else:
            return redirect(item)
    for c in candidates:
        c.value = values.get(str(c.pk), "")
    context = {
        "item": item,
        "candidates": candidates,
        "withdrawn": list(item.candidacies.filter(withdrawn_at__isnull=False).select_related("person", "organisation")),
        "positions": range(1, len(candidates) + 1),
        "errors": errors,
        "statement": request.POST.get("statement", "") if errors.get("stand") else "",
        "may_stand": item.status == ElectionStatus.CANDIDACY and user.has_perm("advocacy.stand_for_election", item),
        "may_vote": organisation is not None and item.status == ElectionStatus.VOTING and not voted,
        "voted": voted,
        "may_manage": user.has_perm("advocacy.manage_elections", item),
        "participation": item.participations.count(),
        "eligible": eligible_organisations().count(),
        "elected": set(item.result.get("elected", [])),
        "tied": set(item.result.get("tied", [])),
    }
    for c in candidates + context["withdrawn"]:
        c.may_withdraw = item.status != ElectionStatus.CLOSED and user.has_perm("advocacy.withdraw_candidacy", c)
    return render(request, "advocacy/election.html", context, status=status)


STEPS = {
    "appel": (services.do_open_candidacies, False),
    "vote": (services.do_open_voting, False),
    "fermer": (services.do_close_election, True),
}


@require_POST
@permission_required("advocacy.manage_elections", fn=_get_election)
def election_control(request, pk, action):
    item = request.permission_object
    if action not in STEPS:
        return _refused(request, services.InvalidInput(_("Action inconnue.")), context={"back": item.get_absolute_url()})
    do, final = STEPS[action]
    if not is_confirmed(request):
        messages_for = {
            "appel": _("Les délégué·es et substitut·es seront avisé·es que les candidatures sont ouvertes."),
            "vote": _("Les candidatures se ferment et le vote s'ouvre : chaque organisme dépose un bulletin, qui ne change plus."),
            "fermer": _("Le vote se ferme, les bulletins sont comptés et le résultat est publié. Cette action est définitive."),
        }
        return confirm(request, subject=item.title, message=messages_for[action], yes=_("Oui, continuer"), back=item.get_absolute_url())
    try:
        do(actor=request.user, election=item)
    except Refusal as exc:
        return _refused(request, exc, context={"back": item.get_absolute_url()})
    messages.success(request, _("Étape franchie : %(status)s.") % {"status": Election.objects.get(pk=item.pk).get_status_display()})
    return redirect(item)


@require_POST
@permission_required("advocacy.withdraw_candidacy", fn=_get_candidacy)
def candidacy_withdraw(request, pk):
    candidacy = request.permission_object
    back = candidacy.election.get_absolute_url()
    if not is_confirmed(request):
        return confirm(
            request, subject=candidacy.name, back=back, yes=_("Oui, retirer la candidature"),
            message=_("La candidature sera retirée ; les bulletins déjà déposés qui la nomment n'en tiendront pas compte."),
        )
    try:
        services.do_withdraw_candidacy(actor=request.user, candidacy=candidacy)
    except Refusal as exc:
        return _refused(request, exc, context={"back": back})
    messages.success(request, _("La candidature est retirée."))
    return redirect(back)
