"""Asking for a prepared download, building it in the worker, and purging it once expired.

The request stores a ``PreparedDownload`` row and, once that commits, a ``build_download``
task carrying its id. The worker claims the row (queued -> running, one conditional
UPDATE: a task run twice builds once), counts the units of work, writes the file to the
private storage while it records its progress, marks it ready with its expiry and tells
the person through an in-app notification whose link is the download's page.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tcri_site.errors import NotAllowed
from tcri_site.exports.models import DownloadStatus, PreparedDownload
from tcri_site.exports.registry import get
from tcri_site.exports.tasks import build_download

logger = logging.getLogger(__name__)

# How often the worker writes the progress down (the status page reads it).
PROGRESS_EVERY_SECONDS = 0.5


def keep_for() -> timedelta:
    """How long a ready file is kept (``EXPORTS_KEEP_HOURS``, default 48)."""
    return timedelta(hours=getattr(settings, "EXPORTS_KEEP_HOURS", 48))


def async_threshold() -> int:
    """Exports above this many rows are prepared by the worker (``EXPORTS_ASYNC_ROWS``)."""
    return getattr(settings, "EXPORTS_ASYNC_ROWS", 2000)


def do_request_download(*, actor, kind: str, arguments: dict, title: str) -> PreparedDownload:
    """Queue the building of a file for ``actor``; raise ``NotAllowed`` if the kind's
    permission refuses them (the same permission is asked again when they fetch it)."""
    if not get(kind).allows(actor, arguments):
        raise NotAllowed()
    with transaction.atomic():
        download = PreparedDownload.objects.create(
            requested_by=actor, kind=kind, arguments=arguments, title=str(title)[:255]
        )
        transaction.on_commit(lambda: build_download.enqueue(download.pk))
    return download


def build(download_id: int) -> str:
    """Build one queued download if this call wins its claim; return what happened."""
    claimed = PreparedDownload.objects.filter(pk=download_id, status=DownloadStatus.QUEUED).update(
        status=DownloadStatus.RUNNING
    )
    if not claimed:
        return "skipped"
    download = PreparedDownload.objects.select_related("requested_by").get(pk=download_id)
    try:
        kind = get(download.kind)
        total = kind.count(download.arguments)
        PreparedDownload.objects.filter(pk=download.pk).update(total=total)
        progress = {"done": 0, "written": time.monotonic()}

        def step(n: int = 1) -> None:
            progress["done"] += n
            if time.monotonic() - progress["written"] >= PROGRESS_EVERY_SECONDS:
                progress["written"] = time.monotonic()
                PreparedDownload.objects.filter(pk=download.pk).update(done=progress["done"])

        with tempfile.TemporaryFile() as out:
            kind.write(download.arguments, out, step)
            out.seek(0)
            filename = kind.filename(download.arguments)
            download.file.save(filename, File(out), save=False)
    except Exception as exc:  # noqa: BLE001 - recorded on the row, shown on its page
        logger.exception("Prepared download %s failed", download_id)
        PreparedDownload.objects.filter(pk=download_id).update(
            status=DownloadStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return "failed"
    now = timezone.now()
    with transaction.atomic():
        PreparedDownload.objects.filter(pk=download.pk).update(
            status=DownloadStatus.READY, file=download.file.name, filename=filename,
            content_type=kind.content_type, done=max(progress["done"], total), total=max(progress["done"], total),
            finished_at=now, expires_at=now + keep_for(),
        )
        _notify_ready(download)
    return "ready"


def _notify_ready(download: PreparedDownload) -> None:
    from tcri_site.notifications.models import Kind
    from tcri_site.notifications.services import notify

    title = download.title
    notify(
        [download.requested_by],
        kind=Kind.DOWNLOAD,
        title=lambda: _("Votre fichier est prêt : %(title)s") % {"title": title},
        url=download.get_absolute_url,
    )


def purge_expired(now=None) -> int:
    """Delete the files and rows of expired downloads, and failed ones as old; return how
    many."""
    now = now or timezone.now()
    expired = PreparedDownload.objects.filter(
        Q(expires_at__lte=now) | Q(status=DownloadStatus.FAILED, created_at__lte=now - keep_for())
    )
    purged = 0
    for download in expired.iterator():
        download.delete()  # its file goes with it (tcri_site.exports.apps)
        purged += 1
    return purged
