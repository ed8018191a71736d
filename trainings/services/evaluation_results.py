"""Results of the evaluations per session and per training, for the reports: averages,
distributions and comments, hidden under ``MIN_RESPONSES`` answers, in a fixed number of
queries. Read-only; ``trainings.services.evaluation`` writes what this reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from trainings.models import (
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationKind,
    EvaluationQuestion,
    TrainingSession,
)
from trainings.models.evaluation import RATING_MAX, RATING_MIN

MIN_RESPONSES = 3  # fewer answers than this and results stay hidden (anonymity)
TEXTS_SHOWN = 300  # free-text answers listed on one report page, at most


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
        return self.question.kind == EvaluationKind.RATING

    @property
    def is_text(self) -> bool:
        return self.question.kind == EvaluationKind.TEXT


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
        if result.question.kind == EvaluationKind.RATING:
            spread = ratings.get(pk, {})
            result.answers = sum(spread.values())
            result.bars = [Bar(str(value), spread.get(value, 0)) for value in range(RATING_MIN, RATING_MAX + 1)]
            if result.answers:
                result.average = round(sum(v * n for v, n in spread.items()) / result.answers, 1)
                result.average_width = round(100 * result.average / RATING_MAX)
        elif result.question.kind == EvaluationKind.YES_NO:
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
