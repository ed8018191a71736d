"""E-mail goes through the outbox: queued with its cause, delivered once by a worker to a
real SMTP server, retried while the server refuses, visible to staff, retried by them."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from advocacy.models import ForumSession
from advocacy.services import do_send_convocation
from tcri_site.mail.models import EmailStatus, OutboundEmail
from tcri_site.mail.services import enqueue_email, sweep_outbox
from tcri_site.members.models import Role
from tests.factories import OrganisationFactory, make_member
from tests.mail.conftest import fast_forward, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rolled_back_change_queues_and_sends_nothing(database_queue, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(key="test:1", to="personne@test.tcri.example", subject="Objet", body="Texte")
        assert OutboundEmail.objects.count() == 1
        raise RuntimeError("the change fails")
    assert OutboundEmail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    run_worker()
    assert smtp_server.messages == []


def test_one_cause_queues_one_row_and_the_request_does_not_send(database_queue, smtp_server):
    with transaction.atomic():
        assert enqueue_email(key="test:2", to="a@test.tcri.example", subject="Objet\nsur deux lignes", body="x") == 1
        assert enqueue_email(key="test:2", to="a@test.tcri.example", subject="Objet", body="x") == 0
    assert smtp_server.messages == []  # committed, queued, not sent by the caller
    row = OutboundEmail.objects.get()
    assert row.status == EmailStatus.QUEUED and row.subject == "Objet sur deux lignes"
    run_worker()
    assert smtp_server.recipients() == ["a@test.tcri.example"]
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.attempts == 1 and row.sent_at is not None


def _sixty_delegates():
    people = []
    for i in range(60):
        organisation = OrganisationFactory(volets=[1 + i % 5])
        people.append(make_member(organisation, Role.DELEGUE, language="en" if i % 3 == 0 else "fr"))
    return people


def test_mail_server_down_during_a_convocation_then_back(database_queue, smtp_server, project_lead, client):
    delegates = _sixty_delegates()
    start = timezone.now() + timedelta(days=3)
    session = ForumSession.objects.create(title="Séance d'automne", starts_at=start,
                                          ends_at=start + timedelta(hours=2), place="Montréal", chair=project_lead)
    smtp_server.refuse()
    assert do_send_convocation(actor=project_lead, session=session) == 60
    assert smtp_server.recorder.refused == 0  # the chair's request sent nothing itself
    run_worker()
    assert smtp_server.recorder.refused == 60 and smtp_server.messages == []
    rows = OutboundEmail.objects.all()
    assert {(r.status, r.attempts) for r in rows} == {(EmailStatus.QUEUED, 1)}
    assert all("451" in r.last_error for r in rows)

    # Staff see the failed attempts in the admin meanwhile.
    client.force_login(project_lead)
    page = client.get(reverse("outbox:index"), {"status": EmailStatus.QUEUED})
    assert page.status_code == 200
    html = page.content.decode()
    assert "451" in html and delegates[-1].email in html  # the newest first, 50 a page

    smtp_server.accept()
    fast_forward()
    run_worker()
    assert sorted(smtp_server.recipients()) == sorted(p.email for p in delegates)  # each exactly once
    for _rcpts, message in smtp_server.messages:
        (ics,) = [part for part in message.iter_attachments() if part.get_filename() == "convocation.ics"]
        assert "BEGIN:VCALENDAR" in ics.get_content() and "Séance d'automne" in ics.get_content()
    english = next(m for r, m in smtp_server.messages if r == [delegates[0].email])
    assert "Notice of meeting" in english["Subject"] or "Convocation" in english["Subject"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    run_worker()  # nothing left: no second copy
    assert len(smtp_server.messages) == 60


def test_staff_retry_a_failed_email_others_may_not(database_queue, smtp_server, settings, project_lead, member, client):
    settings.MAIL_MAX_ATTEMPTS = 1
    smtp_server.refuse("550 5.1.1 Mailbox unavailable")
    with transaction.atomic():
        enqueue_email(key="test:3", to="b@test.tcri.example", subject="Objet", body="x")
    run_worker()
    row = OutboundEmail.objects.get()
    assert row.status == EmailStatus.FAILED and "550" in row.last_error
    smtp_server.accept()
    url = reverse("mail_retry", args=[row.pk])

    client.force_login(member)
    assert client.post(url).status_code in (302, 403)
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED

    client.force_login(project_lead)
    listing = client.get(reverse("outbox:index"), {"status": EmailStatus.FAILED})
    assert url in listing.content.decode()
    assert client.post(url).status_code == 302
    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED and row.attempts == 0
    assert client.post(url).status_code == 302  # not failed any more: refused, nothing changes
    run_worker()
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and smtp_server.recipients() == ["b@test.tcri.example"]


def test_a_stalled_server_is_a_failed_attempt_retried_later(database_queue, smtp_server, settings):
    settings.EMAIL_TIMEOUT = 1
    smtp_server.stall(2.5)
    with transaction.atomic():
        enqueue_email(key="test:4", to="c@test.tcri.example", subject="Objet", body="x")
    run_worker("stalled")
    row = OutboundEmail.objects.get()
    assert row.status == EmailStatus.QUEUED and row.attempts == 1 and "timed out" in row.last_error.lower()
    smtp_server.accept()
    fast_forward()
    run_worker()
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT


def test_the_sweeper_requeues_lost_deliveries_but_never_a_sent_one(database_queue, smtp_server):
    with transaction.atomic():
        for i in range(3):
            enqueue_email(key=f"test:sweep:{i}", to=f"s{i}@test.tcri.example", subject="Objet", body="x")
    DBTaskResult.objects.all().delete()  # the worker died: the tasks are gone
    long_ago = timezone.now() - timedelta(hours=1)
    lost, stuck, sent = OutboundEmail.objects.order_by("pk")
    OutboundEmail.objects.filter(pk__in=[lost.pk, stuck.pk, sent.pk]).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=stuck.pk).update(status=EmailStatus.SENDING, claimed_at=long_ago, attempts=1)
    OutboundEmail.objects.filter(pk=sent.pk).update(status=EmailStatus.SENT, sent_at=long_ago, attempts=1)
    assert sweep_outbox() == 2
    run_worker()
    assert sorted(smtp_server.recipients()) == [lost.to, stuck.to]
    assert sweep_outbox() == 0


def test_a_convocation_is_written_by_the_worker_once_and_a_lost_batch_is_swept(database_queue, smtp_server, project_lead):
    from tcri_site.mail.models import BatchStatus, MailBatch
    from tcri_site.mail.services import write_batch
    from tcri_site.notifications.models import Notification

    delegates = [make_member(OrganisationFactory(volets=[1]), Role.DELEGUE) for _ in range(3)]
    start = timezone.now() + timedelta(days=3)
    session = ForumSession.objects.create(title="Séance d'hiver", starts_at=start,
                                          ends_at=start + timedelta(hours=2), place="Montréal", chair=project_lead)
    assert do_send_convocation(actor=project_lead, session=session) == 3
    # The request stored one batch and its task: no message, no notification written yet.
    batch = MailBatch.objects.get()
    assert batch.status == BatchStatus.PENDING
    assert OutboundEmail.objects.count() == 0 and Notification.objects.count() == 0
    DBTaskResult.objects.all().delete()  # the task is lost (a queue emptied by hand, a crash)
    run_worker()
    assert smtp_server.messages == []
    assert sweep_outbox(now=timezone.now() + timedelta(minutes=11)) == 1
    run_worker()
    assert sorted(smtp_server.recipients()) == sorted(p.email for p in delegates)
    assert Notification.objects.filter(kind="convocation").count() == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.count == 3 and batch.attempts == 1
    # Run again (a duplicated task, a second worker): nothing more is written or sent.
    assert write_batch(batch.pk) == "skipped"
    assert sweep_outbox(now=timezone.now() + timedelta(minutes=11)) == 0
    run_worker()
    assert len(smtp_server.messages) == 3 and Notification.objects.count() == 3


def test_a_failing_batch_keeps_its_error_and_stays_pending(database_queue, smtp_server):
    from tcri_site.mail.models import BatchStatus
    from tcri_site.mail.services import enqueue_batch

    with transaction.atomic():
        batch = enqueue_batch("advocacy.services.sessions.convocation_emails", session_id=999999, sent_at="x")
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and batch.attempts == 1 and "DoesNotExist" in batch.last_error
    assert OutboundEmail.objects.count() == 0
