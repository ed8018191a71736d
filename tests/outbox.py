"""For tests that read Django's ``mail.outbox`` inside a test transaction (where no commit
ever runs the delivery task): deliver what the outbox holds, then give ``mail.outbox``."""

from django.core import mail

from tcri_site.mail.models import EmailStatus, OutboundEmail
from tcri_site.mail.services import deliver


def outbox() -> list:
    for pk in OutboundEmail.objects.filter(status=EmailStatus.QUEUED).order_by("pk").values_list("pk", flat=True):
        deliver(pk)
    return mail.outbox
