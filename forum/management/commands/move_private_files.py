"""Move private files (forum attachments) stored under MEDIA_ROOT to PRIVATE_MEDIA_ROOT.

The forum migration does it once; run this again after restoring an old MEDIA_ROOT backup.
"""

from django.core.management.base import BaseCommand

from forum.models import Attachment
from tcri_site.private_files import move_to_private_root


class Command(BaseCommand):
    help = "Move forum attachments from MEDIA_ROOT to PRIVATE_MEDIA_ROOT (idempotent)."

    def handle(self, *args, **options):
        moved = move_to_private_root(Attachment.objects.values_list("file", flat=True).iterator())
        self.stdout.write(f"{moved} file(s) moved to the private root.")
