"""Votes: the vote page (one ballot per organisation the person votes for, or why they may
not vote; the live tally), the projector, opening and closing (closing asks to confirm),
and the ballots the chair enters for an organisation voting on paper, by phone or by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import ENTERED_CHANNELS, Choice, MotionStatus
from advocacy.services.common import eligible_organisations
from advocacy.views.common import _get_motion, _refused, inline_diff
from tcri_site.confirm import confirmation_page, is_confirmed
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


def vote_labels() -> dict:
    """Labels for the live page, in the reader's language (the socket sends codes)."""
    from advocacy.models import BallotChannel, MotionResult

    return {
        "choice": {c.value: str(c.label) for c in Choice},
        "status": {s.value: str(s.label) for s in MotionStatus},
        "result": {r.value: str(r.label) for r in MotionResult},
        "channel": {c.value: str(c.label) for c in BallotChannel},
        "proxy": _("par procuration"),
        "met": _("atteint"),
        "not_met": _("non atteint"),
        "connected": _("En direct"),
        "reconnecting": _("Connexion perdue, reconnexion…"),
        "counts_hidden": SECRET_COUNTS_HIDDEN,
    }


#: What the tally says instead of a secret vote's counts while it is open.
SECRET_COUNTS_HIDDEN = gettext_lazy("Vote secret : le décompte reste caché jusqu'à la fermeture du vote ; seul le nombre d'organismes ayant voté est affiché.")


def _unvoted_organisations(motion):
    """For the chair's entry form: eligible organisations without a ballot (one query)."""
    from advocacy.services.ballots import who_voted

    return eligible_organisations().exclude(pk__in=who_voted(motion).values("organisation_id")).order_by("name")


def _vote_context(request, motion, **extra):
    user = request.user
    rights = services.voting_rights(user, motion)
    chair = user.has_perm("advocacy.chair_session", motion.session)
    context = {
        "motion": motion,
        "session": motion.session,
        "motion_text": motion.text or (motion.demand.text if motion.demand_id else ""),
        "state": services.motion_state(motion),
        "labels": vote_labels(),
        "rights": rights,
        "choices": Choice.choices,
        "chair": chair,
        "entry_channels": [(c.value, c.label) for c in ENTERED_CHANNELS],
        "unvoted": list(_unvoted_organisations(motion)) if chair and motion.is_open else [],
        "diff": inline_diff(motion.amendment.base_text, motion.amendment.proposed_text) if motion.amendment_id else None,
    }
    context.update(extra)
    return context


def _organisation_param(request) -> int | None:
    value = request.POST.get("organisation", "")
    return int(value) if value.isdigit() else None


@permission_required("advocacy.see_motion", fn=_get_motion)
def vote(request, pk):
    motion = request.permission_object
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            result = services.do_cast_ballot(actor=request.user, motion=motion, choice=choice, organisation=_organisation_param(request))
        except Refusal as exc:
            motion.refresh_from_db()
            return render(request, "advocacy/vote.html", _vote_context(request, motion, error=exc.message), status=exc.status)
        if motion.is_secret:
            messages.success(
                request,
                _("Le bulletin secret de %(org)s est dans l'urne. Il ne peut plus être changé.") % {"org": result.ballot.organisation.name},
            )
        elif result.changed:
            messages.success(
                request,
                _("Le bulletin de %(org)s est enregistré : %(choice)s.")
                % {"org": result.ballot.organisation.name, "choice": result.ballot.get_choice_display()},
            )
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
def enter_ballot(request, pk):
    motion = request.permission_object
    try:
        ballot = services.do_enter_ballot(
            actor=request.user,
            motion=motion,
            organisation=_organisation_param(request) or 0,
            choice=request.POST.get("choice", ""),
            channel=request.POST.get("channel", ""),
        )
    except Refusal as exc:
        motion.refresh_from_db()
        return render(request, "advocacy/vote.html", _vote_context(request, motion, entry_error=exc.message), status=exc.status)
    if motion.is_secret:
        messages.success(
            request,
            _("Bulletin secret de %(org)s saisi (%(channel)s) et déposé dans l'urne.")
            % {"org": ballot.organisation.name, "channel": ballot.get_channel_display().lower()},
        )
        return redirect(motion)
    messages.success(
        request,
        _("Bulletin de %(org)s saisi (%(channel)s) : %(choice)s.")
        % {"org": ballot.organisation.name, "channel": ballot.get_channel_display().lower(), "choice": ballot.get_choice_display()},
    )
    return redirect(motion)


@require_POST
@permission_required("advocacy.see_motion", fn=_get_motion)
def motion_control(request, pk, action):
    motion = request.permission_object
    try:
        if action == "ouvrir":
            services.do_open_motion(actor=request.user, motion=motion)
            messages.success(request, _("Le vote est ouvert."))
        elif action == "fermer":
            services.check_may_chair(actor=request.user, motion=motion)
            if motion.is_open and not is_confirmed(request):
                return confirmation_page(
                    request,
                    title=_("Fermer le vote ?"),
                    consequence=close_consequence(),
                    button=_("Fermer le vote"),
                    back_url=motion.get_absolute_url(),
                )
            motion = services.do_close_motion(actor=request.user, motion=motion)
            messages.success(request, _("Le vote est fermé : %(result)s.") % {"result": motion.get_result_display()})
        else:
            raise Http404
    except Refusal as exc:
        return _refused(request, exc, context={"back": motion.get_absolute_url()})
    return redirect(motion)


def close_consequence() -> str:
    return _(
        "Plus aucun bulletin ne sera reçu ni changé. Le décompte, le quorum et le résultat seront arrêtés "
        "et la revendication ou l'amendement sera adopté ou rejeté en conséquence. Cela ne peut pas être annulé."
    )
