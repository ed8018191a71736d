"""E-mail a reminder to people registered for a session starting soon. Safe to run often."""

from django.core.management.base import BaseCommand

from trainings.services import REMINDER_HOURS, do_send_due_reminders


class Command(BaseCommand):
    help = "Send reminders for training sessions starting soon (never twice to the same person)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=REMINDER_HOURS,
            help="Remind people of sessions starting within this many hours (default %(default)s).",
        )

    def handle(self, *args, hours: int, **options):
        sent = do_send_due_reminders(actor=None, hours=hours)
        self.stdout.write(f"{sent} reminder(s) sent.")
