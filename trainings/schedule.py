"""The reminders' schedule: every hour, registrants of sessions starting within 48 hours."""

from datetime import timedelta

from tcri_site.background.registry import periodic
from trainings.services import do_send_due_reminders


@periodic("trainings.reminders", every=timedelta(hours=1))
def reminders() -> int:
    return do_send_due_reminders(actor=None)
