"""Files only some people may read: stored outside MEDIA_ROOT, served by permission-checked views.

Anything under MEDIA_ROOT may end up served to anyone at a guessable address (``/media/...``
by the web server or the demo). Private files (forum attachments) live instead under
``PRIVATE_MEDIA_ROOT`` (environment variable of the same name, default ``private_media/``
beside manage.py), in the ``private`` storage of ``STORAGES``, which has no URL at all.
Models select it with ``storage=private_storage`` (a callable, so migrations do not depend
on the path). The one way to send such a file is ``private_file_response`` from a view that
checked permissions first: a ``FileResponse`` by default, or, when
``PRIVATE_MEDIA_X_ACCEL_PREFIX`` is set (production behind nginx, docs/deployment.md), an
empty response whose ``X-Accel-Redirect`` header has nginx send the file from an
``internal`` location.

``move_to_private_root`` moves files that older versions stored under MEDIA_ROOT (used by
the forum's data migration and the ``move_private_files`` command).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

STORAGE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without public URLs: ``url()`` refuses, so no template can link
    a private file past the view that checks permissions."""

    def url(self, name):
        raise ValueError("Private files have no public URL: link the permission-checked view instead.")


def private_storage():
    return storages[STORAGE_ALIAS]


def private_file_response(fieldfile, *, filename: str, content_type: str | None = None, as_attachment: bool = True):
    """The response sending ``fieldfile`` (of a field on ``private_storage``); permissions
    must have been checked by the caller."""
    prefix = getattr(settings, "PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        return response
    response = FileResponse(fieldfile.open("rb"), as_attachment=as_attachment, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    return response


def move_to_private_root(names, *, media_root=None, private_root=None) -> int:
    """Move each stored file name found under MEDIA_ROOT to the same name under the private
    root (kept where it is when already there). Returns how many files were moved."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    moved = 0
    for name in names:
        if not name:
            continue
        source = media_root / name
        target = private_root / name
        if not source.is_file() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(target))
        moved += 1
    return moved
