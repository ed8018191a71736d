"""Blocks for the home page (upcoming sessions) and an organisation's page (trainings followed)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tcri_site.sections import Section
from trainings.models import (
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingPage,
    TrainingSession,
)


def home_sections(request) -> list[Section]:
    trainings = TrainingPage.objects.live()
    if not request.user.has_perm("trainings.view_private_material"):
        trainings = trainings.public()
    sessions = list(
        TrainingSession.objects.filter(
            status=SessionStatus.PLANNED, starts_at__gte=timezone.now(), training__in=trainings.values("pk")
        )
        .select_related("training")
        .defer("training__body")
        .annotate(confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)))
        .order_by("starts_at")[:5]
    )
    return [
        Section(
            title=_("Prochaines séances de formation"),
            template="trainings/sections/upcoming.html",
            context={"sessions": sessions},
            order=10,
            more_url=reverse("trainings:index"),
        )
    ]


def organisation_sections(request, organisation) -> list[Section]:
    if not request.user.has_perm("members.view_organisation_page"):
        return []
    rows = (
        Registration.objects.filter(
            organisation=organisation, status=RegistrationStatus.CONFIRMED, attended=True
        )
        .values("session__training__title", "session__training_id")
        .annotate(people=Count("user", distinct=True), last=Count("session", distinct=True))
        .order_by("session__training__title")[:50]
    )
    return [
        Section(
            title=_("Formations suivies par l'organisme"),
            template="trainings/sections/organisation.html",
            context={"rows": list(rows)},
            order=10,
        )
    ]
