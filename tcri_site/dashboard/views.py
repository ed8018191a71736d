import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tcri_site.dashboard.figures import all_figures, full_figure
from tcri_site.members.decorators import permission_required


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
    if figure is None or not figure.available:
        raise Http404
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tcri-{figure.key}-{stamp}.csv"'
    # The byte-order mark makes spreadsheet software read the accents correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(c) for c in figure.columns])
    for row in figure.rows:
        writer.writerow([_cell(value) for value in row])
    return response


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # Cells starting with these are read as formulas by spreadsheets (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
