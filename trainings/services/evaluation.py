"""Evaluation after a session: inviting attendees (once each, one reminder), taking one
anonymous answer per attendee; the results (``evaluation_results``) are re-exported here.

The only writer of ``EvaluationInvitation`` and ``EvaluationAnswer``. What keeps answers
anonymous is described in ``trainings.models.evaluation``; here, ``_drop_answer`` does the
shuffle and ``do_submit_evaluation`` never writes a time or a person next to an answer.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tcri_site import errors
from tcri_site.mail.services import enqueue_email
from tcri_site.members.models import User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify
from trainings.models import (
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationKind,
    EvaluationQuestion,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from trainings.models.evaluation import RATING_MAX, RATING_MIN
from trainings.services.errors import TrainingRefusal
from trainings.services.evaluation_results import (  # noqa: F401 (re-exported for the views and reports)
    MIN_RESPONSES,
    TEXTS_SHOWN,
    Results,
    responses_by_session,
    results,
    session_results,
    training_results,
    trainings_overview,
)
from trainings.services.sessions import lock_session

logger = logging.getLogger(__name__)

OPEN_DAYS = 30  # the form stays open this long after the session ends
REMINDER_DAYS = 7  # one reminder this long after the invitation, if no answer came
TEXT_MAX = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NotAnAttendee(TrainingRefusal, errors.NotAllowed):
    code = "not_an_attendee"
    message = gettext_lazy("Seules les personnes présentes à la séance peuvent l'évaluer.")


class EvaluationClosed(TrainingRefusal, errors.InvalidState):
    code = "evaluation_closed"
    message = gettext_lazy("L'évaluation de cette séance n'est pas ouverte : elle l'est pendant 30 jours après la séance.")


class AlreadyEvaluated(TrainingRefusal, errors.InvalidState):
    code = "already_evaluated"
    message = gettext_lazy(
        "Vous avez déjà envoyé votre évaluation de cette séance. Une seule réponse par personne est possible : merci !"
    )


class InvalidEvaluation(TrainingRefusal, errors.InvalidInput):
    code = "invalid_evaluation"
    message = gettext_lazy("Les réponses ne correspondent pas aux questions de l'évaluation. Réessayez.")


def clean_text(value: str) -> str:
    """Plain text as typed, without control characters, at most ``TEXT_MAX`` characters.
    It is stored as text and always shown escaped."""
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text[:TEXT_MAX]


def questions_for(session: TrainingSession) -> list[EvaluationQuestion]:
    return list(EvaluationQuestion.objects.for_training(session.training_id))


def evaluation_open(session: TrainingSession, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.status != SessionStatus.CANCELLED and session.ends_at <= now < session.ends_at + timedelta(days=OPEN_DAYS)


def attendee_registration(person, session: TrainingSession) -> Registration | None:
    if not getattr(person, "pk", None):
        return None
    return Registration.objects.filter(
        session=session, user=person, status=RegistrationStatus.CONFIRMED, attended=True
    ).first()


def has_answered(registration: Registration) -> bool:
    return EvaluationInvitation.objects.filter(registration=registration, answered=True).exists()


def with_evaluated(registrations, now: datetime | None = None):
    """Registrations with ``evaluated`` (their person sent the evaluation) and
    ``evaluation_open`` (they came and may still send it), for « Mes formations »."""
    now = now or timezone.now()
    may_answer = (
        Q(attended=True, session__ends_at__lte=now, session__ends_at__gt=now - timedelta(days=OPEN_DAYS))
        & ~Q(session__status=SessionStatus.CANCELLED)
    )
    return registrations.annotate(
        evaluated=Exists(EvaluationInvitation.objects.filter(registration=OuterRef("pk"), answered=True)),
        evaluation_open=ExpressionWrapper(may_answer, output_field=BooleanField()),
    )


def check_may_evaluate(*, actor: User, session: TrainingSession) -> Registration:
    """The actor's attended registration to ``session``, if they may still answer."""
    registration = attendee_registration(actor, session)
    if registration is None:
        raise NotAnAttendee()
    if has_answered(registration):
        raise AlreadyEvaluated()
    if not evaluation_open(session):
        raise EvaluationClosed()
    return registration


def check_answers(questions: list[EvaluationQuestion], answers: dict[int, object]) -> dict[int, dict]:
    """The values to store for each answered question; raises ``InvalidEvaluation``.

    ``answers`` maps a question id to an int (rating), a bool (yes or no) or a str (text);
    a question left out or empty is unanswered, which a required question refuses.
    """
    known = {q.pk for q in questions}
    if set(answers) - known:
        raise InvalidEvaluation()
    values: dict[int, dict] = {}
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == EvaluationKind.RATING:
            if value in (None, ""):
                value = None
            elif isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
                raise InvalidEvaluation()
            stored = None if value is None else {"rating": value, "agreed": None, "text": ""}
        elif question.kind == EvaluationKind.YES_NO:
            if value is not None and not isinstance(value, bool):
                raise InvalidEvaluation()
            stored = None if value is None else {"rating": None, "agreed": value, "text": ""}
        else:
            text = clean_text(value) if value is not None else ""
            stored = {"rating": None, "agreed": None, "text": text} if text else None
        if stored is None:
            if question.required:
                raise InvalidEvaluation(_("Répondez à la question « %(question)s ».") % {"question": question.label})
            continue
        values[question.pk] = stored
    return values


def _drop_answer(session: TrainingSession, question: EvaluationQuestion, value: dict) -> None:
    """Insert the answer at a uniformly random place among the earlier answers to the same
    question of the same session: the new row takes a random earlier row's value and that
    row takes the new one (or the new row keeps its own), the "inside-out" shuffle the
    secret ballots use. Neither row says when it was written."""
    earlier = list(
        EvaluationAnswer.objects.filter(session=session, question=question).order_by("id").values_list("id", flat=True)
    )
    position = secrets.randbelow(len(earlier) + 1)
    if position == len(earlier):
        EvaluationAnswer.objects.create(id=uuid.uuid4(), session=session, question=question, **value)
        return
    swapped = EvaluationAnswer.objects.get(pk=earlier[position])
    EvaluationAnswer.objects.create(
        id=uuid.uuid4(), session=session, question=question,
        rating=swapped.rating, agreed=swapped.agreed, text=swapped.text,
    )
    EvaluationAnswer.objects.filter(pk=swapped.pk).update(**value)


def do_submit_evaluation(*, actor: User, session: TrainingSession, answers: dict[int, object]) -> None:
    """Store one attendee's evaluation, once: the invitation says « answered », the answers
    go to the urn, and nothing ties one to the other."""
    questions = questions_for(session)
    values = check_answers(questions, answers)
    with transaction.atomic():
        # The session row is the lock: submissions to one session queue here, so two
        # shuffles never swap with the same earlier row, and one person's second click
        # finds the first one done.
        session = lock_session(session)
        registration = check_may_evaluate(actor=actor, session=session)
        invitation, _created = EvaluationInvitation.objects.get_or_create(registration=registration)
        if not EvaluationInvitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True):
            raise AlreadyEvaluated()
        by_pk = {q.pk: q for q in questions}
        for question_id, value in values.items():
            _drop_answer(session, by_pk[question_id], value)


def do_reshuffle_closed_evaluations(*, now: datetime | None = None, window: timedelta = timedelta(hours=3)) -> int:
    """Write anew, in random order and under new keys, the answers of sessions whose form
    closed within ``window`` (the hourly job passes by at least once; twice does no harm).

    The shuffle at each answer randomises the rows' keys and logical order; on PostgreSQL
    each new version of a row is still written at the end of the table, so the latest
    answers sit last on disk until then. Deleting and re-inserting the lot, then
    vacuuming, leaves a random physical order too (as elections do when they close)."""
    now = now or timezone.now()
    closed = now - timedelta(days=OPEN_DAYS)
    sessions = list(
        TrainingSession.objects.filter(ends_at__lte=closed, ends_at__gt=closed - window).values_list("pk", flat=True)
    )
    rewritten = 0
    for pk in sessions:
        with transaction.atomic():
            lock_session(TrainingSession(pk=pk))
            rows = list(EvaluationAnswer.objects.filter(session_id=pk).values_list("question_id", "rating", "agreed", "text"))
            if not rows:
                continue
            EvaluationAnswer.objects.filter(session_id=pk).delete()
            order = sorted(range(len(rows)), key=lambda _i: secrets.randbits(64))
            EvaluationAnswer.objects.bulk_create(
                EvaluationAnswer(id=uuid.uuid4(), session_id=pk, question_id=rows[i][0], rating=rows[i][1],
                                 agreed=rows[i][2], text=rows[i][3])
                for i in order
            )
            rewritten += 1
    if rewritten and connection.vendor == "postgresql":

        def vacuum():  # after the commit: VACUUM cannot run in a transaction
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM {EvaluationAnswer._meta.db_table}")
            except Exception:  # a later autovacuum does the same
                logger.exception("Could not vacuum the evaluation answers")

        transaction.on_commit(vacuum)
    return rewritten


# ---------------------------------------------------------------------------------------
# Invitations and the reminder


def evaluation_url(session: TrainingSession) -> str:
    return reverse("trainings:evaluate", kwargs={"pk": session.pk})


def _email(registration: Registration, *, reminder: bool) -> None:
    person = registration.user
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "session": registration.session, "person": person, "reminder": reminder,
            "evaluation_url": settings.SITE_URL + evaluation_url(registration.session),
            "closes_on": registration.session.ends_at + timedelta(days=OPEN_DAYS),
        }
        subject = render_to_string("trainings/email/evaluation_subject.txt", context).strip()
        body = render_to_string("trainings/email/evaluation_body.txt", context)
    enqueue_email(
        key=f"training-evaluation:{registration.pk}:{'reminder' if reminder else 'invitation'}",
        to=person.email, subject=subject, body=body, language=language,
    )


def do_invite_to_evaluations(*, actor: User | None = None, now: datetime | None = None) -> int:
    """Invite each attendee of a session that ended (within the open window) to evaluate
    it, exactly once: a notification and an e-mail, in the transaction that creates the
    invitation row (the claim). One reminder after ``REMINDER_DAYS`` to those who did not
    answer. ``actor`` is None when the schedule runs it. Returns the invitations sent."""
    now = now or timezone.now()
    ended = {
        "status": RegistrationStatus.CONFIRMED,
        "attended": True,
        "session__ends_at__lte": now,
        "session__ends_at__gt": now - timedelta(days=OPEN_DAYS),
        "user__is_active": True,
    }
    due = (
        Registration.objects.filter(evaluation_invitation__isnull=True, **ended)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__training", "user")
        .order_by("pk")
    )
    asked: dict[int, bool] = {}
    sent = 0
    for registration in due.iterator(chunk_size=200):
        training_id = registration.session.training_id
        if training_id not in asked:
            asked[training_id] = EvaluationQuestion.objects.for_training(training_id).exists()
        if not asked[training_id]:
            continue
        session = registration.session
        with transaction.atomic():
            _invitation, created = EvaluationInvitation.objects.get_or_create(
                registration=registration, defaults={"invited_at": now}
            )
            if not created:  # another run, or the person answered first
                continue
            notify(
                [registration.user], kind=Kind.REGISTRATION, email=False,
                title=lambda session=session: _("Évaluez la formation : %(title)s") % {"title": session.training.title},
                url=lambda session=session: evaluation_url(session),
            )
            _email(registration, reminder=False)
        sent += 1
    reminders = (
        EvaluationInvitation.objects.filter(
            answered=False, reminded_at__isnull=True, invited_at__lte=now - timedelta(days=REMINDER_DAYS),
            **{f"registration__{key}": value for key, value in ended.items()},
        )
        .exclude(registration__session__status=SessionStatus.CANCELLED)
        .select_related("registration__session__training", "registration__user")
        .order_by("pk")
    )
    for invitation in reminders.iterator(chunk_size=200):
        with transaction.atomic():
            if not EvaluationInvitation.objects.filter(pk=invitation.pk, answered=False, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            _email(invitation.registration, reminder=True)
    return sent
