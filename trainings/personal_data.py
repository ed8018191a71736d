"""Training registrations, answers to registration questions, attendance and certificates
(privacy export); erasure removes the answers (accessibility needs, interpretation and free
text are the person's own) and keeps the anonymised registration for participation figures."""

from django.db.models import Prefetch
from django.urls import reverse

from trainings.models import EvaluationInvitation, Registration, RegistrationAnswer

SECTION = "trainings"


def export(user) -> dict:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("session__training", "organisation")
        .prefetch_related(
            Prefetch("answers", queryset=RegistrationAnswer.objects.select_related("question").order_by("question__sort_order", "pk"))
        )
        .order_by("queued_at", "pk")
    )
    rows, certificates = [], []
    for r in registrations:
        rows.append(
            {
                "id": r.pk,
                "training": r.session.training.title,
                "starts_at": r.session.starts_at,
                "organisation": r.organisation.name if r.organisation else None,
                "status": r.status,
                "queued_at": r.queued_at,
                "cancelled_at": r.cancelled_at,
                "attended": r.attended,
                "checked_in_at": r.checked_in_at,
                "answers": [
                    {"question": a.question.label_fr, "question_en": a.question.label_en, "answer": a.value}
                    for a in r.answers.all()
                ],
            }
        )
        if r.attended:
            certificates.append({"registration_id": r.pk, "training": r.session.training.title, "url": reverse("trainings:certificate", args=[r.pk])})
    # Whether the person was asked to evaluate a session and answered; the answers
    # themselves are anonymous: nothing links them to the person, so none can be exported.
    evaluations = [
        {"registration_id": i.registration_id, "training": i.registration.session.training.title,
         "invited_at": i.invited_at, "reminded_at": i.reminded_at, "answered": i.answered}
        for i in EvaluationInvitation.objects.filter(registration__user=user)
        .select_related("registration__session__training").order_by("pk")
    ]
    return {"registrations": rows, "certificates": certificates, "evaluation_invitations": evaluations}


def erase(user, *, remove_messages: bool) -> None:
    RegistrationAnswer.objects.filter(registration__user=user).delete()
