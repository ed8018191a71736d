"""The trainings' exports: the participation report (its CSV prepared by the worker when
long) and the zip of a session's certificates (always prepared by the worker)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tcri_site.exports.services import do_request_download
from tcri_site.exports.shortcuts import prepare_if_large
from tcri_site.members.decorators import permission_required
from tcri_site.spreadsheets import CONTENT_TYPE
from trainings import exports, services
from trainings.forms import ReportForm
from trainings.models import TrainingSession


def _session_obj(request, pk):
    return get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)


@require_POST
@permission_required("trainings.download_session_certificates", fn=_session_obj)
def session_certificates(request, pk):
    """Every attendee's certificate in one zip, prepared by the worker (a PDF each)."""
    session = request.permission_object
    download = do_request_download(
        actor=request.user, kind="trainings.session_certificates", arguments={"session": session.pk},
        title=_("Attestations de la séance du %(date)s : %(title)s") % {
            "date": date_format(timezone.localtime(session.starts_at), "SHORT_DATE_FORMAT"),
            "title": session.training.title,
        },
    )
    messages.info(request, _("Les attestations sont en préparation : vous serez averti·e dès que le fichier sera prêt."))
    return redirect(download)


@permission_required("trainings.view_reports")
def reports(request):
    form = ReportForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    dimension = data.get("par") or "organisation"
    rows = exports.participation(dimension, data.get("du"), data.get("au"))
    largest = max((r.registered for r in rows), default=0)
    for row in rows:
        row.width = round(100 * row.registered / largest) if largest else 0
        row.attended_width = round(100 * row.attended / largest) if largest else 0
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainings/reports.html",
        {
            "form": form,
            "rows": rows,
            "chart_rows": rows[:25],
            "dimension_label": dict(ReportForm.DIMENSIONS)[dimension],
            "evaluations": services.evaluation.trainings_overview(limit=10, start=data.get("du"), end=data.get("au")),
            "query": query.urlencode(),
            "total_registered": sum(r.registered for r in rows),
            "total_attended": sum(r.attended for r in rows),
        },
    )


@permission_required("trainings.view_reports")
def reports_csv(request):
    form = ReportForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    dimension = data.get("par") or "organisation"
    arguments = {"par": dimension, **{k: data[k].isoformat() for k in ("du", "au") if data.get(k)}}
    prepared = prepare_if_large(request, kind="trainings.participation", arguments=arguments,
                                title=_("Participation aux formations (CSV)"))
    if prepared is not None:  # over EXPORTS_ASYNC_ROWS rows: the worker writes it
        return prepared
    rows = exports.participation(dimension, data.get("du"), data.get("au"))
    body = exports.participation_csv(rows, str(dict(ReportForm.DIMENSIONS)[dimension]))
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="participation-{dimension}.csv"'
    return response


@permission_required("trainings.view_registrations", fn=_session_obj)
def registrations_csv(request, pk):
    """The session's registrations with one column per registration question."""
    session = request.permission_object
    body = exports.registrations_csv(session)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="inscriptions-seance-{session.pk}.csv"'
    return response
