"""The demo's evaluations (for trainings.seed): the default questions staff start from, and
answers from the attendees of a training's two latest past sessions, given through the
service as people would on the site."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tcri_site.seeding import SeedContext
from trainings.models import (
    EvaluationInvitation,
    EvaluationKind,
    EvaluationQuestion,
    Registration,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)
from trainings.services import do_submit_evaluation

# The default evaluation after a session: label_fr, label_en, kind, required.
EVALUATION_QUESTIONS = [
    ("Dans l'ensemble, êtes-vous satisfait·e de la formation ?",
     "Overall, how satisfied are you with the training?", EvaluationKind.RATING, True),
    ("Le contenu répond-il aux besoins de votre travail auprès des personnes ?",
     "Does the content meet the needs of your work with people?", EvaluationKind.RATING, True),
    ("Les explications de la personne formatrice étaient-elles claires ?",
     "Were the trainer's explanations clear?", EvaluationKind.RATING, False),
    ("Recommanderiez-vous cette formation à un·e collègue ?",
     "Would you recommend this training to a colleague?", EvaluationKind.YES_NO, True),
    ("Qu'est-ce qui vous a été le plus utile ?", "What was most useful to you?", EvaluationKind.TEXT, False),
    ("Que faudrait-il améliorer ?", "What should be improved?", EvaluationKind.TEXT, False),
]
DEMO_COMMENTS = [
    "Les cas pratiques sur l'admissibilité aux services, très concrets.",
    "Le tableau des statuts et des volets : je l'ai imprimé pour l'équipe.",
    "Plus de temps pour les questions à la fin.",
    "",
]


def evaluation_questions() -> list[EvaluationQuestion]:
    if not EvaluationQuestion.objects.exists():
        for order, (label_fr, label_en, kind, required) in enumerate(EVALUATION_QUESTIONS):
            EvaluationQuestion.objects.create(
                label_fr=label_fr, label_en=label_en, kind=kind, required=required, sort_order=order
            )
    return list(EvaluationQuestion.objects.filter(active=True, training__isnull=True))


def demo_evaluations(ctx: SeedContext, training: TrainingPage) -> int:
    """Attendees of the training's two latest past sessions answer (the demo people do not:
    they try the form themselves), through the service, as they would on the site."""
    if EvaluationInvitation.objects.exists():
        return 0
    questions = evaluation_questions()
    sessions = TrainingSession.objects.filter(
        training=training, status=SessionStatus.HELD, ends_at__lt=timezone.now(),
        ends_at__gt=timezone.now() - timedelta(days=25),
    ).order_by("-ends_at")[:2]
    answered = 0
    for session in sessions:
        attendees = Registration.objects.filter(session=session, attended=True).exclude(
            user__email__endswith="@demo.tcri.example", user__email__regex=r"^[a-z]+@"
        ).select_related("user")
        for n, registration in enumerate(attendees):
            answers = {}
            for question in questions:
                if question.kind == EvaluationKind.RATING:
                    answers[question.pk] = ctx.rng.choice([3, 4, 4, 5, 5])
                elif question.kind == EvaluationKind.YES_NO:
                    answers[question.pk] = ctx.rng.random() < 0.85
                elif comment := DEMO_COMMENTS[(n + question.sort_order) % len(DEMO_COMMENTS)]:
                    answers[question.pk] = comment
            do_submit_evaluation(actor=registration.user, session=session, answers=answers)
            answered += 1
    return answered
