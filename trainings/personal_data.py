"""Training registrations, attendance and certificates (privacy export)."""

from django.urls import reverse

from trainings.models import EvaluationInvitation, Registration

SECTION = "trainings"


def export(user) -> dict:
    registrations = Registration.objects.filter(user=user).select_related("session__training", "organisation").order_by("queued_at", "pk")
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
