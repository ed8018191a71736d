"""Make the thumbnails of attached images stored before thumbnails existed.

New uploads get theirs when posted (forum/services/previews.py); until this runs, older
images show as file cards. Idempotent: images that have a thumbnail are skipped.
"""

from django.core.management.base import BaseCommand

from forum import services
from forum.files import IMAGE_TYPES
from forum.models import Attachment


class Command(BaseCommand):
    help = "Make missing thumbnails of forum image attachments (idempotent)."

    def handle(self, *args, **options):
        pending = Attachment.objects.filter(content_type__in=IMAGE_TYPES, preview="").select_related("message")
        made = services.do_make_missing_previews(pending.iterator(chunk_size=200))
        self.stdout.write(f"{made} thumbnail(s) made.")
