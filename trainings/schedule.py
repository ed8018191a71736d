"""The reminders' schedule: every hour, registrants of sessions starting within 48 hours;
every hour too, attendees of sessions that ended are invited to evaluate them, and the
answers of sessions whose evaluation closed are rewritten in random order."""

from datetime import timedelta

from tcri_site.background.registry import periodic
from trainings.services import do_invite_to_evaluations, do_send_due_reminders
from trainings.services.evaluation import do_reshuffle_closed_evaluations


@periodic("trainings.reminders", every=timedelta(hours=1))
def reminders() -> int:
    return do_send_due_reminders(actor=None)


@periodic("trainings.evaluations", every=timedelta(hours=1))
def evaluation_invitations() -> int:
    sent = do_invite_to_evaluations(actor=None)
    do_reshuffle_closed_evaluations()
    return sent
