"""Self check-in: the trainer shows a session's code (and its QR code), registered people
type it during the session to mark their own presence. The trainer's attendance list
(``attendance``) stays the place for corrections; certificates follow ``attended``."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tcri_site.members.models import User
from trainings.models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from trainings.services.errors import (
    CheckinClosed,
    CheckinCodeUnknown,
    NotAllowed,
    NotRegisteredForCheckin,
    SessionCancelled,
)

# No I, L, O, 0 or 1: a code read off a projector is typed without hesitation.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# People arrive early; the code works from this long before the start to the end.
OPENS_BEFORE = timedelta(minutes=30)


def normalise_code(text: str) -> str:
    """What a person typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def checkin_window(session: TrainingSession) -> tuple[datetime, datetime]:
    return session.starts_at - OPENS_BEFORE, session.ends_at


def checkin_open(session: TrainingSession, now: datetime | None = None) -> bool:
    opens, closes = checkin_window(session)
    now = now or timezone.now()
    return session.status != SessionStatus.CANCELLED and opens <= now <= closes


def check_may_show_code(*, actor: User, session: TrainingSession) -> None:
    if not actor.has_perm("trainings.show_checkin_code", session):
        raise NotAllowed(_("Seule la chargée de projet PASI affiche le code de présence."))


def do_ensure_checkin_code(*, actor: User, session: TrainingSession) -> str:
    """The session's code, made the first time it is asked for (unique among sessions)."""
    check_may_show_code(actor=actor, session=session)
    if session.checkin_code:
        return session.checkin_code
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                updated = TrainingSession.objects.filter(pk=session.pk, checkin_code__isnull=True).update(
                    checkin_code=code
                )
        except IntegrityError:  # another session holds this code: draw again
            continue
        session.refresh_from_db(fields=["checkin_code"])
        if updated or session.checkin_code:
            return session.checkin_code
    raise RuntimeError("no free check-in code after 10 draws")


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def check_checkin_open(*, session: TrainingSession, now: datetime | None = None) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    if not checkin_open(session, now):
        opens, closes = checkin_window(session)
        raise CheckinClosed(
            _("La présence à cette séance se note du %(opens)s au %(closes)s (heure de Montréal).")
            % {"opens": _local(opens), "closes": _local(closes)}
        )


def do_check_in(*, actor: User, code: str, now: datetime | None = None) -> tuple[Registration, bool]:
    """Mark ``actor`` present at the session whose code this is. Returns the registration and
    whether it had already been checked in (a second scan changes nothing)."""
    if not actor.has_perm("trainings.check_in"):
        raise NotAllowed(_("Connectez-vous avec votre compte pour noter votre présence."))
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        raise CheckinCodeUnknown()
    with transaction.atomic():
        session = TrainingSession.objects.select_related("training").filter(checkin_code=code).first()
        if session is None:
            raise CheckinCodeUnknown()
        now = now or timezone.now()
        check_checkin_open(session=session, now=now)
        registration = (
            Registration.objects.select_for_update()
            .filter(session=session, user=actor, status=RegistrationStatus.CONFIRMED)
            .first()
        )
        if registration is None:
            raise NotRegisteredForCheckin()
        registration.session = session
        if registration.checked_in_at is not None and registration.attended:
            return registration, True
        registration.checked_in_at = registration.checked_in_at or now
        registration.attended = True
        registration.attendance_recorded_at = now
        registration.save(update_fields=["checked_in_at", "attended", "attendance_recorded_at"])
    return registration, False


def qr_svg(url: str, title: str = "") -> str:
    """The QR code of ``url`` as inline SVG, made here (nothing is sent to a third party)."""
    import segno

    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True, title=title or None)
