"""Two workers run the online-vote job at the same moment on PostgreSQL: each due vote is
closed once (one close in the audit log, one result notification per person), a vote whose
deadline has not come stays open, and each organisation is reminded once per reminder time."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from advocacy import services
from advocacy.models import Motion, MotionStatus, OnlineVoteReminder
from tcri_site.background.registry import jobs
from tcri_site.notifications.models import Notification

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL): real row locks and concurrent workers",
    ),
    pytest.mark.django_db(transaction=True),
]

DUE = 8


def _race(target, workers=2, rounds=3):
    errors, results = [], []
    barrier = threading.Barrier(workers)

    def work():
        try:
            for _ in range(rounds):
                barrier.wait()
                results.append(target())
        except Exception as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_two_workers_close_each_due_vote_once_and_never_early(make_orgs, project_lead):
    rows = make_orgs(3)
    due = []
    for i in range(DUE):
        motion = services.do_create_online_vote(
            actor=project_lead, title=f"Due {i}", text="Que X.", closes_at=timezone.now() + timedelta(days=1)
        )
        services.do_cast_ballot(actor=rows[i % 3][1], motion=motion, choice="for")
        due.append(motion.pk)
    Motion.objects.filter(pk__in=due).update(closes_at=timezone.now() - timedelta(seconds=1))
    later = services.do_create_online_vote(
        actor=project_lead, title="Pas encore", text="Que Y.", closes_at=timezone.now() + timedelta(hours=30)
    )
    job = jobs()["advocacy.close_online_votes"].func

    _race(job)

    assert Motion.objects.filter(pk__in=due, status=MotionStatus.CLOSED).count() == DUE
    for pk in due:
        assert ModelLogEntry.objects.filter(action="advocacy.motion.close", object_id=str(pk)).count() == 1
    later.refresh_from_db()
    assert later.status == MotionStatus.OPEN and later.closed_at is None
    results = Notification.objects.filter(recipient=rows[0][1], title__startswith="Résultat du vote en ligne")
    assert results.count() == DUE


def test_two_workers_remind_each_organisation_once(make_orgs, project_lead):
    rows = make_orgs(6)
    motion = services.do_create_online_vote(
        actor=project_lead, title="Rappels", text="Que Z.", closes_at=timezone.now() + timedelta(hours=1, minutes=30)
    )
    services.do_cast_ballot(actor=rows[0][1], motion=motion, choice="for")
    # Opened three hours before its close: the 2 h reminder is due, the 48 h one never was.
    Motion.objects.filter(pk=motion.pk).update(opened_at=timezone.now() - timedelta(hours=2))

    sent = _race(services.do_send_due_reminders)

    assert sum(sent) == 5
    assert OnlineVoteReminder.objects.filter(motion=motion, hours_before=2).count() == 5
    for _org, delegate, substitute in rows[1:]:
        for person in (delegate, substitute):
            assert Notification.objects.filter(recipient=person, title__startswith="Rappel").count() == 1
    assert not Notification.objects.filter(recipient=rows[0][1], title__startswith="Rappel").exists()
