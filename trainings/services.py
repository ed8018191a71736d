"""State changes for training sessions: registration, waiting list, attendance, reminders.

``check_*`` functions raise a ``TrainingError`` with a message meant for the person;
``do_*`` functions change the database in one transaction. Seats are scarce: every change
that can fill or free a seat first locks the session row (``select_for_update``), so two
requests never both take the last seat, and the waiting list is served in order.
E-mails and notifications leave only once the transaction has committed.
"""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tcri_site.members.models import Membership, User
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify
from trainings.models import (
    CalendarFeed,
    Registration,
    RegistrationStatus,
    SessionFormat,
    SessionStatus,
    TrainingSession,
)

logger = logging.getLogger(__name__)
logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2 subsetting is chatty

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REMINDER_HOURS = 48


class TrainingError(Exception):
    """A refusal with a message for the person (already translated when shown)."""

    message = gettext_lazy("Cette action n'est pas possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class AlreadyRegistered(TrainingError):
    message = gettext_lazy("Cette personne est déjà inscrite à cette séance.")


class SessionFull(TrainingError):
    message = gettext_lazy(
        "La séance est complète. Vous pouvez vous inscrire sur la liste d'attente."
    )


class DeadlinePassed(TrainingError):
    message = gettext_lazy("La date limite d'inscription est passée.")


class CancelDeadlinePassed(TrainingError):
    message = gettext_lazy(
        "La date limite est passée : l'inscription ne peut plus être annulée en ligne. "
        "Écrivez à la chargée de projet PASI."
    )


class SessionCancelled(TrainingError):
    message = gettext_lazy("Cette séance est annulée.")


class SessionClosed(TrainingError):
    message = gettext_lazy("Cette séance a déjà eu lieu.")


class NotAllowed(TrainingError):
    message = gettext_lazy("Vous ne pouvez pas inscrire cette personne.")


class AlreadyCancelled(TrainingError):
    message = gettext_lazy("Cette inscription est déjà annulée.")


# --- Checks ------------------------------------------------------------------------------


def check_registration_open(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    if session.status == SessionStatus.HELD or session.starts_at <= now:
        raise SessionClosed()
    if session.registration_deadline < now:
        raise DeadlinePassed()


def check_may_register(actor: User, person: User) -> None:
    if not actor.has_perm("trainings.register_person", person):
        raise NotAllowed()


# --- Registration --------------------------------------------------------------------------


def _lock_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)


def do_register(
    *, actor: User, person: User, session: TrainingSession, accept_waitlist: bool = False
) -> Registration:
    """Give ``person`` a seat, or a place on the waiting list if they accept one.

    Refusals (duplicate, full without accepting the list, deadline, cancelled session)
    raise and change nothing.
    """
    check_may_register(actor, person)
    with transaction.atomic():
        session = _lock_session(session)
        check_registration_open(session)
        existing = Registration.objects.filter(session=session, user=person).first()
        if existing is not None and existing.is_active:
            raise AlreadyRegistered()
        confirmed = Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED
        ).count()
        has_seat = confirmed < session.capacity
        if not has_seat and not accept_waitlist:
            raise SessionFull()
        status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
        now = timezone.now()
        organisation = person.organisation
        if existing is not None:  # came back after cancelling: to the end of the queue
            existing.status = status
            existing.queued_at = now
            existing.cancelled_at = None
            existing.promoted_at = None
            existing.reminder_sent_at = None
            existing.registered_by = actor
            existing.organisation = organisation
            existing.save()
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
        if actor.pk != person.pk:
            notify(
                [person],
                kind=Kind.REGISTRATION,
                title=lambda: _("%(actor)s vous a inscrit·e à « %(training)s »")
                % {"actor": actor.get_full_name() or actor.email, "training": session.training.title},
                url=lambda: reverse("trainings:my_trainings"),
                actor=actor,
            )
        registration_id = registration.pk
        transaction.on_commit(lambda: _email_registration(registration_id, promoted=False))
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
    if not actor.has_perm("trainings.cancel_registration", registration):
        raise NotAllowed(_("Vous ne pouvez pas annuler cette inscription."))
    with transaction.atomic():
        session = _lock_session(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise AlreadyCancelled()
        if session.status != SessionStatus.PLANNED or session.starts_at <= timezone.now():
            raise SessionClosed()
        staff = actor.has_perm("trainings.view_registrations")
        if session.registration_deadline < timezone.now() and not staff:
            raise CancelDeadlinePassed()
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
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
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        notify(
            [registration.user],
            kind=Kind.REGISTRATION,
            title=lambda: _("Une place s'est libérée : vous êtes inscrit·e à « %(training)s »")
            % {"training": session.training.title},
            url=session.get_absolute_url,
        )
        registration_id = registration.pk
        transaction.on_commit(lambda rid=registration_id: _email_registration(rid, promoted=True))
    return promoted


def do_update_capacity(*, session: TrainingSession, capacity: int) -> list[Registration]:
    """Change the number of seats; more seats promote people waiting."""
    with transaction.atomic():
        session = _lock_session(session)
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        return _fill_seats(session)


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


def do_announce_session(session: TrainingSession, *, actor: User | None = None) -> int:
    """Tell the people concerned that a session is open for registration (once)."""
    with transaction.atomic():
        session = _lock_session(session)
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


def do_announce_cancellation(session: TrainingSession, *, actor: User | None = None) -> int:
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


# --- E-mails and calendars ------------------------------------------------------------------


def _email_registration(registration_id: int, *, promoted: bool) -> None:
    try:
        registration = Registration.objects.select_related("session__training", "user").get(pk=registration_id)
        person = registration.user
        with translation.override(person.language or settings.LANGUAGE_CODE):
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
            message = EmailMessage(subject, body, None, [person.email])
            if registration.status == RegistrationStatus.CONFIRMED:
                message.attach("seance.ics", sessions_ics([registration.session], person), "text/calendar")
        message.send()
    except Exception:  # an e-mail failure must never undo a committed registration
        logger.exception("Could not e-mail registration %s", registration_id)


def sessions_ics(
    sessions: Iterable[TrainingSession], person: User | None = None, *, name: str = "", with_link: bool = True
) -> bytes:
    """An iCalendar file of sessions. The online link is included unless ``with_link`` is
    false: callers pass sessions the person is registered to, or say they are not."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//TCRI-PASI//Formations//FR")
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    for session in sessions:
        event = Event()
        event.add("uid", f"seance-{session.pk}@tcri-pasi")
        event.add("summary", session.training.title)
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("dtstamp", timezone.now())
        location = session.place
        if with_link and session.format != SessionFormat.IN_PERSON and session.online_link:
            location = f"{location} — {session.online_link}" if location else session.online_link
        if location:
            event.add("location", location)
        event.add("url", settings.SITE_URL + session.get_absolute_url())
        description = session.training.summary
        if session.notes:
            description += "\n\n" + session.notes
        event.add("description", description)
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def get_feed(person: User, *, regenerate: bool = False) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=person).first()
    if feed is None:
        feed, _created = CalendarFeed.objects.get_or_create(
            user=person, defaults={"token": secrets.token_urlsafe(32)}
        )
    elif regenerate:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed


# --- Reminders ---------------------------------------------------------------------------------


def send_due_reminders(*, now: datetime | None = None, hours: int = REMINDER_HOURS) -> int:
    """E-mail confirmed registrants of sessions starting within ``hours``; never twice.

    Each registration is claimed with a conditional update before its e-mail goes, so two
    runs (even at once) cannot both send it.
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
        claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        person = registration.user
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {"registration": registration, "session": registration.session, "person": person,
                       "site_url": settings.SITE_URL}
            subject = render_to_string("trainings/email/reminder_subject.txt", context).strip()
            body = render_to_string("trainings/email/reminder_body.txt", context)
        try:
            message = EmailMessage(subject, body, None, [person.email])
            message.attach("seance.ics", sessions_ics([registration.session], person), "text/calendar")
            message.send()
            sent += 1
        except Exception:
            # Give the next run a chance rather than losing the reminder.
            Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
            logger.exception("Could not send reminder for registration %s", registration.pk)
    return sent


# --- Attendance and certificates -----------------------------------------------------------------


def do_record_attendance(*, actor: User, session: TrainingSession, present_ids: Iterable[int]) -> int:
    """Mark who came among the confirmed registrants; the session becomes « tenue »."""
    if not actor.has_perm("trainings.record_attendance"):
        raise NotAllowed(_("Seule la chargée de projet PASI enregistre les présences."))
    present = {int(pk) for pk in present_ids}
    with transaction.atomic():
        session = _lock_session(session)
        if session.status == SessionStatus.CANCELLED:
            raise SessionCancelled()
        if session.starts_at > timezone.now():
            raise TrainingError(_("Les présences s'enregistrent une fois la séance commencée."))
        now = timezone.now()
        confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
        came = confirmed.filter(pk__in=present).update(attended=True, attendance_recorded_at=now)
        confirmed.exclude(pk__in=present).update(attended=False, attendance_recorded_at=now)
        if session.status != SessionStatus.HELD:
            session.status = SessionStatus.HELD
            session.save(update_fields=["status"])
    return came


def certificate_pdf(registration: Registration) -> bytes:
    """A certificate of attendance, in the person's language (fpdf2, DejaVu for accents)."""
    from fpdf import FPDF

    person = registration.user
    session = registration.session
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        starts = timezone.localtime(session.starts_at)
        hours, minutes = divmod(int((session.ends_at - session.starts_at).total_seconds() // 60), 60)
        duration = f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
        lines = {
            "title": _("Attestation de participation"),
            "intro": _("La Table de concertation des organismes au service des personnes réfugiées et immigrantes (TCRI) atteste que"),
            "name": person.get_full_name() or person.email,
            "org": person.organisation.name if person.organisation else "",
            "took": _("a participé à la formation"),
            "training": session.training.title,
            "when": _("donnée le %(date)s (durée : %(duration)s)")
            % {"date": date_format(starts, "DATE_FORMAT"), "duration": duration},
            "trainer": _("Formateur·rice : %(name)s") % {"name": session.trainer} if session.trainer else "",
            "programme": _("Programme d'accompagnement et de soutien à l'intégration (PASI)"),
            "issued": _("Délivrée le %(date)s — n° %(number)s")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT"), "number": f"{session.pk}-{registration.pk}"},
        }
    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_title(str(lines["title"]))
    pdf.set_author("TCRI")
    pdf.set_lang(language)
    pdf.add_font("DejaVu", "", FONT_PATH)
    pdf.add_font("DejaVu", "B", FONT_BOLD_PATH)
    pdf.add_page()
    pdf.set_draw_color(0, 84, 147)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(30)
    pdf.set_font("DejaVu", "B", 26)
    pdf.cell(0, 14, str(lines["title"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_x(30)
    pdf.multi_cell(pdf.w - 60, 7, str(lines["intro"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 20)
    pdf.cell(0, 12, lines["name"], align="C", new_x="LMARGIN", new_y="NEXT")
    if lines["org"]:
        pdf.set_font("DejaVu", "", 13)
        pdf.cell(0, 8, lines["org"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, str(lines["took"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_x(25)
    pdf.multi_cell(pdf.w - 50, 9, lines["training"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, str(lines["when"]), align="C", new_x="LMARGIN", new_y="NEXT")
    if lines["trainer"]:
        pdf.cell(0, 8, str(lines["trainer"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-45)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, str(lines["programme"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, str(lines["issued"]), align="C", new_x="LMARGIN", new_y="NEXT")
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


# --- Private material ---------------------------------------------------------------------------

PRIVATE_COLLECTION_NAME = "Formations — réservé aux membres"


def private_material_collection():
    """The collection for documents reserved to signed-in members (login view restriction)."""
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PRIVATE_COLLECTION_NAME)
    if not collection.view_restrictions.exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def private_material_collection_id() -> int | None:
    from wagtail.models import Collection

    return Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).values_list("pk", flat=True).first()
