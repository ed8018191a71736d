"""Reactions, follow and mute, and mention suggestions: plain forms and a JSON endpoint.

The pages work without JavaScript (each reaction is a small POST form); the live scripts
(forum/static/forum/reactions.js, mentions.js) do the same over the socket or fetch.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forum import mentions, services
from forum.errors import ForumRefusal
from forum.models import Message, Space, Thread
from tcri_site.members.decorators import permission_required


def _message(request, pk):
    return get_object_or_404(Message.objects.select_related("thread__space"), pk=pk)


@require_POST
@permission_required("forum.read_thread", fn=_message)
def message_react(request, pk):
    """``reaction=<code>:1`` sets the reaction, ``<code>:0`` removes it (idempotent)."""
    message = request.permission_object
    code, _sep, state = request.POST.get("reaction", "").partition(":")
    try:
        services.do_set_reaction(actor=request.user, message_id=message.pk, kind=code, on=state == "1")
    except ForumRefusal as error:
        flash.error(request, error.message)
    return redirect("forum:message", pk=message.pk)


@require_POST
@permission_required("forum.view_index")
def follow(request, target, pk):
    """``mode`` = follow, mute or none; back to the thread or space page."""
    try:
        state = services.do_set_follow(actor=request.user, target=target, target_id=pk, mode=request.POST.get("mode"))
    except ForumRefusal as error:
        if error.status == 404:
            raise Http404 from None
        flash.error(request, error.message)
        return redirect("forum:index")
    messages = {
        "follow": _("Vous suivez maintenant ceci : vous serez notifié·e selon vos préférences."),
        "mute": _("Mis en sourdine : seules les mentions directes vous seront notifiées."),
        None: _("Vous ne suivez plus ceci."),
    }
    flash.success(request, messages[state["mode"]])
    if target == "thread":
        return redirect("forum:thread", pk=pk)
    return redirect(get_object_or_404(Space, pk=pk))


def _thread(request, pk):
    return get_object_or_404(Thread.objects.select_related("space"), pk=pk)


@require_GET
@permission_required("forum.post_message", fn=_thread)
def mention_suggestions(request, pk):
    """The composer's autocomplete: at most 8 people and organisations who may read the thread."""
    results = mentions.suggestions(request.permission_object, request.GET.get("q", "")[:60])
    return JsonResponse({"results": results})
