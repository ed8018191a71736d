"""Forum sessions: the convocation (e-mail with an iCalendar invitation), the roll call and
the quorum, the live session state, and the only writer of ``ForumSession.status``."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.groups import motion_group, session_group
from advocacy.models import (
    Attendance,
    ForumSession,
    ForumSessionStatus,
    MotionStatus,
)
from advocacy.services.common import (
    _representatives_qs,
    _require,
    eligible_organisations,
)
from advocacy.tally import quorum_required
from tcri_site.live import send_event_on_commit
from tcri_site.mail.services import Email, enqueue_batch
from tcri_site.members.models import Organisation
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify

logger = logging.getLogger(__name__)


def session_ics(session: ForumSession) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//TCRI-PASI//Forum//FR")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"forum-session-{session.pk}@tcri-pasi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    location = session.place or session.link
    if location:
        event.add("location", location)
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    description = session.description
    agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(session.agenda_items.all(), start=1))
    if agenda:
        description = f"{description}\n\n{agenda}".strip()
    event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()


def do_send_convocation(*, actor, session: ForumSession) -> int:
    """Record the convocation and leave the writing to the worker: the chair's request
    stores one batch, the worker then notifies each délégué·e and queues their e-mail with
    its ICS (``convocation_emails``), once, in one transaction."""
    _require(actor, "advocacy.chair_session", session, _("Seule la chargée de projet PASI convoque le forum."))
    count = _representatives_qs().count()
    with transaction.atomic():
        session.convocation_sent_at = timezone.now()
        # A date nothing indexes or references: an UPDATE, without the search and reference
        # reindexing a save of the page-like session costs (a third of this request).
        ForumSession.objects.filter(pk=session.pk).update(convocation_sent_at=session.convocation_sent_at)
        log(instance=session, action="advocacy.session.convocation", user=actor, data={"recipients": count})
        enqueue_batch(
            "advocacy.services.sessions.convocation_emails",
            session_id=session.pk, sent_at=session.convocation_sent_at.isoformat(), actor_id=actor.pk,
        )
    return count


def convocation_emails(*, session_id: int, sent_at: str, actor_id: int | None = None) -> list[Email]:
    """The convocation's in-app notifications (stored here) and its e-mails, one per
    délégué·e in their language with the session's ICS; run by the worker (mail batch)."""
    from django.contrib.auth import get_user_model

    session = ForumSession.objects.get(pk=session_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    recipients = list(_representatives_qs())
    notify(
        recipients,
        kind=Kind.CONVOCATION,
        title=lambda: _("Convocation : %(title)s") % {"title": session.title},
        url=session.get_absolute_url,
        actor=actor,
    )
    ics = session_ics(session)
    agenda = list(session.agenda_items.all())
    emails = []
    for person in recipients:
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"session": session, "agenda": agenda, "person": person, "site_url": settings.SITE_URL}
            subject = _("Convocation : %(title)s") % {"title": session.title}
            body = render_to_string("advocacy/email/convocation.txt", context)
        emails.append(Email(
            key=f"convocation:{session.pk}:{sent_at}:{person.pk}", to=person.email, subject=subject,
            body=body, attachments=[("convocation.ics", ics, "text/calendar")], language=language,
        ))
    return emails


def _set_session_status(session: ForumSession, status: ForumSessionStatus) -> None:
    """The only writer of ``ForumSession.status`` (opening its first vote starts it)."""
    session.status = status
    session.save(update_fields=["status"])


def session_quorum(session: ForumSession) -> dict:
    from advocacy.services.proxies import represented_organisation_ids

    total = eligible_organisations().count()
    # Organisations represented by a procuration count present (issue 18, item 4).
    present = Attendance.objects.filter(session=session).count() + len(represented_organisation_ids(session.pk))
    required = session.quorum_override or quorum_required(total)
    return {"present": present, "total": total, "required": required, "met": present >= required}


def session_state(session: ForumSession) -> dict:
    """What the session page shows live: the quorum and the organisations present."""
    from advocacy.services.proxies import represented_organisation_ids

    present = Attendance.objects.filter(session=session).order_by("organisation__name")
    represented = Organisation.objects.filter(pk__in=represented_organisation_ids(session.pk)).order_by("name")
    return {
        "type": "session.state",
        "session": session.pk,
        "quorum": session_quorum(session),
        "present": [
            {"id": pk, "name": acronym or name}
            for pk, acronym, name in present.values_list("organisation_id", "organisation__acronym", "organisation__name")
        ]
        + [{"id": org.pk, "name": org.acronym or org.name, "proxy": True} for org in represented],
    }


def _broadcast_state(group: str, event_type: str, build) -> None:
    """After commit, send the state ``build()`` reads then to the sockets of ``group``."""
    send_event_on_commit(group, lambda: {"type": event_type, "state": build()})


def _broadcast_session(session_id: int) -> None:
    _broadcast_state(
        session_group(session_id), "session.state", lambda: session_state(ForumSession.objects.get(pk=session_id))
    )


def do_record_attendance(*, actor, session: ForumSession, organisation: Organisation, present: bool) -> None:
    _require(actor, "advocacy.chair_session", session, _("Seule la présidence fait l'appel."))
    with transaction.atomic():
        if present:
            person = None
            membership = organisation.delegate() or organisation.substitute()
            if membership:
                person = membership.user
            _row, changed = Attendance.objects.get_or_create(session=session, organisation=organisation, defaults={"person": person})
        else:
            changed = bool(Attendance.objects.filter(session=session, organisation=organisation).delete()[0])
        if changed:  # the roll call's audit trail and live table (advocacy.services.rollcall)
            from advocacy.services.rollcall import record_change

            record_change(actor=actor, session=session, organisation=organisation, present=present)
        from advocacy.services.votes import _broadcast_motion  # votes import this module

        motion_ids = list(session.motions.filter(status=MotionStatus.OPEN).values_list("pk", flat=True))
        for motion_id in motion_ids:
            _broadcast_motion(motion_id)
        _broadcast_session(session.pk)


def upcoming_session():
    return ForumSession.objects.filter(ends_at__gte=timezone.now() - timedelta(hours=1)).order_by("starts_at").first()


__all__ = [
    "do_record_attendance",
    "do_send_convocation",
    "motion_group",
    "session_group",
    "session_ics",
    "session_quorum",
    "session_state",
    "upcoming_session",
]
