"""The schedule's tasks: running the declared jobs from the worker side, each at most once per period.

``tick`` is a task: it claims every job whose current period has no ``ScheduledRun`` yet
(a unique insert, so two ticks, two workers or two machines never both claim it), enqueues
``run_job`` for each claim in the same transaction, then enqueues itself for the next due
time with ``run_after``. The next tick is itself claimed as a ``ScheduledRun`` of the
pseudo-job ``TICK`` for that time, so however many ticks run there stays one chain.
``manage.py worker`` enqueues a tick when it starts: a job that came due while no worker
ran is done once then.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task, task_backends

from tcri_site.background.models import ScheduledRun
from tcri_site.background.registry import jobs

logger = logging.getLogger(__name__)

TICK = "__tick__"
KEEP_RUNS = timedelta(days=60)


def _claim(job: str, period_key: str) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, period_key=period_key)
    except IntegrityError:
        return False
    return True


@task(backend="background")
def tick() -> list[str]:
    """Claim and enqueue the due jobs; chain the next tick. Returns the jobs claimed."""
    now = timezone.now()
    declared = jobs()
    claimed = []
    with transaction.atomic():
        ScheduledRun.objects.filter(created_at__lt=now - KEEP_RUNS).delete()
        for job in declared.values():
            key = job.period_key(now)
            if _claim(job.name, key):
                claimed.append(job.name)
                run_job.enqueue(job.name, key)
        if declared and task_backends[tick.backend].supports_defer:
            next_at = min(job.next_due(now) for job in declared.values())
            if _claim(TICK, next_at.isoformat()):
                tick.using(run_after=next_at).enqueue()
    return claimed


@task(backend="background")
def run_job(name: str, period_key: str) -> str:
    """Run one claimed job and record how it went on its ``ScheduledRun``."""
    run = ScheduledRun.objects.get(job=name, period_key=period_key)
    if not ScheduledRun.objects.filter(pk=run.pk, started_at__isnull=True).update(started_at=timezone.now()):
        return "already run"  # the same claim delivered twice
    job = jobs().get(name)
    try:
        if job is None:
            raise LookupError(f"No periodic job is named {name!r} any more")
        result = job.func()
    except Exception as exc:
        logger.exception("Periodic job %s (%s) failed", name, period_key)
        ScheduledRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}")
        return "failed"
    ScheduledRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), result=str(result)[:2000])
    return "done"


def start() -> None:
    """Enqueue a tick now (a worker starting): due jobs run, the chain is (re)made."""
    tick.enqueue()
