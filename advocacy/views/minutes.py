"""The procès-verbal (reading, drafting, editing, publishing) and the exports of the record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy import services
from advocacy.forms import MinutesForm
from advocacy.models import Minutes
from advocacy.views.common import _get_session, _refused
from tcri_site.confirm import confirmation_page, is_confirmed
from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required
from tcri_site.spreadsheets import CONTENT_TYPE


@permission_required("advocacy.read_minutes", fn=_get_session)
def minutes(request, pk):
    session = request.permission_object
    record = Minutes.objects.filter(session=session).first()
    return render(
        request,
        "advocacy/minutes.html",
        {"session": session, "minutes": record, "manage": request.user.has_perm("advocacy.manage_minutes", session), **services.minutes_context(session)},
    )


@permission_required("advocacy.manage_minutes", fn=_get_session)
def minutes_edit(request, pk):
    session = request.permission_object
    record = Minutes.objects.filter(session=session).first()
    if record is None:
        try:
            record = services.do_draft_minutes(actor=request.user, session=session)
        except Refusal as exc:
            return _refused(request, exc, context={"back": session.get_absolute_url()})
    if record.is_published:
        messages.info(request, _("Le procès-verbal est publié : il ne peut plus être modifié."))
        return redirect("advocacy:minutes", pk=session.pk)
    form = MinutesForm(request.POST or None, initial={"body": record.body})
    if request.method == "POST" and form.is_valid():
        ask = _confirmation(request, session)
        if ask is not None:
            return ask
        try:
            if "redraft" in request.POST:
                services.do_draft_minutes(actor=request.user, session=session)
                messages.success(request, _("Le procès-verbal a été rédigé de nouveau à partir de la séance."))
                return redirect("advocacy:minutes_edit", pk=session.pk)
            services.do_edit_minutes(actor=request.user, minutes=record, body=form.cleaned_data["body"])
            if "publish" in request.POST:
                services.do_publish_minutes(actor=request.user, minutes=record, public=request.POST.get("public") == "1")
                messages.success(request, _("Le procès-verbal est publié."))
            else:
                messages.success(request, _("Le procès-verbal est enregistré."))
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("advocacy:minutes", pk=session.pk)
    return render(request, "advocacy/minutes_form.html", {"session": session, "form": form, "minutes": record}, status=400 if form.errors else 200)


def _confirmation(request, session):
    """Redrafting (which overwrites the edits) and publishing (never editable after) are
    confirmed first: in the page's dialog, or on this step without JavaScript."""
    if is_confirmed(request) or not ("redraft" in request.POST or "publish" in request.POST):
        return None
    back = reverse("advocacy:minutes_edit", kwargs={"pk": session.pk})
    if "redraft" in request.POST:
        return confirmation_page(
            request, title=_("Rédiger de nouveau le procès-verbal ?"), consequence=redraft_consequence(),
            button=_("Rédiger de nouveau"), back_url=back,
        )
    return confirmation_page(
        request, title=_("Publier le procès-verbal ?"), consequence=publish_consequence(),
        button=_("Enregistrer et publier"), back_url=back,
    )


def redraft_consequence() -> str:
    return _("Le texte sera remplacé par un projet rédigé de nouveau à partir de la séance : vos modifications seront perdues.")


def publish_consequence() -> str:
    return _("Le procès-verbal sera publié pour tous les organismes et ne pourra plus jamais être modifié.")


def _prepared_if_long(request, session, kind: str, title: str):
    """A long record is written by the worker for a signed-in reader (a download link when
    ready); a short one, or one asked for anonymously (public minutes), comes at once."""
    if not request.user.is_authenticated:
        return None
    from tcri_site.exports.shortcuts import prepare_if_large

    return prepare_if_large(request, kind=kind, arguments={"session": session.pk}, title=title)


@permission_required("advocacy.read_minutes", fn=_get_session)
def minutes_pdf(request, pk):
    from advocacy.exports import minutes_pdf as build

    session = request.permission_object
    prepared = _prepared_if_long(request, session, "advocacy.minutes_pdf",
                                 _("Procès-verbal (PDF) : %(title)s") % {"title": session.title})
    if prepared is not None:
        return prepared
    response = HttpResponse(build(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-{session.pk}.pdf"'
    return response


@permission_required("advocacy.read_minutes", fn=_get_session)
def results_csv(request, pk):
    from advocacy.exports import results_csv as build

    session = request.permission_object
    prepared = _prepared_if_long(request, session, "advocacy.results",
                                 _("Résultats des votes (CSV) : %(title)s") % {"title": session.title})
    if prepared is not None:
        return prepared
    response = HttpResponse(build(session), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="resultats-{session.pk}.csv"'
    return response
