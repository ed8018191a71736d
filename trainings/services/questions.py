"""Answers to a session's registration questions: checked against the questions, then kept
with the registration (one row per answer). Called by ``do_register`` inside its transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from trainings.models import Registration, RegistrationAnswer, RegistrationQuestion, TrainingSession
from trainings.models.questions import CHOICE_SEPARATOR, QuestionKind, _lines
from trainings.services.errors import AnswerRequired, InvalidAnswer

MAX_ANSWER_LENGTH = 2000

Answers = Mapping[int, str | list[str]]


def session_questions(session: TrainingSession) -> list[RegistrationQuestion]:
    return list(RegistrationQuestion.objects.filter(session=session).order_by("sort_order", "pk"))


def check_answers(*, questions: list[RegistrationQuestion], answers: Answers | None) -> dict[int, str]:
    """The stored value of each answer given, by question pk; refuse a missing required
    answer or a choice that is not offered. Answers to other questions are ignored."""
    answers = answers or {}
    cleaned: dict[int, str] = {}
    for question in questions:
        given = answers.get(question.pk)
        if question.is_choice:
            values = [given] if isinstance(given, str) else list(given or [])
            values = [v for v in values if v]
            offered = _lines(question.choices_fr)
            if any(v not in offered for v in values):
                raise InvalidAnswer()
            if question.kind == QuestionKind.SINGLE and len(values) > 1:
                raise InvalidAnswer()
            value = CHOICE_SEPARATOR.join(v for v in offered if v in values)
        else:
            value = (given if isinstance(given, str) else "").strip()
            if len(value) > MAX_ANSWER_LENGTH:
                raise InvalidAnswer(_("Une réponse dépasse %(n)s caractères.") % {"n": MAX_ANSWER_LENGTH})
        if question.required and not value:
            raise AnswerRequired(
                _("Répondez à la question « %(question)s » pour vous inscrire.") % {"question": question.label}
            )
        if value:
            cleaned[question.pk] = value
    return cleaned


def save_answers(registration: Registration, cleaned: dict[int, str]) -> None:
    """Replace the registration's answers with ``cleaned`` (a person coming back answers anew)."""
    RegistrationAnswer.objects.filter(registration=registration).delete()
    RegistrationAnswer.objects.bulk_create(
        RegistrationAnswer(registration=registration, question_id=pk, value=value) for pk, value in cleaned.items()
    )
