"""Send the daily or weekly notification digests. Run it from cron; running it twice is safe."""

from django.core.management.base import BaseCommand, CommandError

from tcri_site.notifications.models import Frequency
from tcri_site.notifications.services import send_digests


class Command(BaseCommand):
    help = (
        "Send each person their notification digest (daily or weekly) once. "
        "Notifications already sent in a digest are never sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            help="Which digest to send: daily or weekly.",
        )

    def handle(self, *args, frequency: str, **options):
        value = (frequency or "").strip().lower()
        if value not in Frequency.values:
            raise CommandError(
                f"--frequency must be one of: {', '.join(Frequency.values)} (got {frequency!r})."
            )
        sent = send_digests(value)
        self.stdout.write(self.style.SUCCESS(f"{sent} {value} digest(s) sent."))
