"""For export views: answer directly when the file is small, prepare it in the worker when
it is large."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tcri_site.exports.registry import get
from tcri_site.exports.services import async_threshold, do_request_download


def prepare_if_large(request, *, kind: str, arguments: dict, title: str):
    """The redirect to a prepared download's page when the export is over the threshold
    (``EXPORTS_ASYNC_ROWS``), else ``None``: the view then builds the file itself."""
    if get(kind).count(arguments) <= async_threshold():
        return None
    download = do_request_download(actor=request.user, kind=kind, arguments=arguments, title=title)
    messages.info(request, _("Ce fichier est long à préparer : vous serez averti·e dès qu'il sera prêt."))
    return redirect(download)
