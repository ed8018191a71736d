"""Rebuild the search index from scratch, with a progress bar per content type."""

from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchUnavailable, get_backend
from search.indexing import rebuild
from tcri_site.seeding import Progress


class Command(BaseCommand):
    help = "Empty the search index and index every searchable object again."

    def handle(self, *args, **options):
        backend = get_backend()
        self.stdout.write(f"Search backend: {backend.name}")
        try:
            count = rebuild(progress=lambda total, label: Progress(total, label, self.stdout))
        except SearchUnavailable as exc:
            raise CommandError(f"The search engine is unavailable: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{count} documents indexed."))
