"""The reminders' schedule: every hour, registrants of sessions starting within 48 hours;
every hour too, attendees of sessions that ended are invited to evaluate them."""

from datetime import timedelta

from tcri_site.background.registry import periodic
from trainings.services import do_invite_to_evaluations, do_send_due_reminders


@periodic("trainings.reminders", every=timedelta(hours=1))
def reminders() -> int:
    return do_send_due_reminders(actor=None)


@periodic("trainings.evaluations", every=timedelta(hours=1))
def evaluation_invitations() -> int:
    return do_invite_to_evaluations(actor=None)
