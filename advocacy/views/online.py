"""Online votes between sittings: putting a motion or a demand to an online vote, extending
its deadline (the chair), and each délégué·e's and substitut·e's "À voter" list."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from advocacy import services
from advocacy.forms import ExtendDeadlineForm, OnlineVoteForm
from advocacy.models import Demand
from advocacy.views.common import _get_motion
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


def _demand_param(request):
    value = request.POST.get("demand") or request.GET.get("demand") or ""
    if not value:
        return None
    if not value.isdigit():
        return None
    return get_object_or_404(Demand, pk=int(value))


@permission_required("advocacy.manage_online_votes")
def online_vote_create(request):
    demand = _demand_param(request)
    initial = {"title": demand.title} if demand else {}
    form = OnlineVoteForm(request.POST or None, demand=demand, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            motion = services.do_create_online_vote(
                actor=request.user,
                demand=demand,
                title=data["title"],
                text=data["text"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                threshold=data["threshold"],
                ballot_kind=data["ballot_kind"],
                quorum_min_organisations=data["quorum_min_organisations"],
                quorum_min_percent=data["quorum_min_percent"],
            )
        except Refusal as exc:
            error = exc.message
        else:
            when = formats.date_format(timezone.localtime(motion.closes_at), "DATETIME_FORMAT")
            if motion.is_open:
                messages.success(request, _("Le vote en ligne est ouvert jusqu'au %(when)s.") % {"when": when})
            else:
                messages.success(request, _("Le vote en ligne est prévu ; il fermera le %(when)s.") % {"when": when})
            return redirect(motion)
    status = 400 if request.method == "POST" else 200
    return render(request, "advocacy/online_vote_form.html", {"form": form, "demand": demand, "error": error}, status=status)


@permission_required("advocacy.manage_online_votes", fn=_get_motion)
def online_vote_extend(request, pk):
    motion = request.permission_object
    form = ExtendDeadlineForm(request.POST or None, initial={"closes_at": timezone.localtime(motion.closes_at) if motion.closes_at else None})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.do_extend_deadline(actor=request.user, motion=motion, closes_at=form.cleaned_data["closes_at"])
        except Refusal as exc:
            error = exc.message
        else:
            when = formats.date_format(timezone.localtime(motion.closes_at), "DATETIME_FORMAT")
            messages.success(request, _("La clôture est reportée au %(when)s.") % {"when": when})
            return redirect(motion)
    status = 400 if request.method == "POST" else 200
    return render(request, "advocacy/online_vote_extend.html", {"form": form, "motion": motion, "error": error}, status=status)


@permission_required("advocacy.see_votes_awaiting")
def votes_awaiting(request):
    motions = list(services.votes_awaiting(request.user).select_related("demand"))
    return render(request, "advocacy/votes_awaiting.html", {"motions": motions})
