"""The sitting's pages and actions (a module apart from ``views.votes.projector``, the vote-only page): the projector (a wall page, no site chrome), and the
chair's and representatives' actions on the projection, the list of speakers and the roll
call. Each action answers JSON to the page's script (``Accept: application/json``) and
redirects to the session page otherwise, so the page works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.errors import InvalidInput
from advocacy.models import Speech
from advocacy.services import projector as projection
from advocacy.services import rollcall, speakers
from advocacy.views.common import _get_session, _refused
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required
from tcri_site.members.models import Region


def projector_labels() -> dict:
    return {
        "waiting": _("Connexion…"),
        "live": _("En direct"),
        "offline": _("Connexion perdue, nouvelle tentative…"),
        "nothing": _("La séance va reprendre."),
        "speakers": _("Tours de parole"),
        "no_speakers": _("Personne n'a demandé la parole."),
        "speaking": _("À la parole"),
        "point_of_order": _("Point d'ordre"),
        "remaining": _("Temps restant"),
        "overtime": _("Temps dépassé"),
        "not_started": _("Chronomètre arrêté"),
        "voted": _("organismes ont voté sur"),
        "secret": _("Vote secret : les résultats seront affichés à la fermeture."),
        "for": _("Pour"),
        "against": _("Contre"),
        "abstain": _("Abstention"),
        "quorum": _("Quorum"),
        "present": _("présents sur"),
        "required": _("requis"),
        "met": _("atteint"),
        "not_met": _("non atteint"),
        "threshold": _("Majorité requise"),
        "result": _("Résultat"),
        "deleted": _("supprimé : "),
        "added": _("ajouté : "),
        "amendment": _("Amendement : texte d'origine et texte proposé"),
    }


@permission_required("advocacy.view_projector", fn=_get_session)
def projector_wall(request, pk):
    session = request.permission_object
    return render(
        request,
        "advocacy/projector_wall.html",
        {"session": session, "state": projection.projector_state(session), "labels": projector_labels()},
    )


def _answer(request, session, *, message: str = "", refusal: Refusal | None = None, anchor: str = ""):
    wants_json = "application/json" in request.headers.get("Accept", "")
    if refusal is not None:
        if wants_json:
            return JsonResponse({"ok": False, "code": refusal.code, "message": str(refusal.message)}, status=refusal.status)
        return _refused(request, refusal, context={"back": session.get_absolute_url()})
    if wants_json:
        return JsonResponse({"ok": True, "message": message})
    if message:
        messages.success(request, message)
    return redirect(session.get_absolute_url() + anchor)


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def project(request, pk):
    session = request.permission_object
    try:
        services.do_project(
            actor=request.user,
            session=session,
            kind=request.POST.get("kind", ""),
            agenda_item_id=request.POST.get("item") or None,
            motion_id=request.POST.get("motion") or None,
        )
    except Refusal as exc:
        return _answer(request, session, refusal=exc)
    return _answer(request, session, message=_("Projection mise à jour."), anchor="#projection")


SPEECH_ACTIONS = {"lower", "up", "down", "give"}


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def speakers_action(request, pk, action):
    session = request.permission_object
    user = request.user
    try:
        item = session.agenda_items.filter(pk=_int(request.POST.get("item"))).first()
        if item is None:
            raise InvalidInput(_("Ce point n'est pas à l'ordre du jour de la séance."))
        if action in SPEECH_ACTIONS:
            speech = Speech.objects.filter(pk=_int(request.POST.get("speech")), speaker_list__agenda_item=item).first()
            if speech is None:
                raise InvalidInput(_("Cette demande de parole n'existe pas."))
            if action == "lower":
                speakers.do_lower_hand(actor=user, speech=speech)
            elif action == "give":
                speakers.do_give_floor(actor=user, speech=speech)
            else:
                speakers.do_move_speech(actor=user, speech=speech, direction=action)
        elif action == "raise":
            speakers.do_raise_hand(actor=user, agenda_item=item, point_of_order=request.POST.get("point_of_order") == "1")
        elif action == "start":
            speakers.do_start_timer(actor=user, agenda_item=item)
        elif action == "stop":
            speakers.do_stop_speech(actor=user, agenda_item=item)
        elif action == "limit":
            speakers.do_set_speaking_limit(actor=user, agenda_item=item, seconds=_int(request.POST.get("minutes")) * 60 + _int(request.POST.get("seconds")))
        else:
            raise InvalidInput(_("Action inconnue."))
    except Refusal as exc:
        return _answer(request, session, refusal=exc)
    return _answer(request, session, anchor="#parole")


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def rollcall_action(request, pk, action):
    session = request.permission_object
    user = request.user
    message = ""
    try:
        if action == "ouvrir":
            rollcall.do_open_roll_call(actor=user, session=session)
            message = _("L'appel est ouvert.")
        elif action == "fermer":
            rollcall.do_close_roll_call(actor=user, session=session)
            message = _("L'appel est fermé.")
        elif action == "repondre":
            rollcall.do_check_in(actor=user, session=session, mode=request.POST.get("mode", ""))
            message = _("Votre organisme est inscrit comme présent.")
        elif action == "marquer":
            # choice: "on_site" / "online" (present, so) or "absent"
            choice = request.POST.get("choice", "")
            if choice not in ("on_site", "online", "absent"):
                raise InvalidInput(_("Choisissez : sur place, en ligne ou absent."))
            changed = rollcall.do_mark_attendance(
                actor=user, session=session, organisation_ids=request.POST.getlist("organisation"),
                present=choice != "absent", mode="" if choice == "absent" else choice,
            )
            message = _("%(n)s organisme(s) mis à jour.") % {"n": changed}
        else:
            raise InvalidInput(_("Action inconnue."))
    except Refusal as exc:
        return _answer(request, session, refusal=exc)
    return _answer(request, session, message=message, anchor="#appel")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def rollcall_filters(request) -> dict:
    """The server-side filter of the chair's roll call (``?q=`` name, ``?region=``)."""
    region = request.GET.get("region", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "region": region if region in Region.values else "",
        "regions": Region.choices,
    }
