"""The consultation's pages: comments, proposing an amendment, its page and its acceptance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.forms import AmendmentForm, CommentForm
from advocacy.models import Amendment, Comment
from advocacy.views.common import _get_demand, _refused, inline_diff
from advocacy.views.lifecycle import _demand_context
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required
from tcri_site.privacy_guard.guard import IdentifiersFound


@require_POST
@permission_required("advocacy.see_demand", fn=_get_demand)
def comment_create(request, pk):
    demand = request.permission_object
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], demand=demand).first()
        try:
            services.do_comment(
                actor=request.user, demand=demand, body=form.cleaned_data["body"], parent=parent,
                confirmed=form.confirmed,
            )
        except IdentifiersFound as warning:
            form.ask_confirmation(warning, "body")
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return redirect(demand.get_absolute_url() + "#commentaires")
    status = 403 if not request.user.has_perm("advocacy.comment_demand", demand) else 400
    return render(request, "advocacy/demand_detail.html", _demand_context(request, demand, comment_form=form), status=status)


@permission_required("advocacy.see_demand", fn=_get_demand)
def amendment_create(request, pk):
    demand = request.permission_object
    if not request.user.has_perm("advocacy.amend_demand", demand):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = AmendmentForm(request.POST or None, initial={"proposed_text": demand.text})
    diff = None
    if request.method == "POST" and form.is_valid():
        diff = inline_diff(demand.text, form.cleaned_data["proposed_text"])
        try:
            amendment = services.do_propose_amendment(
                actor=request.user, demand=demand, proposed_text=form.cleaned_data["proposed_text"],
                rationale=form.cleaned_data["rationale"], confirmed=form.confirmed,
            )
        except IdentifiersFound as warning:
            form.ask_confirmation(warning, "rationale")
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre amendement est proposé."))
            return redirect(amendment)
    return render(
        request, "advocacy/amendment_form.html", {"form": form, "demand": demand, "diff": diff}, status=400 if form.errors else 200
    )


def _get_amendment(request, pk):
    amendment = get_object_or_404(Amendment.objects.select_related("demand", "organisation", "author"), pk=pk)
    return amendment


def amendment_detail(request, pk):
    amendment = _get_amendment(request, pk)
    if not request.user.has_perm("advocacy.see_demand", amendment.demand):
        raise PermissionDenied if request.user.is_authenticated else Http404
    return render(
        request,
        "advocacy/amendment_detail.html",
        {
            "amendment": amendment,
            "demand": amendment.demand,
            "diff": inline_diff(amendment.base_text, amendment.proposed_text),
            "may_accept": request.user.has_perm("advocacy.accept_amendment", amendment) and amendment.is_proposed,
        },
    )


@require_POST
def amendment_accept(request, pk):
    amendment = _get_amendment(request, pk)
    try:
        services.do_accept_amendment(actor=request.user, amendment=amendment)
    except Refusal as exc:
        return _refused(request, exc, context={"back": amendment.get_absolute_url()})
    messages.success(request, _("L'amendement est intégré au texte : une nouvelle version est enregistrée."))
    return redirect(amendment.demand)


@require_POST
@permission_required("advocacy.see_demand", fn=_get_demand)
def demand_cosign(request, pk):
    """Sign (``action=sign``) or withdraw (``action=withdraw``) for the person's organisation."""
    demand = request.permission_object
    action = request.POST.get("action")
    if action not in ("sign", "withdraw"):
        return _refused(
            request,
            services.InvalidInput(_("Action inconnue : choisissez de cosigner ou de retirer la cosignature.")),
            context={"back": demand.get_absolute_url()},
        )
    try:
        if action == "sign":
            changed = services.do_cosign(actor=request.user, demand=demand)
            text = _("Votre organisme cosigne cette revendication.") if changed else _("Votre organisme avait déjà cosigné.")
        else:
            changed = services.do_withdraw_cosignature(actor=request.user, demand=demand)
            text = _("La cosignature de votre organisme est retirée.") if changed else _("Votre organisme n'avait pas cosigné.")
    except Refusal as exc:
        return _refused(request, exc, context={"back": demand.get_absolute_url()})
    messages.success(request, text)
    return redirect(demand.get_absolute_url() + "#cosignataires")
