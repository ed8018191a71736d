"""Lists of speakers: raising and lowering a hand, points of order (heard first), the
chair's reordering, giving the floor and the countdown (start and end of each speech, kept
so the minutes can total speaking time per organisation); ``speakers.state`` events."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.groups import session_group
from advocacy.models import AgendaItem, ForumSessionStatus, SpeakerList, Speech, SpeechStatus
from advocacy.services.common import InvalidInput, InvalidState, _require
from tcri_site.live import send_event_on_commit

MIN_LIMIT, MAX_LIMIT = 10, 3600


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def speaker_list_for(item: AgendaItem) -> SpeakerList:
    speaker_list, _created = SpeakerList.objects.get_or_create(agenda_item=item)
    return speaker_list


def speakers_state(item: AgendaItem | None) -> dict:
    """The list as everyone sees it: organisations only (nothing personal), the current
    speaker with the server's start time and limit so any client computes the time left."""
    state = {"type": "speakers.state", "item": None, "server_time": _iso(timezone.now()), "current": None, "waiting": []}
    if item is None:
        return state
    speaker_list = speaker_list_for(item)
    speeches = list(
        Speech.objects.filter(speaker_list=speaker_list, status__in=[SpeechStatus.WAITING, SpeechStatus.SPEAKING])
        .select_related("organisation")
        .order_by("-point_of_order", "position", "pk")
    )

    def row(speech):
        return {
            "id": speech.pk,
            "organisation": speech.organisation.short_name,
            "organisation_id": speech.organisation_id,
            "person": speech.person_id,
            "point_of_order": speech.point_of_order,
        }

    current = next((s for s in speeches if s.status == SpeechStatus.SPEAKING), None)
    state.update(
        session=item.session_id,
        item=item.pk,
        item_title=item.title,
        limit=speaker_list.limit_seconds,
        waiting=[row(s) for s in speeches if s.status == SpeechStatus.WAITING],
    )
    if current:
        state["current"] = {**row(current), "started_at": _iso(current.started_at)}
    return state


def _broadcast(item: AgendaItem) -> None:
    item_id = item.pk
    send_event_on_commit(
        session_group(item.session_id),
        lambda: {"type": "speakers.state", "state": speakers_state(AgendaItem.objects.get(pk=item_id))},
    )


def _check_sitting(item: AgendaItem) -> None:
    if item.session.status == ForumSessionStatus.ENDED:
        raise InvalidState(_("La séance est terminée : la liste des tours de parole est close."), code="session_ended")


def _locked_list(item: AgendaItem) -> SpeakerList:
    speaker_list = speaker_list_for(item)
    return SpeakerList.objects.select_for_update().get(pk=speaker_list.pk)


def do_raise_hand(*, actor, agenda_item: AgendaItem, point_of_order: bool = False) -> Speech:
    _require(actor, "advocacy.request_floor", agenda_item.session, _("Seul·es les délégué·es et substitut·es des organismes PASI demandent la parole."))
    _check_sitting(agenda_item)
    with transaction.atomic():
        speaker_list = _locked_list(agenda_item)
        waiting = Speech.objects.filter(speaker_list=speaker_list, person=actor, status=SpeechStatus.WAITING, point_of_order=point_of_order)
        if waiting.exists():
            raise InvalidState(_("Vous avez déjà demandé la parole sur ce point."), code="already_waiting")
        last = Speech.objects.filter(speaker_list=speaker_list).aggregate(m=Max("position"))["m"] or 0
        speech = Speech.objects.create(
            speaker_list=speaker_list,
            organisation_id=actor.active_membership.organisation_id,
            person=actor,
            point_of_order=point_of_order,
            position=last + 1,
        )
        _broadcast(agenda_item)
    return speech


def do_lower_hand(*, actor, speech: Speech) -> None:
    item = speech.speaker_list.agenda_item
    if speech.person_id != actor.pk:
        _require(actor, "advocacy.manage_speakers", item.session, _("Vous ne pouvez baisser que votre propre main."))
    with transaction.atomic():
        speech = Speech.objects.select_for_update().get(pk=speech.pk)
        if speech.status != SpeechStatus.WAITING:
            raise InvalidState(_("Cette demande de parole n'est plus en attente."), code="not_waiting")
        speech.status = SpeechStatus.WITHDRAWN
        speech.save(update_fields=["status"])
        _broadcast(item)


def _require_chair(actor, item: AgendaItem) -> None:
    _require(actor, "advocacy.manage_speakers", item.session, _("Seule la présidence gère la liste des tours de parole."))


def do_move_speech(*, actor, speech: Speech, direction: str) -> None:
    """Swap with the neighbour above or below among the waiting hands of the same kind."""
    item = speech.speaker_list.agenda_item
    _require_chair(actor, item)
    if direction not in ("up", "down"):
        raise InvalidInput(_("Direction inconnue."))
    with transaction.atomic():
        _locked_list(item)
        speech = Speech.objects.get(pk=speech.pk)
        if speech.status != SpeechStatus.WAITING:
            raise InvalidState(_("Cette demande de parole n'est plus en attente."), code="not_waiting")
        queue = list(
            Speech.objects.filter(speaker_list=speech.speaker_list, status=SpeechStatus.WAITING, point_of_order=speech.point_of_order)
            .order_by("position", "pk")
        )
        index = [s.pk for s in queue].index(speech.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(queue):
            queue[index], queue[other] = queue[other], queue[index]
            for position, row in enumerate(queue, start=1):
                if row.position != position:
                    row.position = position
                    row.save(update_fields=["position"])
        _broadcast(item)


def _end_current(speaker_list: SpeakerList, now) -> None:
    for current in Speech.objects.filter(speaker_list=speaker_list, status=SpeechStatus.SPEAKING):
        current.status = SpeechStatus.DONE
        current.started_at = current.started_at or now
        current.ended_at = now
        current.save(update_fields=["status", "started_at", "ended_at"])


def do_give_floor(*, actor, speech: Speech) -> Speech:
    """The speech becomes the current one (the previous one ends); the countdown waits for
    ``do_start_timer``."""
    item = speech.speaker_list.agenda_item
    _require_chair(actor, item)
    with transaction.atomic():
        speaker_list = _locked_list(item)
        speech = Speech.objects.get(pk=speech.pk)
        if speech.status != SpeechStatus.WAITING:
            raise InvalidState(_("Cette demande de parole n'est plus en attente."), code="not_waiting")
        _end_current(speaker_list, timezone.now())
        speech.status = SpeechStatus.SPEAKING
        speech.save(update_fields=["status"])
        _broadcast(item)
    return speech


def do_start_timer(*, actor, agenda_item: AgendaItem) -> Speech:
    _require_chair(actor, agenda_item)
    with transaction.atomic():
        speaker_list = _locked_list(agenda_item)
        current = Speech.objects.filter(speaker_list=speaker_list, status=SpeechStatus.SPEAKING).first()
        if current is None:
            raise InvalidState(_("Personne n'a la parole."), code="no_speaker")
        if current.started_at is None:
            current.started_at = timezone.now()
            current.save(update_fields=["started_at"])
        _broadcast(agenda_item)
    return current


def do_stop_speech(*, actor, agenda_item: AgendaItem) -> None:
    """End the current speech: its end time is kept, the countdown stops everywhere."""
    _require_chair(actor, agenda_item)
    with transaction.atomic():
        speaker_list = _locked_list(agenda_item)
        if not Speech.objects.filter(speaker_list=speaker_list, status=SpeechStatus.SPEAKING).exists():
            raise InvalidState(_("Personne n'a la parole."), code="no_speaker")
        _end_current(speaker_list, timezone.now())
        _broadcast(agenda_item)


def do_set_speaking_limit(*, actor, agenda_item: AgendaItem, seconds) -> SpeakerList:
    _require_chair(actor, agenda_item)
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        seconds = 0
    if not MIN_LIMIT <= seconds <= MAX_LIMIT:
        raise InvalidInput(_("Le temps de parole va de 10 secondes à 60 minutes."))
    with transaction.atomic():
        speaker_list = _locked_list(agenda_item)
        speaker_list.limit_seconds = seconds
        speaker_list.save(update_fields=["limit_seconds"])
        _broadcast(agenda_item)
    return speaker_list


def finished_speeches(session) -> list[Speech]:
    """The session's ended speeches in the order they were given (one query), for the
    minutes' speakers per agenda item and the speaking-time totals."""
    return list(
        Speech.objects.filter(
            speaker_list__agenda_item__session=session,
            status=SpeechStatus.DONE,
            started_at__isnull=False,
            ended_at__isnull=False,
        )
        .select_related("organisation", "person", "speaker_list")
        .order_by("started_at", "pk")
    )


def speech_seconds(speech: Speech) -> int:
    return max(0, int((speech.ended_at - speech.started_at).total_seconds()))


def speaking_time_by_organisation(session, speeches: list[Speech] | None = None) -> list[dict]:
    """For the minutes: per organisation, the number of speeches and seconds spoken (ended
    speeches only), longest first; one query (none when ``speeches`` is given)."""
    totals: dict[int, dict] = {}
    for speech in finished_speeches(session) if speeches is None else speeches:
        row = totals.setdefault(speech.organisation_id, {"organisation": speech.organisation, "speeches": 0, "seconds": 0})
        row["speeches"] += 1
        row["seconds"] += speech_seconds(speech)
    return sorted(totals.values(), key=lambda r: (-r["seconds"], r["organisation"].name))
