"""Two send_digests runs at the same time (two cron hosts, a retried job) still send each
digest once: the claim is an UPDATE on unclaimed rows that PostgreSQL serialises."""

import os
import threading

import pytest
from django.core import mail
from django.db import connection

from tcri_site.members.models import NotificationPreference as Delivery
from tcri_site.notifications.models import Digest, Kind, Notification
from tcri_site.notifications.services import notify, send_digests
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL) for real concurrent transactions",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_runs_send_each_digest_once():
    people = [UserFactory(notification_preference=Delivery.DAILY) for _ in range(6)]
    for i in range(3):
        notify(people, kind=Kind.UPDATE, title=f"Mise à jour {i}")

    barrier = threading.Barrier(3)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(send_digests("daily"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(results) == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Digest.objects.count() == len(people)
    assert set(Digest.objects.values_list("count", flat=True)) == {3}
    assert not Notification.objects.filter(digest__isnull=True).exists()
