"""Sessions: the row lock that guards their seats, the one writer of ``TrainingSession.status``
in the services, and the announcements of a new or cancelled session.

Staff also change a session's status in the Wagtail admin form, which saves through the
model as well; ``wagtail_hooks`` then calls ``do_announce_cancellation``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tcri_site.members.models import Membership, User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify
from trainings.models import Registration, SessionStatus, TrainingSession


def lock_session(session: TrainingSession) -> TrainingSession:
    """The session row, locked until the end of the transaction: the lock for its seats."""
    return TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)


def set_session_status(session: TrainingSession, status: SessionStatus) -> None:
    """Move a session to ``status``, through the model. Callers hold the session lock."""
    if session.status == status:
        return
    session.status = status
    session.save(update_fields=["status"])


# --- Announcements -------------------------------------------------------------------------


def session_audience(session: TrainingSession):
    """Members of active organisations funded under the training's volets (all if none)."""
    memberships = Membership.objects.filter(is_active=True, organisation__is_active=True)
    volet_ids = list(session.training.volets.values_list("pk", flat=True))
    if volet_ids:
        memberships = memberships.filter(organisation__volets__in=volet_ids)
    return User.objects.filter(
        is_active=True, pk__in=memberships.values("user_id")
    ).only("pk", "is_active", "notification_preference", "language", "email")


def do_announce_session(*, actor: User | None, session: TrainingSession) -> int:
    """Tell the people concerned that a session is open for registration (once)."""
    with transaction.atomic():
        session = lock_session(session)
        if session.announced_at is not None or session.status != SessionStatus.PLANNED:
            return 0
        session.announced_at = timezone.now()
        session.save(update_fields=["announced_at"])
        created = notify(
            session_audience(session),
            kind=Kind.TRAINING,
            title=lambda: _("Nouvelle séance : %(training)s, %(when)s")
            % {
                "training": session.training.title,
                "when": date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT"),
            },
            url=session.get_absolute_url,
            actor=actor,
        )
    return len(created)


def do_announce_cancellation(*, actor: User | None, session: TrainingSession) -> int:
    """Tell the people registered (or waiting) that the session is cancelled."""
    people = [
        r.user
        for r in Registration.objects.filter(session=session).active().select_related("user")
    ]
    created = notify(
        people,
        kind=Kind.REGISTRATION,
        title=lambda: _("Séance annulée : %(training)s") % {"training": session.training.title},
        url=session.get_absolute_url,
        actor=actor,
    )
    return len(created)
