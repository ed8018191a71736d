"""The outbox's periodic job: re-enqueue e-mails whose delivery was lost."""

from datetime import timedelta

from tcri_site.background.registry import periodic
from tcri_site.mail.services import sweep_outbox


@periodic("mail.sweep_outbox", every=timedelta(minutes=5))
def sweep() -> int:
    return sweep_outbox()
