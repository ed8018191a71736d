"""The procès-verbal: drafted from the session's record, edited by the lead, published
(the only writer of ``Minutes.status``)."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.models import (
    Ballot,
    BallotKind,
    ForumSession,
    Minutes,
    MinutesStatus,
    MotionStatus,
)
from advocacy.services.common import InvalidInput, InvalidState, _require
from advocacy.services.sessions import session_quorum


def spoken_duration(seconds: int) -> str:
    """A speaking time for the minutes: « 3 min 05 s », « 45 s »."""
    minutes, seconds = divmod(max(0, int(seconds)), 60)
    if minutes:
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}
    return _("%(seconds)d s") % {"seconds": seconds}


def minutes_context(session: ForumSession) -> dict:
    from advocacy.services.proxies import session_procurations
    from advocacy.services.speakers import (
        finished_speeches,
        speaking_time_by_organisation,
        speech_seconds,
    )

    attendances = list(session.attendances.select_related("organisation", "person"))
    motions = list(session.motions.filter(status=MotionStatus.CLOSED).select_related("demand", "amendment"))
    roll_calls = {}
    for ballot in Ballot.objects.filter(motion__in=[m for m in motions if m.ballot_kind == BallotKind.ROLL_CALL]).select_related("organisation"):
        roll_calls.setdefault(ballot.motion_id, []).append(ballot)
    for motion in motions:
        motion.roll_call = roll_calls.get(motion.pk, [])
    speeches = finished_speeches(session)
    agenda = list(session.agenda_items.all())
    by_item: dict[int, list] = {}
    for speech in speeches:
        speech.duration_label = spoken_duration(speech_seconds(speech))
        by_item.setdefault(speech.speaker_list.agenda_item_id, []).append(speech)
    for item in agenda:
        item.minutes_speeches = by_item.get(item.pk, [])
    speaking_time = speaking_time_by_organisation(session, speeches)
    for row in speaking_time:
        row["duration"] = spoken_duration(row["seconds"])
    return {
        "session": session,
        "attendances": attendances,
        "motions": motions,
        "quorum": session_quorum(session),
        "agenda": agenda,
        "speaking_time": speaking_time,
        "procurations": list(session_procurations(session)),
    }


def draft_minutes_text(session: ForumSession) -> str:
    return render_to_string("advocacy/minutes_draft.txt", minutes_context(session)).strip() + "\n"


def do_draft_minutes(*, actor, session: ForumSession) -> Minutes:
    _require(actor, "advocacy.manage_minutes", session, _("Seule la chargée de projet PASI rédige le procès-verbal."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(session=session).first()
        if minutes and minutes.is_published:
            raise InvalidState(_("Le procès-verbal est déjà publié."))
        body = draft_minutes_text(session)
        if minutes is None:
            minutes = Minutes.objects.create(session=session, body=body, edited_by=actor)
        else:
            minutes.body = body
            minutes.edited_by = actor
            minutes.save()
    return minutes


def do_edit_minutes(*, actor, minutes: Minutes, body: str) -> Minutes:
    _require(actor, "advocacy.manage_minutes", minutes.session)
    if minutes.is_published:
        raise InvalidState(_("Le procès-verbal est déjà publié."))
    if not body.strip():
        raise InvalidInput(_("Le procès-verbal est vide."))
    minutes.body = body.strip() + "\n"
    minutes.edited_by = actor
    minutes.save()
    return minutes


def do_publish_minutes(*, actor, minutes: Minutes, public: bool = False) -> Minutes:
    _require(actor, "advocacy.manage_minutes", minutes.session)
    with transaction.atomic():
        if minutes.is_published:
            raise InvalidState(_("Le procès-verbal est déjà publié."))
        # The only writer of ``Minutes.status``.
        minutes.status = MinutesStatus.PUBLISHED
        minutes.published_at = timezone.now()
        minutes.public = public
        minutes.save(update_fields=["status", "published_at", "public", "updated_at"])
        log(instance=minutes.session, action="advocacy.minutes.publish", user=actor, data={"public": public})
    return minutes
