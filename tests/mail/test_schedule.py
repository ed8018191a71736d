"""Periodic jobs run from the worker, once per period however many ticks or workers."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tcri_site.background import tasks as background_tasks
from tcri_site.background.models import ScheduledRun
from tcri_site.background.registry import Job, jobs, periodic
from tests.mail.conftest import run_worker

MONTREAL = ZoneInfo("America/Montreal")


def test_the_apps_declare_their_jobs():
    assert {"notifications.daily_digest", "notifications.weekly_digest", "trainings.reminders",
            "mail.sweep_outbox", "backups.nightly", "privacy_guard.retention",
            "advocacy.close_online_votes"} <= set(jobs())


def test_a_daily_job_is_due_once_its_time_has_passed_in_montreal():
    job = Job(name="t", func=lambda: None, at=time(7, 0))
    before = datetime(2026, 11, 25, 6, 59, tzinfo=MONTREAL)
    after = datetime(2026, 11, 25, 7, 0, tzinfo=MONTREAL)
    assert job.period_key(before) == "2026-11-24" and job.period_key(after) == "2026-11-25"
    assert job.next_due(before) == after
    weekly = Job(name="w", func=lambda: None, at=time(7, 0), weekday=0)  # Mondays
    assert weekly.period_key(after) == "2026-11-23"
    assert weekly.next_due(after) == datetime(2026, 11, 30, 7, 0, tzinfo=MONTREAL)
    every = Job(name="e", func=lambda: None, every=timedelta(minutes=5))
    assert every.period_key(after) == every.period_key(after + timedelta(minutes=4, seconds=59)) != every.period_key(after + timedelta(minutes=5))


def test_a_job_needs_one_period():
    with pytest.raises(ValueError):
        periodic("bad", every=timedelta(hours=1), at=time(7))
    with pytest.raises(ValueError):
        periodic("bad")


@pytest.fixture
def counted_job(monkeypatch):
    runs = []
    job = Job(name="test.nightly", func=lambda: runs.append(1) or len(runs), at=time(3, 0))
    monkeypatch.setattr(background_tasks, "jobs", lambda: {job.name: job})
    return runs


@pytest.mark.django_db(transaction=True)
def test_a_job_due_while_no_worker_ran_is_done_once_when_one_starts(database_queue, counted_job):
    # Two workers start (two ticks enqueued), then drain the queue: the job runs once.
    background_tasks.start()
    background_tasks.start()
    run_worker("first")
    run_worker("second")
    assert counted_job == [1]
    (run,) = ScheduledRun.objects.filter(job="test.nightly")
    assert run.finished_at is not None and run.result == "1" and run.error == ""
    # One chain goes on: one tick waiting for the next due time, not one per start.
    waiting = DBTaskResult.objects.filter(task_path=background_tasks.tick.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after is not None

    # A worker started again in the same period does nothing more.
    call_command("worker", batch=True, interval=0, verbosity=0)
    assert counted_job == [1]
    assert waiting.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_and_not_retried_in_its_period(database_queue, monkeypatch):
    def broken():
        raise RuntimeError("disk full")

    job = Job(name="test.broken", func=broken, every=timedelta(hours=1))
    monkeypatch.setattr(background_tasks, "jobs", lambda: {job.name: job})
    background_tasks.start()
    run_worker()
    background_tasks.start()
    run_worker()
    (run,) = ScheduledRun.objects.filter(job="test.broken")
    assert "disk full" in run.error
