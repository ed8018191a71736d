"""The sitting over the real ASGI application and channel layer: the projector gets the
current state on connect, follows the chair's projection and the projected vote (a secret
vote's counts withheld), the session page sees the list of speakers and the roll call
change live, a hand raised over the socket, refusals as ``error`` events storing nothing."""

import pytest
from asgiref.sync import sync_to_async

from advocacy import services
from advocacy.models import AgendaItem, BallotKind, Motion, Speech

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _until(comm, predicate, limit=12):
    for _ in range(limit):
        message = await comm.receive_json_from(timeout=5)
        if predicate(message):
            return message
    raise AssertionError("expected message not received")


def _setup(forum_session):
    item = AgendaItem.objects.create(session=forum_session, sort_order=1, title="Point 1")
    secret = Motion.objects.create(session=forum_session, title="Scrutin secret", ballot_kind=BallotKind.SECRET, text="Que X.")
    return item, secret


async def test_projectors_follow_the_chair_and_reconnect_to_the_current_state(ws_communicator, forum_session, project_lead, delegate, substitute):
    item, secret = await sync_to_async(_setup)(forum_session)
    first = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/projecteur/", delegate)
    assert (await first.connect())[0]
    state = await first.receive_json_from(timeout=5)
    assert state["type"] == "projector.state" and state["kind"] == "nothing"
    second = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/projecteur/", substitute)
    assert (await second.connect())[0]
    await second.receive_json_from(timeout=5)

    await sync_to_async(services.do_project)(actor=project_lead, session=forum_session, kind="item", agenda_item_id=item.pk)
    for comm in (first, second):
        pushed = await _until(comm, lambda m: m["type"] == "projector.state")
        assert pushed["kind"] == "item" and pushed["item"]["title"] == "Point 1"

    await sync_to_async(services.do_project)(actor=project_lead, session=forum_session, kind="motion", motion_id=secret.pk)
    pushed = await _until(first, lambda m: m["type"] == "projector.state")
    assert pushed["motion"]["id"] == secret.pk and pushed["motion"]["state"]["counts"] is None
    await _until(second, lambda m: m["type"] == "projector.state")

    # The projected vote's live state reaches the wall, without the secret counts.
    await sync_to_async(services.do_open_motion)(actor=project_lead, motion=secret)
    await sync_to_async(services.do_cast_ballot)(actor=delegate, motion=secret, choice="for")
    live = await _until(first, lambda m: m["type"] == "motion.state" and m["voted"] == 1)
    assert live["counts"] is None and live["motion"] == secret.pk

    # A projector that reconnects gets the current projection at once.
    await second.disconnect()
    again = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/projecteur/", substitute)
    assert (await again.connect())[0]
    state = await again.receive_json_from(timeout=5)
    assert state["kind"] == "motion" and state["motion"]["state"]["voted"] == 1 and state["item"]["id"] == item.pk
    await again.disconnect()
    await first.disconnect()


async def test_outsider_cannot_open_the_projector(ws_communicator, forum_session, outsider):
    comm = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/projecteur/", outsider)
    assert (await comm.connect())[0]
    error = await comm.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert (await comm.receive_output(timeout=5))["code"] == 4403


async def test_session_page_sees_speakers_and_roll_call_live(ws_communicator, forum_session, project_lead, delegate, member):
    item, _secret = await sync_to_async(_setup)(forum_session)
    await sync_to_async(services.do_project)(actor=project_lead, session=forum_session, kind="item", agenda_item_id=item.pk)
    watcher = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/", member)
    assert (await watcher.connect())[0]
    kinds = [(await watcher.receive_json_from(timeout=5))["type"] for _ in range(4)]
    assert kinds == ["session.state", "speakers.state", "rollcall.state", "projector.state"]

    voter = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/", delegate)
    assert (await voter.connect())[0]
    for _ in range(4):
        await voter.receive_json_from(timeout=5)
    await voter.send_json_to({"type": "hand", "raised": True})
    pushed = await _until(watcher, lambda m: m["type"] == "speakers.state" and m["waiting"])
    assert pushed["waiting"][0]["organisation"] and pushed["waiting"][0]["point_of_order"] is False
    await voter.send_json_to({"type": "hand", "raised": True})
    error = await _until(voter, lambda m: m["type"] == "error")
    assert error["code"] == "already_waiting" and error["message"]
    assert await sync_to_async(Speech.objects.count)() == 1

    speech = await sync_to_async(Speech.objects.get)()
    await sync_to_async(services.do_give_floor)(actor=project_lead, speech=speech)
    await sync_to_async(services.do_start_timer)(actor=project_lead, agenda_item=item)
    timed = await _until(watcher, lambda m: m["type"] == "speakers.state" and m["current"] and m["current"]["started_at"])
    assert timed["limit"] == 180 and timed["server_time"]

    await sync_to_async(services.do_open_roll_call)(actor=project_lead, session=forum_session)
    await sync_to_async(services.do_check_in)(actor=delegate, session=forum_session, mode="online")
    roll = await _until(watcher, lambda m: m["type"] == "rollcall.state" and m["present"])
    assert roll["open"] and roll["present"][0]["mode"] == "online"
    quorum = await _until(watcher, lambda m: m["type"] == "session.state")
    assert quorum["quorum"]["present"] == 1
    await voter.disconnect()
    await watcher.disconnect()


async def test_a_member_raising_a_hand_is_refused(ws_communicator, forum_session, project_lead, member):
    item, _secret = await sync_to_async(_setup)(forum_session)
    comm = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/", member)
    assert (await comm.connect())[0]
    for _ in range(4):
        await comm.receive_json_from(timeout=5)
    await comm.send_json_to({"type": "hand", "raised": True})
    assert (await _until(comm, lambda m: m["type"] == "error"))["code"] == "no_item"
    await sync_to_async(services.do_project)(actor=project_lead, session=forum_session, kind="item", agenda_item_id=item.pk)
    await comm.send_json_to({"type": "hand", "raised": True})
    assert (await _until(comm, lambda m: m["type"] == "error"))["code"] == "forbidden"
    assert await sync_to_async(Speech.objects.count)() == 0
    await comm.disconnect()




async def test_projector_socket_answers_bad_frames_and_refuses_hands(ws_communicator, forum_session, delegate):
    from tests.socket_frames import assert_bad_frames_answered

    comm = await sync_to_async(ws_communicator)(f"/ws/seances/{forum_session.pk}/projecteur/", delegate)
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from(timeout=5))["type"] == "projector.state"
    await assert_bad_frames_answered(comm)
    # The wall is read-only: a hand raised there is an unknown frame, nothing is stored.
    await comm.send_json_to({"type": "hand", "raised": True})
    assert (await comm.receive_json_from(timeout=5))["code"] == "unknown_type"
    assert await sync_to_async(Speech.objects.count)() == 0
    await comm.disconnect()
