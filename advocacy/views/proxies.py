"""Procurations on the session page: the giving organisation's délégué·e or substitut·e
requests one, the chair confirms or refuses it, either withdraws it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import ACTIVE_PROCURATION_STATES, ForumSessionStatus, Procuration
from advocacy.services.common import eligible_organisations
from advocacy.views.common import _get_session, _refused
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required
from tcri_site.members.models import Membership, Role, User


def procurations_context(request, session) -> dict:
    """What the session page's procuration section needs: three queries."""
    user = request.user
    membership = user.active_membership if user.is_authenticated else None
    active = list(services.session_procurations(session, confirmed_only=False).filter(status__in=ACTIVE_PROCURATION_STATES))
    may_request = bool(
        membership
        and membership.role in (Role.DELEGUE, Role.SUBSTITUT)
        and membership.organisation.is_active
        and membership.organisation.pasi_participant
        and session.status != ForumSessionStatus.ENDED
        and not any(p.giver_id == membership.organisation_id for p in active)
    )
    holders = []
    if may_request:
        holders = list(
            Membership.objects.filter(
                is_active=True, role=Role.DELEGUE, organisation__in=eligible_organisations(), user__is_active=True
            )
            .exclude(organisation_id=membership.organisation_id)
            .select_related("user", "organisation")
            .order_by("organisation__name")
        )
    return {
        "procurations": active,
        "procuration_may_request": may_request,
        "procuration_holders": holders,
        "procuration_own_org": membership.organisation_id if membership else None,
        "procuration_max": session.max_procurations_held,
    }


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def procuration_request(request, pk):
    session = request.permission_object
    raw = request.POST.get("holder", "")
    holder = User.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None
    back = session.get_absolute_url() + "#procurations"
    try:
        if holder is None:
            raise services.InvalidInput(_("Choisissez le·la délégué·e qui portera votre procuration."))
        services.do_request_procuration(actor=request.user, session=session, holder=holder)
    except Refusal as exc:
        return _refused(request, exc, context={"back": back})
    messages.success(request, _("Procuration demandée : la présidence doit la confirmer."))
    return redirect(back)


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def procuration_decide(request, pk, procuration_id, action):
    session = request.permission_object
    procuration = get_object_or_404(Procuration.objects.select_related("session"), pk=procuration_id, session=session)
    back = session.get_absolute_url() + "#procurations"
    do = {
        "confirmer": (services.do_confirm_procuration, _("Procuration confirmée.")),
        "refuser": (services.do_refuse_procuration, _("Procuration refusée.")),
        "retirer": (services.do_withdraw_procuration, _("Procuration retirée.")),
    }.get(action)
    if do is None:
        raise Http404
    try:
        do[0](actor=request.user, procuration=procuration)
    except Refusal as exc:
        return _refused(request, exc, context={"back": back})
    messages.success(request, do[1])
    return redirect(back)
