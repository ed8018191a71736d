"""Live results over the real ASGI application and channel layer."""

import pytest
from asgiref.sync import sync_to_async

from advocacy import services
from advocacy.models import Ballot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _error_code(frame: dict) -> str | None:
    """The code of an ``error`` event (which also carries a translated ``message``)."""
    assert frame["type"] == "error" and frame["message"], frame
    return frame["code"]


async def _receive_until(comm, predicate, limit=10):
    for _ in range(limit):
        message = await comm.receive_json_from(timeout=5)
        if predicate(message):
            return message
    raise AssertionError("expected message not received")


async def test_connect_gets_state_and_own_ballot_then_live_updates(ws_communicator, open_motion, delegate, project_lead):
    await sync_to_async(services.do_cast_ballot)(actor=delegate, motion=open_motion, choice="abstain")
    # One test client holds one session: connect each socket before signing the next person in.
    voter = await sync_to_async(ws_communicator)(f"/ws/votes/{open_motion.pk}/", delegate)
    assert (await voter.connect())[0]
    state = await voter.receive_json_from(timeout=5)
    assert state["type"] == "motion.state" and state["counts"]["abstain"] == 1 and state["voted"] == 1
    own = await voter.receive_json_from(timeout=5)
    assert own["type"] == "ballot" and own["choice"] == "abstain" and own["may_vote"]
    assert own["ballots"] == [
        {"organisation": delegate.organisation.pk, "choice": "abstain", "proxy": False, "may_cast": True, "code": "", "voted": True}
    ]
    projector = await sync_to_async(ws_communicator)(f"/ws/votes/{open_motion.pk}/", project_lead)
    assert (await projector.connect())[0]
    await projector.receive_json_from(timeout=5)
    await projector.receive_json_from(timeout=5)

    # Casting over the socket changes the ballot; the projector sees the new counts.
    await voter.send_json_to({"type": "cast", "choice": "for"})
    reply = await _receive_until(voter, lambda m: m["type"] == "ballot")
    assert reply["choice"] == "for" and reply["changed"]
    pushed = await _receive_until(projector, lambda m: m["type"] == "motion.state")
    assert pushed["counts"] == {"for": 1, "against": 0, "abstain": 0}

    # The chair closes: result goes out to everyone watching.
    await sync_to_async(services.do_close_motion)(actor=project_lead, motion=open_motion)
    closed = await _receive_until(projector, lambda m: m["type"] == "motion.state" and m["status"] == "closed")
    assert closed["result"] in ("adopted", "rejected", "no_quorum") and "present" in closed["quorum"]
    await voter.send_json_to({"type": "cast", "choice": "against"})
    error = await _receive_until(voter, lambda m: m["type"] == "error")
    assert error["code"] == "closed" and "fermé" in error["message"]
    assert await sync_to_async(lambda: list(Ballot.objects.values_list("choice", flat=True)))() == ["for"]
    await voter.disconnect()
    await projector.disconnect()


async def test_non_delegate_casting_gets_error_and_nothing_stored(ws_communicator, open_motion, member):
    comm = await sync_to_async(ws_communicator)(f"/ws/votes/{open_motion.pk}/", member)
    assert (await comm.connect())[0]
    await comm.receive_json_from(timeout=5)
    assert (await comm.receive_json_from(timeout=5))["choice"] is None
    await comm.send_json_to({"type": "cast", "choice": "for"})
    error = await comm.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "member" and "délégué·es et substitut·es" in error["message"]
    await comm.send_json_to({"type": "cast", "choice": "???"})
    assert (await comm.receive_json_from(timeout=5))["type"] == "error"
    assert not await sync_to_async(Ballot.objects.exists)()
    await comm.disconnect()


async def test_anonymous_and_outsider_are_closed(ws_communicator, open_motion, outsider):
    anon = await sync_to_async(ws_communicator)(f"/ws/votes/{open_motion.pk}/")
    assert (await anon.connect())[0]
    assert (await anon.receive_json_from(timeout=5))["code"] == "not_authenticated"
    assert (await anon.receive_output(timeout=5))["code"] == 4401
    other = await sync_to_async(ws_communicator)(f"/ws/votes/{open_motion.pk}/", outsider)
    assert (await other.connect())[0]
    assert (await other.receive_json_from(timeout=5))["code"] == "forbidden"
    assert (await other.receive_output(timeout=5))["code"] == 4403


async def test_session_page_socket_shows_quorum_and_presence_live(ws_communicator, open_motion, delegate, project_lead, member):
    session = await sync_to_async(lambda: open_motion.session)()
    watcher = await sync_to_async(ws_communicator)(f"/ws/seances/{session.pk}/", member)
    assert (await watcher.connect())[0]
    initial = await watcher.receive_json_from(timeout=5)
    assert initial["type"] == "session.state" and initial["quorum"]["present"] == 0 and initial["present"] == []
    organisation = await sync_to_async(lambda: delegate.active_membership.organisation)()

    # A first ballot brings the organisation in; the watcher sees the quorum move.
    await sync_to_async(services.do_cast_ballot)(actor=delegate, motion=open_motion, choice="for")
    arrived = await _receive_until(watcher, lambda m: m["type"] == "session.state")
    assert arrived["quorum"]["present"] == 1
    assert arrived["present"] == [{"id": organisation.pk, "name": organisation.short_name}]
    # Changing the ballot does not announce the session again.
    await sync_to_async(services.do_cast_ballot)(actor=delegate, motion=open_motion, choice="against")
    assert await watcher.receive_nothing(timeout=0.3)

    # The chair marks the organisation absent: the watcher sees it leave.
    await sync_to_async(services.do_record_attendance)(actor=project_lead, session=session, organisation=organisation, present=False)
    left = await _receive_until(watcher, lambda m: m["type"] == "session.state")
    assert left["quorum"]["present"] == 0 and left["present"] == []
    await watcher.send_json_to({"type": "nonsense"})
    assert _error_code(await watcher.receive_json_from(timeout=5)) == "unknown_type"
    await watcher.send_json_to({"type": "ping"})
    assert (await watcher.receive_json_from(timeout=5)) == {"type": "pong"}
    await watcher.disconnect()


async def test_session_socket_refuses_strangers_with_close_codes(ws_communicator, forum_session, outsider):
    anonymous = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/")
    assert (await anonymous.connect())[0]
    assert _error_code(await anonymous.receive_json_from(timeout=5)) == "not_authenticated"
    assert (await anonymous.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4401}
    stranger = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/", outsider)
    assert (await stranger.connect())[0]
    assert _error_code(await stranger.receive_json_from(timeout=5)) == "forbidden"
    assert (await stranger.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4403}
    missing = await sync_to_async(ws_communicator)("/ws/seances/999999/", outsider)
    assert (await missing.connect())[0]
    assert _error_code(await missing.receive_json_from(timeout=5)) == "not_found"
    assert (await missing.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4404}


# --- What every route does (tests/socket_frames.py) ----------------------------------------


async def _opened(ws_communicator, path, person, initial: int):
    comm = await sync_to_async(ws_communicator)(path, person)
    assert (await comm.connect())[0]
    for _ in range(initial):
        await comm.receive_json_from(timeout=5)
    return comm


async def test_vote_socket_answers_bad_frames_and_stays_usable(ws_communicator, open_motion, delegate):
    from tests.socket_frames import assert_bad_frames_answered

    comm = await _opened(ws_communicator, f"/ws/votes/{open_motion.pk}/", delegate, initial=2)
    await assert_bad_frames_answered(comm)
    await comm.send_json_to({"type": "state"})
    assert (await comm.receive_json_from(timeout=5))["type"] == "motion.state"
    await comm.disconnect()


async def test_session_socket_answers_bad_frames_and_stays_usable(ws_communicator, forum_session, member):
    from tests.socket_frames import assert_bad_frames_answered

    comm = await _opened(ws_communicator, f"/ws/seances/{forum_session.pk}/", member, initial=4)  # session, speakers, roll call, projector states
    await assert_bad_frames_answered(comm)
    await comm.disconnect()


async def test_vote_socket_flooding_closes_with_4429(ws_communicator, open_motion, delegate):
    from tests.socket_frames import assert_flooding_closes

    comm = await _opened(ws_communicator, f"/ws/votes/{open_motion.pk}/", delegate, initial=2)
    await assert_flooding_closes(comm)


async def test_session_socket_flooding_closes_with_4429(ws_communicator, forum_session, member):
    from tests.socket_frames import assert_flooding_closes

    comm = await _opened(ws_communicator, f"/ws/seances/{forum_session.pk}/", member, initial=4)
    await assert_flooding_closes(comm)
