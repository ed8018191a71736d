"""``{% sitting_panel session %}``: the session page's projection controls, list of speakers
and roll call, built from the same states the sockets send (a fixed number of queries)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from advocacy.services.projector import current_item, projector_state
from advocacy.services.rollcall import roll_call_organisations, rollcall_state
from advocacy.views.sitting import rollcall_filters

register = template.Library()


def sitting_labels() -> dict:
    return {
        "raise": _("Demander la parole"),
        "raised": _("Main levée"),
        "point_of_order": _("Point d'ordre"),
        "up": _("Monter"),
        "down": _("Descendre"),
        "give": _("Donner la parole"),
        "speaking": _("À la parole"),
        "lower": _("Baisser la main"),
        "none": _("Personne n'a demandé la parole."),
        "no_item": _("Aucun point n'est en discussion : la présidence projette le point pour ouvrir sa liste."),
        "on_site": _("Sur place"),
        "online": _("En ligne"),
        "absent": _("Absent"),
        "present": _("Présent"),
        "open": _("L'appel est ouvert."),
        "closed": _("L'appel est fermé."),
        "not_started": _("chronomètre arrêté"),
        "remaining": _("restant"),
        "overtime": _("dépassement"),
        "failed": _("L'action n'a pas abouti."),
    }


@register.inclusion_tag("advocacy/_sitting.html", takes_context=True)
def sitting_panel(context, session):
    request = context["request"]
    user = request.user
    chair = user.has_perm("advocacy.chair_session", session)
    item = current_item(session)
    roll = rollcall_state(session)
    present = {row["id"]: row["mode"] or "present" for row in roll["present"]}
    membership = getattr(user, "active_membership", None)
    filters = rollcall_filters(request) if chair else {}
    organisations = []
    if chair:
        for org in roll_call_organisations(q=filters["q"], region=filters["region"]).only("pk", "name", "acronym", "region"):
            organisations.append({"org": org, "status": present.get(org.pk, "")})
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session": session,
        "chair": chair,
        "may_speak": user.has_perm("advocacy.request_floor", session),
        "may_check_in": user.has_perm("advocacy.check_in", session),
        "own_org": membership.organisation_id if membership else "",
        "own_status": present.get(membership.organisation_id, "") if membership else "",
        "item": item,
        "agenda": list(session.agenda_items.all()) if chair else [],
        "motions": list(session.motions.all()) if chair else [],
        "roll": roll,
        "organisations": organisations,
        "filters": filters,
        "initial": {
            "projector": projector_state(session),
            "rollcall": roll,
            "user": user.pk,
            "chair": chair,
            "labels": sitting_labels(),
        },
    }
