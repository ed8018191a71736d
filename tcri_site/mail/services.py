"""Queueing e-mails in the transaction of their cause, delivering each exactly once, and
retrying the ones the mail server refused.

An e-mail is an ``OutboundEmail`` row inserted in the caller's transaction: a rolled-back
change leaves no row and sends nothing. Once the change commits, a ``deliver_email`` task
carrying the row's id goes to the background queue. Delivery first claims the row with a
conditional UPDATE (queued -> sending), so two workers, or a task enqueued twice, never
send it twice; SMTP errors put it back in the queue with exponential backoff until
``MAIL_MAX_ATTEMPTS``. The sweeper (a scheduled job) re-enqueues rows whose task was lost.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends

from tcri_site.errors import NotAllowed
from tcri_site.mail.errors import NotFailed
from tcri_site.mail.models import BatchStatus, EmailStatus, MailBatch, OutboundEmail
from tcri_site.mail.tasks import deliver_email
from tcri_site.mail.tasks import write_batch as write_batch_task

logger = logging.getLogger(__name__)

# A row left "sending" this long was being sent by a worker that died (EMAIL_TIMEOUT bounds
# a live send far below it); a "queued" row whose task has not run this long lost its task.
STUCK_AFTER = timedelta(minutes=15)
LOST_AFTER = timedelta(minutes=10)


@dataclass
class Email:
    """One message for one recipient; ``attachments`` are (filename, content, mimetype)."""

    key: str
    to: str
    subject: str
    body: str
    html: str = ""
    headers: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    language: str = ""

    def row(self) -> OutboundEmail:
        key = self.key if len(self.key) <= 255 else self.key[:190] + ":" + hashlib.sha256(self.key.encode()).hexdigest()
        return OutboundEmail(
            key=key,
            to=self.to,
            # One line: a title with a line break must not break (or inject) mail headers.
            subject=" ".join(str(self.subject).split())[:998],
            body=str(self.body),
            html=str(self.html),
            headers={str(k): str(v) for k, v in (self.headers or {}).items()},
            attachments=[_attachment(*item) for item in self.attachments],
            language=self.language or "",
        )


def _attachment(filename: str, content, mimetype: str) -> dict:
    data = content.encode() if isinstance(content, str) else bytes(content)
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(data).decode("ascii")}


def enqueue_emails(emails: list[Email]) -> int:
    """Queue these e-mails in the current transaction; return how many rows are new.

    Call it inside the transaction of the change that causes them. A key already queued
    (the same cause for the same recipient) adds nothing. Delivery tasks are enqueued
    once the transaction commits, never for a rolled-back change.
    """
    rows = [email.row() for email in emails if email.to]
    if not rows:
        return 0
    keys = [row.key for row in rows]
    with transaction.atomic():
        existing = set(OutboundEmail.objects.filter(key__in=keys).values_list("key", flat=True))
        OutboundEmail.objects.bulk_create([r for r in rows if r.key not in existing], ignore_conflicts=True)
        new_ids = list(
            OutboundEmail.objects.filter(key__in=[k for k in keys if k not in existing], status=EmailStatus.QUEUED)
            .values_list("pk", flat=True)
        )
    if new_ids:
        transaction.on_commit(lambda: _enqueue_delivery(new_ids))
    return len(new_ids)


def enqueue_email(*, key: str, to: str, subject: str, body: str, html: str = "", headers=None,
                  attachments=(), language: str = "") -> int:
    """Queue one e-mail (see ``enqueue_emails``); return 1 if new, 0 if already queued."""
    return enqueue_emails([Email(key=key, to=to, subject=subject, body=body, html=html,
                                 headers=dict(headers or {}), attachments=list(attachments), language=language)])


def _enqueue_delivery(ids, run_after=None) -> None:
    task = deliver_email.using(run_after=run_after) if run_after is not None else deliver_email
    try:
        # One transaction for the lot (the database queue lives in the same database):
        # a convocation to 150 people commits once, not 150 times.
        with transaction.atomic():
            for pk in ids:
                task.enqueue(pk)
    except Exception:  # the rows stay queued: the sweeper enqueues them again
        logger.exception("Could not enqueue the delivery of e-mails %s", list(ids)[:20])


def enqueue_batch(builder: str, **arguments) -> MailBatch:
    """Have the worker write and queue e-mails for many people, in the transaction of their
    cause: the request stores one row instead of rendering a message per person.

    ``builder`` is the dotted path of a function called with ``arguments`` (JSON values:
    ids, ISO dates) that returns ``Email`` objects, and may store what goes with them (the
    in-app notifications); it runs in the worker's transaction, so it is done once or not
    at all. Its keys keep one message per cause and person even if it ran twice.
    """
    import_string(builder)  # a wrong path fails here, in the change that names it
    batch = MailBatch.objects.create(builder=builder, arguments=arguments)
    transaction.on_commit(lambda: _enqueue_batch_task([batch.pk]))
    return batch


def _enqueue_batch_task(ids) -> None:
    try:
        with transaction.atomic():
            for pk in ids:
                write_batch_task.enqueue(pk)
    except Exception:  # the batch stays pending: the sweeper enqueues it again
        logger.exception("Could not enqueue the mail batches %s", list(ids)[:20])


def write_batch(batch_id: int) -> str:
    """Write one pending batch if this call wins its claim; return what happened.

    The claim (pending -> done, one conditional UPDATE) opens the transaction that also
    stores what the builder returns: a second run, or a second worker, finds it done; a
    worker that dies before the commit leaves it pending for the sweeper.
    """
    try:
        with transaction.atomic():
            claimed = MailBatch.objects.filter(pk=batch_id, status=BatchStatus.PENDING).update(
                status=BatchStatus.DONE, done_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
            if not claimed:
                return "skipped"
            batch = MailBatch.objects.get(pk=batch_id)
            count = enqueue_emails(list(import_string(batch.builder)(**batch.arguments)))
            MailBatch.objects.filter(pk=batch_id).update(count=count)
    except Exception as exc:  # noqa: BLE001 - recorded on the batch, retried by the sweeper
        logger.exception("Mail batch %s failed", batch_id)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        MailBatch.objects.filter(pk=batch_id, status=BatchStatus.PENDING).update(
            attempts=F("attempts") + 1, last_error=error
        )
        MailBatch.objects.filter(
            pk=batch_id, status=BatchStatus.PENDING, attempts__gte=settings.MAIL_MAX_ATTEMPTS
        ).update(status=BatchStatus.FAILED)
        return "failed"
    return f"{count} queued"


def _supports_defer() -> bool:
    return task_backends[deliver_email.backend].supports_defer


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: base × 2^(attempts-1), at most an hour."""
    base = getattr(settings, "MAIL_RETRY_BASE_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 3600))


def deliver(email_id: int) -> str:
    """Send one queued e-mail if this call wins its claim; return what happened."""
    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        email.message().send()
    except (smtplib.SMTPException, OSError) as exc:
        return _record_failure(email, exc)
    OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return "sent"


def _record_failure(email: OutboundEmail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("E-mail %s to %s failed (attempt %s): %s", email.pk, email.to, email.attempts, error)
    if email.attempts >= settings.MAIL_MAX_ATTEMPTS:
        OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.FAILED, last_error=error, next_attempt_at=None
        )
        return "failed"
    retry_at = timezone.now() + backoff(email.attempts)
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.QUEUED, last_error=error, next_attempt_at=retry_at
    )
    if _supports_defer():  # else (the immediate backend) the sweeper will pick it up
        _enqueue_delivery([email.pk], run_after=retry_at)
    return "retry"


def sweep_outbox(now=None) -> int:
    """Re-enqueue rows whose delivery was lost: "sending" for too long (the worker died
    mid-send) or "queued" and due for too long (the task never ran), and batches still
    unwritten. Rows already sent are never touched: every change here is conditional on
    the state it read, and a batch is claimed before it is written. Returns how many."""
    now = now or timezone.now()
    stuck = OutboundEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=now - STUCK_AFTER)
    stuck.update(status=EmailStatus.QUEUED, next_attempt_at=now)
    lost = list(
        OutboundEmail.objects.filter(status=EmailStatus.QUEUED, created_at__lt=now - LOST_AFTER)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=now - LOST_AFTER) | Q(next_attempt_at=now))
        .values_list("pk", flat=True)
    )
    if lost:
        OutboundEmail.objects.filter(pk__in=lost, status=EmailStatus.QUEUED).update(next_attempt_at=now)
        _enqueue_delivery(lost)
    batches = list(
        MailBatch.objects.filter(status=BatchStatus.PENDING, created_at__lt=now - LOST_AFTER).values_list("pk", flat=True)
    )
    if batches:
        _enqueue_batch_task(batches)
    return len(lost) + len(batches)


def hold_after_restore() -> int:
    """After a restore: stop what the backup had not sent yet from going out by itself.

    A backup is a moment in the past: the e-mails it shows queued or being sent, and the
    batches it shows unwritten, have most likely gone out since, before the disaster. Sent
    again by the restored queue they would reach people twice. They are marked failed,
    with a note, so staff see them under *Courriels envoyés* and send again the ones that
    never left (``do_retry_email``). The delivery tasks the backup kept then find nothing
    to claim. Returns how many e-mails and batches were held.
    """
    from django.db import connection
    from django.utils.translation import gettext

    tables = set(connection.introspection.table_names())  # an older backup may lack one
    note = gettext("Restauré d'une sauvegarde : peut-être déjà envoyé avant la restauration. Renvoyez-le s'il n'est pas parti.")
    held = 0
    if OutboundEmail._meta.db_table in tables:
        held += OutboundEmail.objects.filter(status__in=[EmailStatus.QUEUED, EmailStatus.SENDING]).update(
            status=EmailStatus.FAILED, last_error=note, next_attempt_at=None
        )
    if MailBatch._meta.db_table in tables:
        held += MailBatch.objects.filter(status=BatchStatus.PENDING).update(status=BatchStatus.FAILED, last_error=note)
    return held


def do_retry_email(*, actor, email: OutboundEmail) -> OutboundEmail:
    """Send a failed e-mail again (staff, from the admin): back in the queue, attempts reset."""
    if not actor.has_perm("mail.retry_email", email):
        raise NotAllowed()
    with transaction.atomic():
        changed = OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.QUEUED, attempts=0, next_attempt_at=None, claimed_at=None
        )
        if not changed:
            raise NotFailed()
        transaction.on_commit(lambda: _enqueue_delivery([email.pk]))
    email.refresh_from_db()
    return email
