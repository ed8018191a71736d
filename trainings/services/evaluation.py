"""Evaluation after a session: inviting attendees (once each, one reminder), taking one
anonymous answer per attendee, and the results per session and per training.

The only writer of ``EvaluationInvitation`` and ``EvaluationAnswer``. What keeps answers
anonymous is described in ``trainings.models.evaluation``; here, ``_drop_answer`` does the
shuffle and ``do_submit_evaluation`` never writes a time or a person next to an answer.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
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
    EvaluationQuestion,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from trainings.models.evaluation import RATING_MAX, RATING_MIN
from trainings.services.errors import TrainingRefusal
from trainings.services.sessions import lock_session

logger = logging.getLogger(__name__)

OPEN_DAYS = 30  # the form stays open this long after the session ends
REMINDER_DAYS = 7  # one reminder this long after the invitation, if no answer came
MIN_RESPONSES = 3  # fewer answers than this and results stay hidden (anonymity)
TEXT_MAX = 2000
TEXTS_SHOWN = 300  # free-text answers listed on one report page, at most

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
        if question.kind == QuestionKind.RATING:
            if value in (None, ""):
                value = None
            elif isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
                raise InvalidEvaluation()
            stored = None if value is None else {"rating": value, "agreed": None, "text": ""}
        elif question.kind == QuestionKind.YES_NO:
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


# ---------------------------------------------------------------------------------------
# Results


@dataclass
class Bar:
    label: str
    count: int
    width: int = 0  # percent of the largest bar of the question


@dataclass
class QuestionResult:
    question: EvaluationQuestion
    answers: int = 0
    average: float | None = None
    average_width: int = 0  # the average as a percent of the scale
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def is_rating(self) -> bool:
        return self.question.kind == QuestionKind.RATING

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


@dataclass
class Results:
    responses: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)
    texts_cut: bool = False


def responses_by_session(sessions) -> dict[int, int]:
    """How many attendees answered, for each of these sessions (a queryset or ids)."""
    return dict(
        EvaluationInvitation.objects.filter(answered=True, registration__session__in=sessions)
        .values_list("registration__session")
        .annotate(n=Count("pk"))
        .values_list("registration__session", "n")
    )


def results(session_ids: list[int], responses: int) -> Results:
    """The results over these sessions, each of which has at least ``MIN_RESPONSES``
    answers (the caller picks them), in three queries whatever their number."""
    if responses < MIN_RESPONSES or not session_ids:
        return Results(responses=responses, shown=False)
    counts = list(
        EvaluationAnswer.objects.filter(session_id__in=session_ids, text="")
        .values_list("question_id", "rating", "agreed")
        .annotate(n=Count("pk"))
        .order_by()
    )
    texts = list(
        EvaluationAnswer.objects.filter(session_id__in=session_ids).exclude(text="")
        .order_by("question_id", "id").values_list("question_id", "text")[: TEXTS_SHOWN + 1]
    )
    cut = len(texts) > TEXTS_SHOWN
    texts = texts[:TEXTS_SHOWN]
    ids = {row[0] for row in counts} | {row[0] for row in texts}
    questions = list(EvaluationQuestion.objects.filter(pk__in=ids).order_by("sort_order", "pk"))
    by_pk = {q.pk: QuestionResult(question=q) for q in questions}
    ratings: dict[int, dict[int, int]] = {}
    yes_no: dict[int, dict[bool, int]] = {}
    for question_id, rating, agreed, n in counts:
        if rating is not None:
            ratings.setdefault(question_id, {})[rating] = n
        elif agreed is not None:
            yes_no.setdefault(question_id, {})[agreed] = n
    for question_id, text in texts:
        by_pk[question_id].texts.append(text)
    for result in by_pk.values():
        pk = result.question.pk
        if result.question.kind == QuestionKind.RATING:
            spread = ratings.get(pk, {})
            result.answers = sum(spread.values())
            result.bars = [Bar(str(value), spread.get(value, 0)) for value in range(RATING_MIN, RATING_MAX + 1)]
            if result.answers:
                result.average = round(sum(v * n for v, n in spread.items()) / result.answers, 1)
                result.average_width = round(100 * result.average / RATING_MAX)
        elif result.question.kind == QuestionKind.YES_NO:
            spread = yes_no.get(pk, {})
            result.answers = sum(spread.values())
            result.bars = [Bar(_("Oui"), spread.get(True, 0)), Bar(_("Non"), spread.get(False, 0))]
        else:
            result.answers = len(result.texts)
        largest = max((bar.count for bar in result.bars), default=0)
        for bar in result.bars:
            bar.width = round(100 * bar.count / largest) if largest else 0
    return Results(responses=responses, shown=True, questions=list(by_pk.values()), texts_cut=cut)


def session_results(session: TrainingSession) -> Results:
    responses = responses_by_session([session.pk]).get(session.pk, 0)
    return results([session.pk], responses)


def training_results(sessions: list[TrainingSession]) -> tuple[Results, dict[int, int]]:
    """Results over a training's sessions that have enough answers each: a session with
    fewer is left out of the total too, so no subtraction can reveal its answers."""
    per_session = responses_by_session([s.pk for s in sessions])
    kept = [pk for pk, n in per_session.items() if n >= MIN_RESPONSES]
    return results(kept, sum(per_session[pk] for pk in kept)), per_session


def trainings_overview(limit: int = 100, start: date | None = None, end: date | None = None) -> list[dict]:
    """Trainings whose sessions (starting between ``start`` and ``end``, the reports'
    period) have evaluations: title, sessions, answers; most answered first."""
    answered = EvaluationInvitation.objects.filter(answered=True)
    tz = timezone.get_current_timezone()
    if start:
        answered = answered.filter(registration__session__starts_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        answered = answered.filter(registration__session__starts_at__lte=datetime.combine(end, time.max, tzinfo=tz))
    rows = (
        answered
        .values("registration__session__training", "registration__session__training__title")
        .annotate(responses=Count("pk"), sessions=Count("registration__session", distinct=True))
        .order_by("-responses", "registration__session__training__title")[:limit]
    )
    return [
        {"training_id": r["registration__session__training"], "title": r["registration__session__training__title"],
         "responses": r["responses"], "sessions": r["sessions"]}
        for r in rows
    ]
