"""The moderation queue: reported messages, hidden or dismissed through the services.

TCRI staff work it in the Wagtail admin (``reports_queue``); a space's moderators, who have
no admin access, work the reports of their spaces on the site (``site_reports_queue``, the
same queue in the site's pages).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import services
from forum.models import Report, ReportStatus
from forum.rules import reports_q
from tcri_site.members.decorators import permission_required


def _queue(request, template: str, resolve_url: str):
    status = request.GET.get("statut", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    reports = Report.objects.filter(reports_q(request.user), status=status).select_related(
        "message__thread__space", "message__author", "reporter", "resolved_by"
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        template,
        {
            "page_obj": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "page_title": _("Signalements"),
            "query": f"statut={status}",
            "resolve_url": resolve_url,
        },
    )


def _resolve(request, pk, queue_url: str):
    report = get_object_or_404(Report.objects.filter(reports_q(request.user)), pk=pk)
    hide = request.POST.get("action") == "hide"
    services.do_resolve_report(actor=request.user, report_id=report.pk, hide=hide)
    messages.success(request, _("Message masqué.") if hide else _("Signalement rejeté."))
    return redirect(queue_url)


@permission_required("forum.moderate_any")
def reports_queue(request):
    return _queue(request, "forum/admin/reports.html", "forum_report_resolve")


@require_POST
@permission_required("forum.moderate_any")
def resolve_report(request, pk):
    return _resolve(request, pk, "forum_reports")


@permission_required("forum.work_reports")
def site_reports_queue(request):
    return _queue(request, "forum/reports.html", "forum:report_resolve")


@require_POST
@permission_required("forum.work_reports")
def site_resolve_report(request, pk):
    return _resolve(request, pk, "forum:reports")
