"""Forum sessions: the list, a session's page (agenda, quorum, the sitting panel), its
iCalendar file and the convocation. The roll call itself is advocacy.views.sitting's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import ForumSession, Minutes
from advocacy.views.common import PAGE_SIZE, _get_session, _refused
from advocacy.views.proxies import procurations_context
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required


@permission_required("advocacy.view_session")
def session_list(request):
    sessions = ForumSession.objects.annotate(n_motions=Count("motions")).order_by("-starts_at")
    page_obj = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advocacy/session_list.html", {"page_obj": page_obj})


@permission_required("advocacy.view_session", fn=_get_session)
def session_detail(request, pk):
    session = request.permission_object
    chair = request.user.has_perm("advocacy.chair_session", session)
    attendances = list(session.attendances.select_related("organisation", "person"))
    return render(
        request,
        "advocacy/session_detail.html",
        {
            "session": session,
            "agenda": list(session.agenda_items.select_related("demand", "amendment", "update")),
            "motions": list(session.motions.select_related("demand", "amendment")),
            "quorum": services.session_quorum(session),
            "attendances": attendances,
            "chair": chair,
            "minutes": Minutes.objects.filter(session=session).first(),
            **procurations_context(request, session),
            "live_labels": {
                # Singular and plural; the script picks one as the template does (n == 1).
                "line": {"one": _quorum_line(1), "other": _quorum_line(2)},
                "met": _("atteint"),
                "not_met": _("non atteint"),
            },
        },
    )


def _quorum_line(count: int) -> str:
    # The same sentence as session_detail.html's, placeholders left for the script.
    return ngettext(
        "%(p)s organisme présent sur %(t)s (quorum : %(r)s)",
        "%(p)s organismes présents sur %(t)s (quorum : %(r)s)",
        count,
    )


@permission_required("advocacy.view_session", fn=_get_session)
def session_ics(request, pk):
    session = request.permission_object
    response = HttpResponse(services.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forum-{session.pk}.ics"'
    return response


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def session_convocation(request, pk):
    session = request.permission_object
    try:
        n = services.do_send_convocation(actor=request.user, session=session)
    except Refusal as exc:
        return _refused(request, exc, context={"back": session.get_absolute_url()})
    messages.success(request, _("Convocation envoyée à %(n)s personnes.") % {"n": n})
    return redirect(session)
