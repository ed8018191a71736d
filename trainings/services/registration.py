"""Registration and the waiting list: the only writer of ``Registration.status``.

Seats are scarce: every change that can fill or free a seat first locks the session row
(``select_for_update``), so two requests never both take the last seat, and the waiting
list is served in order. E-mails leave only once the transaction has committed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tcri_site.members.models import User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify
from trainings.models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from trainings.services.errors import (
    AlreadyCancelled,
    AlreadyRegistered,
    CancelDeadlinePassed,
    DeadlinePassed,
    NotAllowed,
    SessionCancelled,
    SessionClosed,
    SessionFull,
)
from trainings.services.questions import Answers, check_answers, save_answers, session_questions
from trainings.services.reminders import email_registration
from trainings.services.sessions import lock_session

# --- Checks ------------------------------------------------------------------------------


def check_registration_open(*, session: TrainingSession, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    if session.status == SessionStatus.HELD or session.starts_at <= now:
        raise SessionClosed()
    if session.registration_deadline < now:
        raise DeadlinePassed()


def check_may_register(*, actor: User, person: User) -> None:
    if not actor.has_perm("trainings.register_person", person):
        raise NotAllowed()


def check_may_cancel(*, actor: User, registration: Registration) -> None:
    if not actor.has_perm("trainings.cancel_registration", registration):
        raise NotAllowed(_("Vous ne pouvez pas annuler cette inscription."))


# --- The one writer of Registration.status --------------------------------------------------


def _set_registration_status(registration: Registration, status: RegistrationStatus, **fields) -> None:
    """Move a registration to ``status`` (with the stamps that go with it), through the model."""
    registration.status = status
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", *fields])


# --- Registration --------------------------------------------------------------------------


def do_register(
    *,
    actor: User,
    person: User,
    session: TrainingSession,
    accept_waitlist: bool = False,
    answers: Answers | None = None,
) -> Registration:
    """Give ``person`` a seat, or a place on the waiting list if they accept one, with their
    ``answers`` to the session's questions (question pk to text, or to a list of choices).

    Refusals (duplicate, full without accepting the list, deadline, cancelled session, a
    required answer missing) raise and change nothing.
    """
    check_may_register(actor=actor, person=person)
    with transaction.atomic():
        session = lock_session(session)
        check_registration_open(session=session)
        existing = Registration.objects.filter(session=session, user=person).first()
        if existing is not None and existing.is_active:
            raise AlreadyRegistered()
        confirmed = Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED
        ).count()
        has_seat = confirmed < session.capacity
        if not has_seat and not accept_waitlist:
            raise SessionFull()
        cleaned_answers = check_answers(questions=session_questions(session), answers=answers)
        status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
        now = timezone.now()
        organisation = person.organisation
        if existing is not None:  # came back after cancelling: to the end of the queue
            _set_registration_status(
                existing,
                status,
                queued_at=now,
                cancelled_at=None,
                promoted_at=None,
                reminder_sent_at=None,
                registered_by=actor,
                organisation=organisation,
            )
            registration = existing
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        session=session,
                        user=person,
                        organisation=organisation,
                        registered_by=actor,
                        status=status,
                        queued_at=now,
                    )
            except IntegrityError as exc:  # the same person, from another tab, just now
                raise AlreadyRegistered() from exc
        save_answers(registration, cleaned_answers)
        if actor.pk != person.pk:
            notify(
                [person],
                kind=Kind.REGISTRATION,
                title=lambda: _("%(actor)s vous a inscrit·e à « %(training)s »")
                % {"actor": actor.get_full_name() or actor.email, "training": session.training.title},
                url=lambda: reverse("trainings:my_trainings"),
                actor=actor,
            )
        email_registration(registration.pk, promoted=False)  # queued in this transaction
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def with_waitlist_positions(registrations):
    """Annotate ``waiting_ahead`` (people before this one on the list) in the same query."""
    ahead = (
        Registration.objects.filter(
            session_id=OuterRef("session_id"), status=RegistrationStatus.WAITLISTED
        )
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(waiting_ahead=Coalesce(Subquery(ahead), 0))


def do_cancel_registration(*, actor: User, registration: Registration) -> Registration | None:
    """Cancel a registration and give any freed seat to the first person waiting.

    Returns the promoted registration, if any.
    """
    check_may_cancel(actor=actor, registration=registration)
    with transaction.atomic():
        session = lock_session(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise AlreadyCancelled()
        if session.status != SessionStatus.PLANNED or session.starts_at <= timezone.now():
            raise SessionClosed()
        staff = actor.has_perm("trainings.view_registrations")
        if session.registration_deadline < timezone.now() and not staff:
            raise CancelDeadlinePassed()
        _set_registration_status(registration, RegistrationStatus.CANCELLED, cancelled_at=timezone.now())
        promoted = _fill_seats(session)
    return promoted[0] if promoted else None


def _fill_seats(session: TrainingSession) -> list[Registration]:
    """Promote people waiting, in order, while seats are free. Session row must be locked."""
    confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
    free = session.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(Registration.objects.filter(session=session).waiting().select_related("user")[:free])
    now = timezone.now()
    for registration in promoted:
        _set_registration_status(registration, RegistrationStatus.CONFIRMED, promoted_at=now)
        notify(
            [registration.user],
            kind=Kind.REGISTRATION,
            title=lambda: _("Une place s'est libérée : vous êtes inscrit·e à « %(training)s »")
            % {"training": session.training.title},
            url=session.get_absolute_url,
        )
        email_registration(registration.pk, promoted=True)
    return promoted


def do_update_capacity(*, actor: User | None, session: TrainingSession, capacity: int) -> list[Registration]:
    """Change the number of seats; more seats promote people waiting.

    ``actor`` is who asked (None for the system); the admin form is the door to this.
    """
    with transaction.atomic():
        session = lock_session(session)
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        return _fill_seats(session)
