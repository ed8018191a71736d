"""What a material page shows to book a seat: its upcoming sessions, seats, the person's own
registrations and, for a coordinator, the colleagues they may register (fixed queries).

Registering itself goes through ``trainings.services.do_register`` (the register view).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from tcri_site.members.models import User
from trainings.forms import ColleagueRegistrationForm
from trainings.models import (
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

UPCOMING_LIMIT = 10


def upcoming_sessions_for(training, user) -> dict:
    """Sessions of ``training`` (any of its translations: sessions belong to the French
    page) from now on, with ``confirmed_count``, ``seats_left`` and ``mine``."""
    sessions = (
        TrainingSession.objects.filter(
            training__translation_key=training.translation_key, ends_at__gte=timezone.now()
        )
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            # Questions to answer: the page links to the session's form instead of a one-click button.
            has_questions=Exists(RegistrationQuestion.objects.filter(session=OuterRef("pk"))),
        )
        .order_by("starts_at", "pk")
    )
    if user.is_authenticated:
        sessions = sessions.prefetch_related(
            Prefetch("registrations", queryset=Registration.objects.filter(user=user).active(), to_attr="mine")
        )
    sessions = list(sessions[:UPCOMING_LIMIT])
    may_register_colleagues = (
        user.is_authenticated and user.has_perm("trainings.register_colleagues") and user.organisation is not None
    )
    if may_register_colleagues:
        colleagues = list(
            User.objects.filter(
                memberships__organisation=user.organisation, memberships__is_active=True, is_active=True
            )
            .exclude(pk=user.pk)
            .order_by("last_name", "first_name")[:500]
        )
        for session in sessions:
            # Same field names for the register view, ids unique on the page.
            session.colleagues_form = ColleagueRegistrationForm(
                colleagues=colleagues, auto_id=f"id_s{session.pk}_%s"
            )
    return {"upcoming_sessions": sessions, "may_register_colleagues": may_register_colleagues}
