"""Calendars: iCalendar files of sessions and each person's private feed token."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from tcri_site.members.models import User
from trainings.models import CalendarFeed, SessionFormat, SessionStatus, TrainingSession


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


def get_feed(*, person: User) -> CalendarFeed:
    """The person's feed, created with a fresh token the first time."""
    feed = CalendarFeed.objects.filter(user=person).first()
    if feed is None:
        feed, _created = CalendarFeed.objects.get_or_create(
            user=person, defaults={"token": secrets.token_urlsafe(32)}
        )
    return feed


def do_regenerate_feed(*, actor: User, person: User) -> CalendarFeed:
    """A new token for the person's feed: the old address stops working."""
    feed = get_feed(person=person)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed
