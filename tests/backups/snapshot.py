"""What a restore must give back, read the same way from the original and the restored site:
rows per model, a few sample rows, and every file of both media roots with its checksum.

Run in another process as ``manage.py shell -c "from tests.backups.snapshot import main; main()"``.
"""

import hashlib
import json
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings


def files_of(root) -> dict[str, str]:
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def snapshot() -> dict:
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from forum.models import Attachment, Message
    from tcri_site.members.models import Membership, Organisation, User

    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            counts[meta.label] = model._base_manager.count()
    return {
        "counts": counts,
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "users": sorted(User.objects.values_list("email", "first_name", "last_name")),
        "memberships": sorted(Membership.objects.values_list("user__email", "organisation__name", "role")),
        "messages": sorted(Message.objects.values_list("body", flat=True)),
        "attachments": sorted(
            (a.name, a.file.name, hashlib.sha256(a.file.open("rb").read()).hexdigest())
            for a in Attachment.objects.all()
        ),
        "documents": sorted(get_document_model().objects.values_list("title", "file")),
        "pages": sorted(Page.objects.values_list("path", "title")),
        "media": files_of(settings.MEDIA_ROOT),
        "private_media": files_of(settings.PRIVATE_MEDIA_ROOT),
    }


def main() -> None:
    sys.stdout.write("SNAPSHOT " + json.dumps(snapshot(), sort_keys=True, default=list) + "\n")
