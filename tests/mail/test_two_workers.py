"""Two workers on PostgreSQL drain 500 queued e-mails: every one sent, none twice. The
queue hands each task to one worker (row locks, SKIP LOCKED) and each outbox row is
claimed by one conditional UPDATE, so even a task run twice sends nothing more."""

import os
import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from tcri_site.mail.models import EmailStatus, OutboundEmail
from tcri_site.mail.services import Email, _enqueue_delivery, enqueue_emails
from tests.mail.conftest import run_worker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL): SQLite has one writer, no concurrent workers to test",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_send_500_emails_once_each(database_queue, smtp_server):
    with transaction.atomic():
        enqueue_emails([
            Email(key=f"bulk:{i}", to=f"personne{i}@test.tcri.example", subject=f"Message {i}", body="x")
            for i in range(500)
        ])
    # A delivery task enqueued twice for 50 of them (a sweeper that came too early).
    _enqueue_delivery(list(OutboundEmail.objects.order_by("pk").values_list("pk", flat=True)[:50]))

    errors = []

    def work(name):
        try:
            run_worker(name)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    counts = Counter(smtp_server.recipients())
    assert len(counts) == 500 and set(counts.values()) == {1}
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 500
    workers = Counter(w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids)
    assert set(workers) == {"worker-0", "worker-1"}  # both took a share of the queue
