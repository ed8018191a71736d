"""The moderation queue: reported messages, hidden or dismissed through the services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import services
from forum.models import Report, ReportStatus
from tcri_site.members.decorators import permission_required


@permission_required("forum.moderate_any")
def reports_queue(request):
    status = request.GET.get("statut", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    reports = Report.objects.filter(status=status).select_related(
        "message__thread__space", "message__author", "reporter", "resolved_by"
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "forum/admin/reports.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "page_title": _("Signalements"),
            "query": f"statut={status}",
        },
    )


@require_POST
@permission_required("forum.moderate_any")
def resolve_report(request, pk):
    report = get_object_or_404(Report, pk=pk)
    hide = request.POST.get("action") == "hide"
    services.do_resolve_report(user=request.user, report_id=report.pk, hide=hide)
    messages.success(request, _("Message masqué.") if hide else _("Signalement rejeté."))
    return redirect("forum_reports")
