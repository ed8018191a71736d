"""The download's page (its progress, then its link), its progress as JSON for the page's
script, and the file itself; all three only for the person who asked, while the kind's
permission still lets them (``exports.view_download``)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tcri_site.exports.models import DownloadStatus, PreparedDownload
from tcri_site.members.decorators import permission_required
from tcri_site.private_files import private_file_response


def _get_download(request, pk):
    return get_object_or_404(PreparedDownload, pk=pk)


def _state(download: PreparedDownload) -> dict:
    return {
        "status": download.status,
        "label": str(download.get_status_display()),
        "done": download.done,
        "total": download.total,
        "count": _("%(done)s sur %(total)s") % {"done": download.done, "total": download.total},
        "percent": download.percent,
        "ready": download.is_ready,
        "expired": download.is_expired,
        "url": reverse("exports:file", args=[download.pk]) if download.is_ready else "",
        "message": _("Le fichier n'a pas pu être préparé.") if download.status == DownloadStatus.FAILED else "",
    }


@permission_required("exports.view_download", fn=_get_download)
def download_status(request, pk):
    download = request.permission_object
    return render(request, "exports/prepared_download.html", {
        "download": download, "state": _state(download),
        "pending": download.status in (DownloadStatus.QUEUED, DownloadStatus.RUNNING),
    })


@permission_required("exports.view_download", fn=_get_download)
def download_progress(request, pk):
    response = JsonResponse(_state(request.permission_object))
    response["Cache-Control"] = "no-store"
    return response


@permission_required("exports.view_download", fn=_get_download)
def download_file(request, pk):
    download = request.permission_object
    if not download.is_ready:
        raise Http404(_("Ce fichier n'est pas prêt ou a expiré."))
    response = private_file_response(download.file, filename=download.filename, content_type=download.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
