"""Following or muting a demand from its page (a plain form)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.views.common import _get_demand
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


@require_POST
@permission_required("advocacy.follow_demand", fn=_get_demand)
def demand_follow(request, pk):
    demand = request.permission_object
    try:
        mode, _changed = services.do_follow_demand(actor=request.user, demand=demand, mode=request.POST.get("mode"))
    except Refusal as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            {
                "follow": _("Vous suivez cette revendication : commentaires, amendements et étapes vous seront notifiés."),
                "mute": _("Revendication en sourdine."),
                None: _("Vous ne suivez plus cette revendication."),
            }[mode],
        )
    return redirect(demand)
