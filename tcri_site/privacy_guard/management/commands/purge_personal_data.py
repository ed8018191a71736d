"""Apply the retention periods (settings.RETENTION_*); ``--dry-run`` lists what would go."""

from django.core.management.base import BaseCommand

from tcri_site.privacy_guard.purge import run_retention


class Command(BaseCommand):
    help = "Détruit, anonymise ou désactive ce dont la durée de conservation est échue."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Lister sans rien changer.")

    def handle(self, *args, dry_run=False, **options):
        for outcome in run_retention(dry_run=dry_run):
            verb = "would go" if dry_run else ("done" if outcome.done else "nothing")
            ids = ", ".join(str(pk) for pk in outcome.ids) or "-"
            self.stdout.write(f"{outcome.key}: {outcome.count} ({verb}) — {outcome.label}\n  ids: {ids}")
