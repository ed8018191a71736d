"""Votes: the vote page (ballot form and live tally), the projector, opening and closing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.forms import BallotForm
from advocacy.models import Ballot, MotionStatus
from advocacy.views.common import _get_motion, _refused, inline_diff
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


def vote_labels() -> dict:
    """Labels for the live page, in the reader's language (the socket sends codes)."""
    from advocacy.models import Choice, MotionResult

    return {
        "choice": {c.value: str(c.label) for c in Choice},
        "status": {s.value: str(s.label) for s in MotionStatus},
        "result": {r.value: str(r.label) for r in MotionResult},
        "met": _("atteint"),
        "not_met": _("non atteint"),
        "connected": _("En direct"),
        "reconnecting": _("Connexion perdue, reconnexion…"),
    }


def _vote_context(request, motion, **extra):
    user = request.user
    own = None
    membership = user.active_membership if user.is_authenticated else None
    if membership:
        own = Ballot.objects.filter(motion=motion, organisation_id=membership.organisation_id).select_related("cast_by").first()
    may_vote = user.has_perm("advocacy.vote")
    context = {
        "motion": motion,
        "session": motion.session,
        "state": services.motion_state(motion),
        "labels": vote_labels(),
        "own": own,
        "may_vote": may_vote,
        "chair": user.has_perm("advocacy.chair_session", motion.session),
        "form": extra.pop("form", None) or BallotForm(initial={"choice": own.choice if own else None}),
        "diff": inline_diff(motion.amendment.base_text, motion.amendment.proposed_text) if motion.amendment_id else None,
    }
    context.update(extra)
    return context


@permission_required("advocacy.see_motion", fn=_get_motion)
def vote(request, pk):
    motion = request.permission_object
    if request.method == "POST":
        form = BallotForm(request.POST)
        choice = request.POST.get("choice", "")
        try:
            result = services.do_cast_ballot(actor=request.user, motion=motion, choice=choice)
        except Refusal as exc:
            motion.refresh_from_db()
            return render(request, "advocacy/vote.html", _vote_context(request, motion, error=exc.message, form=form), status=exc.status)
        if result.changed:
            messages.success(request, _("Votre bulletin est enregistré : %(choice)s.") % {"choice": result.ballot.get_choice_display()})
        else:
            messages.info(request, _("Ce choix était déjà enregistré ; rien n'a changé."))
        return redirect(motion)
    return render(request, "advocacy/vote.html", _vote_context(request, motion))


@permission_required("advocacy.see_motion", fn=_get_motion)
def projector(request, pk):
    motion = request.permission_object
    return render(request, "advocacy/projector.html", {"motion": motion, "state": services.motion_state(motion), "labels": vote_labels()})


@require_POST
@permission_required("advocacy.see_motion", fn=_get_motion)
def motion_control(request, pk, action):
    motion = request.permission_object
    try:
        if action == "ouvrir":
            services.do_open_motion(actor=request.user, motion=motion)
            messages.success(request, _("Le vote est ouvert."))
        elif action == "fermer":
            motion = services.do_close_motion(actor=request.user, motion=motion)
            messages.success(request, _("Le vote est fermé : %(result)s.") % {"result": motion.get_result_display()})
        else:
            raise Http404
    except Refusal as exc:
        return _refused(request, exc, context={"back": motion.get_absolute_url()})
    return redirect(motion)
