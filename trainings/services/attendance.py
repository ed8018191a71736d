"""Attendance: who came to a session, recorded by the PASI project lead once it has begun."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tcri_site.members.models import User
from trainings.models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from trainings.services.errors import NotAllowed, SessionCancelled, SessionNotStarted
from trainings.services.sessions import lock_session, set_session_status


def check_may_record_attendance(*, actor: User) -> None:
    if not actor.has_perm("trainings.record_attendance"):
        raise NotAllowed(_("Seule la chargée de projet PASI enregistre les présences."))


def do_record_attendance(*, actor: User, session: TrainingSession, present_ids: Iterable[int]) -> int:
    """Mark who came among the confirmed registrants; the session becomes « tenue »."""
    check_may_record_attendance(actor=actor)
    present = {int(pk) for pk in present_ids}
    with transaction.atomic():
        session = lock_session(session)
        if session.status == SessionStatus.CANCELLED:
            raise SessionCancelled()
        if session.starts_at > timezone.now():
            raise SessionNotStarted()
        now = timezone.now()
        confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
        # ``attended`` is a fact recorded in bulk, not a lifecycle state: one update each way.
        came = confirmed.filter(pk__in=present).update(attended=True, attendance_recorded_at=now)
        confirmed.exclude(pk__in=present).update(attended=False, attendance_recorded_at=now)
        set_session_status(session, SessionStatus.HELD)
    return came
