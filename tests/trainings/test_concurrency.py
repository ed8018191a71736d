"""Seats under concurrent requests, on PostgreSQL (SQLite serialises writes anyway)."""

import os
import threading

import pytest
from django.db import connection

from tests.factories import make_member
from tests.trainings.conftest import make_session, make_training
from trainings import services
from trainings.models import Registration, RegistrationStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL) for row locks",
    ),
    pytest.mark.django_db(transaction=True),
]


def _run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.fixture
def seats(site_root, organisation, asylum_status):
    from trainings.models import TrainingIndexPage

    index = site_root.add_child(instance=TrainingIndexPage(title="Formations", slug="formations"))
    training = make_training(index, statuses=[asylum_status])
    session = make_session(training, capacity=5)
    people = [make_member(organisation) for _ in range(20)]
    return session, people


def test_twenty_registrations_for_five_seats(seats):
    session, people = seats
    errors = _run_at_once(
        [
            (lambda p=p: services.do_register(actor=p, person=p, session=session, accept_waitlist=True))
            for p in people
        ]
    )
    assert errors == []
    regs = list(Registration.objects.filter(session=session).order_by("queued_at", "pk"))
    confirmed = [r for r in regs if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in regs if r.status == RegistrationStatus.WAITLISTED]
    assert len(confirmed) == 5 and len(waiting) == 15
    # The first five served got the seats; the rest queue in the order they were served.
    assert max(r.pk for r in confirmed) < min(r.pk for r in waiting)
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    assert [services.waitlist_position(r) for r in waiting] == list(range(1, 16))


def test_concurrent_cancellations_promote_in_order(seats):
    session, people = seats
    for person in people[:10]:
        services.do_register(actor=person, person=person, session=session, accept_waitlist=True)
    confirmed = list(Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED))
    errors = _run_at_once(
        [
            (lambda r=r: services.do_cancel_registration(actor=r.user, registration=r))
            for r in confirmed[:4]
        ]
    )
    assert errors == []
    now_confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
    assert now_confirmed.count() == 5
    promoted = {r.user_id for r in now_confirmed} - {r.user_id for r in confirmed}
    assert promoted == {p.pk for p in people[5:9]}


def test_same_person_twice_at_once_gets_one_registration(seats):
    session, people = seats
    person = people[0]
    errors = _run_at_once(
        [(lambda: services.do_register(actor=person, person=person, session=session)) for _ in range(5)]
    )
    assert Registration.objects.filter(session=session).count() == 1
    assert len(errors) == 4 and all(isinstance(e, services.AlreadyRegistered) for e in errors)


def test_evaluations_submitted_at_once_are_all_kept_once(seats):
    """Six attendees answer at the same moment, one of them twice: every answer is stored
    once (no two shuffles swap with the same row) and the second click is refused."""
    from django.utils import timezone

    from trainings.models import (
        EvaluationAnswer,
        EvaluationInvitation,
        EvaluationKind,
        EvaluationQuestion,
    )

    session, people = seats
    session.ends_at = timezone.now() - timezone.timedelta(hours=1)
    session.starts_at = session.ends_at - timezone.timedelta(hours=2)
    session.save(update_fields=["starts_at", "ends_at"])
    question = EvaluationQuestion.objects.create(label_fr="Note ?", kind=EvaluationKind.RATING, required=True)
    attendees = people[:6]
    for person in attendees:
        Registration.objects.create(session=session, user=person, status=RegistrationStatus.CONFIRMED, attended=True)
    ratings = [1, 2, 3, 4, 5, 5]
    calls = [
        (lambda p=p, r=r: services.do_submit_evaluation(actor=p, session=session, answers={question.pk: r}))
        for p, r in zip(attendees, ratings, strict=True)
    ]
    calls.append(lambda: services.do_submit_evaluation(actor=attendees[0], session=session, answers={question.pk: 2}))
    errors = _run_at_once(calls)
    assert [type(e) for e in errors] == [services.AlreadyEvaluated]
    stored = sorted(EvaluationAnswer.objects.values_list("rating", flat=True))
    assert stored in (sorted(ratings), sorted([2, *ratings[1:]]))  # whichever of the two clicks came first
    assert EvaluationInvitation.objects.filter(answered=True).count() == 6


def test_closing_an_evaluation_rewrites_and_vacuums_its_answers(seats, caplog):
    """Outside a transaction, as the hourly job runs it: the answers come back under new
    keys and VACUUM (which PostgreSQL refuses inside a transaction) runs without error."""
    from django.utils import timezone

    from trainings.models import EvaluationAnswer, EvaluationKind, EvaluationQuestion
    from trainings.services import evaluation

    session, people = seats
    session.ends_at = timezone.now() - timezone.timedelta(hours=1)
    session.starts_at = session.ends_at - timezone.timedelta(hours=2)
    session.save(update_fields=["starts_at", "ends_at"])
    question = EvaluationQuestion.objects.create(label_fr="Note ?", kind=EvaluationKind.RATING, required=True)
    for rating, person in enumerate(people[:3], start=1):
        Registration.objects.create(session=session, user=person, status=RegistrationStatus.CONFIRMED, attended=True)
        services.do_submit_evaluation(actor=person, session=session, answers={question.pk: rating})
    keys = set(EvaluationAnswer.objects.values_list("id", flat=True))
    later = session.ends_at + timezone.timedelta(days=evaluation.OPEN_DAYS, minutes=30)
    assert evaluation.do_reshuffle_closed_evaluations(now=later) == 1
    assert sorted(EvaluationAnswer.objects.values_list("rating", flat=True)) == [1, 2, 3]
    assert not keys & set(EvaluationAnswer.objects.values_list("id", flat=True))
    assert "Could not vacuum" not in caplog.text
