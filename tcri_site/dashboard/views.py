from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tcri_site.dashboard.registry import all_figures, full_figure
from tcri_site.members.decorators import permission_required
from tcri_site.spreadsheets import CONTENT_TYPE, csv_bytes


@permission_required("dashboard.view")
def dashboard(request):
    return render(
        request,
        "dashboard/dashboard.html",
        {"figures": all_figures(), "generated_at": timezone.now()},
    )


@permission_required("dashboard.export")
def export_csv(request, key: str):
    figure = full_figure(key)
    if figure is None:
        raise Http404
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(csv_bytes(figure.columns, figure.rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tcri-{figure.key}-{stamp}.csv"'
    return response
