"""The outbox tests run the real database queue (django-tasks-db) and a real worker."""

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tcri_site.mail.models import OutboundEmail
from tests.smtp import smtp_server  # noqa: F401  (a fixture)

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_RETRY_BASE_SECONDS = 60  # retries wait: a test moves the clock with fast_forward()
    return settings


def fast_forward() -> None:
    """Make every delayed retry due now (the clock moved past its backoff)."""
    now = timezone.now()
    OutboundEmail.objects.filter(next_attempt_at__gt=now).update(next_attempt_at=now)
    DBTaskResult.objects.filter(run_after__gt=now).update(run_after=now)


def run_worker(worker_id: str = "test-worker") -> None:
    """One worker drains the queue (what `manage.py worker --batch` does) and returns."""
    Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="background", startup_delay=False,
        max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    ).run()
