"""What the session and projector sockets ask the database (run in the consumers'
database thread): the states sent on connect, the hand raised over the socket."""

from __future__ import annotations

from django.utils.translation import gettext as _

from advocacy.models import ForumSession, Speech, SpeechStatus
from advocacy.services.common import InvalidState
from advocacy.services.projector import current_item, projector_state, public_motion_state
from advocacy.services.rollcall import rollcall_state
from advocacy.services.speakers import do_lower_hand, do_raise_hand, speakers_state
from tcri_site.errors import NotAllowed, NotFound

__all__ = ["hand_from_socket", "load_projector", "public_motion_state", "sitting_states", "speakers_for_session"]


def speakers_for_session(session_id: int) -> dict:
    return speakers_state(current_item(ForumSession.objects.get(pk=session_id)))


def sitting_states(session_id: int) -> list[dict]:
    """After ``session.state``: the current list of speakers, the roll call, the projection."""
    session = ForumSession.objects.get(pk=session_id)
    return [speakers_state(current_item(session)), rollcall_state(session), projector_state(session)]


def load_projector(user, session_id: int) -> dict:
    session = ForumSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if not user.has_perm("advocacy.view_projector", session):
        raise NotAllowed()
    return projector_state(session)


def hand_from_socket(user, session_id: int, frame: dict) -> None:
    session = ForumSession.objects.get(pk=session_id)
    item = current_item(session)
    if item is None:
        raise InvalidState(_("Aucun point n'est en discussion pour le moment."), code="no_item")
    point_of_order = bool(frame.get("point_of_order"))
    if frame.get("raised", True):
        do_raise_hand(actor=user, agenda_item=item, point_of_order=point_of_order)
        return
    speech = Speech.objects.filter(
        speaker_list__agenda_item=item, person=user, status=SpeechStatus.WAITING, point_of_order=point_of_order
    ).first()
    if speech is None:
        raise InvalidState(_("Vous n'avez pas demandé la parole sur ce point."), code="not_waiting")
    do_lower_hand(actor=user, speech=speech)
