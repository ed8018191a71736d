"""For tests that read Django's ``mail.outbox`` inside a test transaction (where no commit
ever runs the batch and delivery tasks): write the pending batches, deliver what the
outbox holds, then give ``mail.outbox``."""

from django.core import mail

from tcri_site.mail.models import BatchStatus, EmailStatus, MailBatch, OutboundEmail
from tcri_site.mail.services import deliver, write_batch


def write_batches() -> None:
    """What the worker does after a commit for e-mails to many people (a convocation):
    their notifications and messages are written."""
    for pk in MailBatch.objects.filter(status=BatchStatus.PENDING).order_by("pk").values_list("pk", flat=True):
        write_batch(pk)


def outbox() -> list:
    write_batches()
    for pk in OutboundEmail.objects.filter(status=EmailStatus.QUEUED).order_by("pk").values_list("pk", flat=True):
        deliver(pk)
    return mail.outbox
