"""E-mails to registrants: the confirmation of a seat (or a place on the list), and the
reminder before a session, queued in the outbox once per registration."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tcri_site.mail.services import enqueue_email
from tcri_site.members.models import User
from trainings.models import Registration, RegistrationStatus, SessionStatus
from trainings.services.calendars import sessions_ics

logger = logging.getLogger(__name__)

REMINDER_HOURS = 48


def email_registration(registration_id: int, *, promoted: bool) -> None:
    """Queue the confirmation (or waiting-list) e-mail, in the caller's transaction."""
    try:
        registration = Registration.objects.select_related("session__training", "user").get(pk=registration_id)
        person = registration.user
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "registration": registration,
                "session": registration.session,
                "person": person,
                "promoted": promoted,
                "site_url": settings.SITE_URL,
                "my_trainings_url": settings.SITE_URL + reverse("trainings:my_trainings"),
            }
            subject = render_to_string("trainings/email/registration_subject.txt", context).strip()
            body = render_to_string("trainings/email/registration_body.txt", context)
            attachments = []
            if registration.status == RegistrationStatus.CONFIRMED:
                attachments.append(("seance.ics", sessions_ics([registration.session], person), "text/calendar"))
        moment = (registration.promoted_at if promoted else registration.queued_at) or timezone.now()
        enqueue_email(
            key=f"registration:{registration.pk}:{'promoted' if promoted else 'registered'}:{moment.isoformat()}",
            to=person.email, subject=subject, body=body, attachments=attachments, language=language,
        )
    except Exception:  # an e-mail that cannot be written must never undo a registration
        logger.exception("Could not e-mail registration %s", registration_id)


def do_send_due_reminders(*, actor: User | None = None, now: datetime | None = None, hours: int = REMINDER_HOURS) -> int:
    """E-mail confirmed registrants of sessions starting within ``hours``; never twice.

    Each registration is claimed with a conditional update in the transaction that queues
    its e-mail, so two runs (even at once) cannot both send it. ``reminder_sent_at`` is that claim, not a
    lifecycle state, hence the conditional ``update``. ``actor`` is None when the scheduled
    command runs it.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__status=SessionStatus.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=hours),
    ).select_related("session__training", "user")
    sent = 0
    for registration in due.iterator(chunk_size=200):
        person = registration.user
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"registration": registration, "session": registration.session, "person": person,
                       "site_url": settings.SITE_URL}
            subject = render_to_string("trainings/email/reminder_subject.txt", context).strip()
            body = render_to_string("trainings/email/reminder_body.txt", context)
        with transaction.atomic():  # the claim and its e-mail together, or neither
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            enqueue_email(
                key=f"training-reminder:{registration.pk}:{registration.session.starts_at.isoformat()}",
                to=person.email, subject=subject, body=body, language=language,
                attachments=[("seance.ics", sessions_ics([registration.session], person), "text/calendar")],
            )
        sent += 1
    return sent
