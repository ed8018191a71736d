"""A secret vote over the real ASGI application and channel layer: no frame carries a
count or a choice while it is open; the close brings the counts and the result."""

import pytest
from asgiref.sync import sync_to_async

from advocacy import services
from advocacy.models import BallotKind, DemandState, Motion, SecretChoice, SecretParticipation
from tests.advocacy.conftest import make_demand
from tests.socket_frames import error_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _open_secret(session, chair, org) -> Motion:
    demand = make_demand(org, state=DemandState.AGENDA)
    motion = Motion.objects.create(session=session, demand=demand, title="Scrutin secret", ballot_kind=BallotKind.SECRET)
    services.do_open_motion(actor=chair, motion=motion)
    return motion


async def _frames_until(comm, predicate, seen: list, limit=10) -> dict:
    for _ in range(limit):
        frame = await comm.receive_json_from(timeout=5)
        seen.append(frame)
        if predicate(frame):
            return frame
    raise AssertionError(f"expected frame not received: {seen}")


def _assert_secret(frame: dict) -> None:
    assert frame["counts"] is None and frame["counts_hidden"] is True, frame
    assert "roll_call" not in frame and "for" not in str(frame.get("counts")), frame


async def test_the_socket_withholds_counts_until_the_close(ws_communicator, make_orgs, forum_session, project_lead):
    rows = await sync_to_async(make_orgs)(3)
    motion = await sync_to_async(_open_secret)(forum_session, project_lead, rows[0][0])
    (_org_a, voter_a, _sa), (_org_b, voter_b, _sb), _third = rows
    seen: list[dict] = []

    watcher = await sync_to_async(ws_communicator)(f"/ws/votes/{motion.pk}/", project_lead)
    assert (await watcher.connect())[0]
    first = await _frames_until(watcher, lambda f: f["type"] == "motion.state", seen)
    _assert_secret(first)
    assert first["voted"] == 0 and first["eligible"] == 3

    voter = await sync_to_async(ws_communicator)(f"/ws/votes/{motion.pk}/", voter_a)
    assert (await voter.connect())[0]
    _assert_secret(await _frames_until(voter, lambda f: f["type"] == "motion.state", []))
    own = await _frames_until(voter, lambda f: f["type"] == "ballot", [])
    assert own["secret"] is True and own["choice"] is None and own["ballots"][0]["voted"] is False

    await voter.send_json_to({"type": "cast", "choice": "against"})
    reply = await _frames_until(voter, lambda f: f["type"] == "ballot", [])
    assert reply["choice"] is None and reply["final"] is True and reply["changed"]
    pushed = await _frames_until(watcher, lambda f: f["type"] == "motion.state" and f["voted"] == 1, seen)
    _assert_secret(pushed)

    # A second ballot from the same person is refused, over the socket too; nothing stored.
    await voter.send_json_to({"type": "cast", "choice": "for"})
    refused = await _frames_until(voter, lambda f: f["type"] == "error", [])
    assert error_code(refused) == "secret_final" and "ne peut plus être changé" in refused["message"]

    await sync_to_async(services.do_cast_ballot)(actor=voter_b, motion=motion, choice="for")
    pushed = await _frames_until(watcher, lambda f: f["type"] == "motion.state" and f["voted"] == 2, seen)
    _assert_secret(pushed)
    # A state asked for again is no different.
    await watcher.send_json_to({"type": "state"})
    _assert_secret(await _frames_until(watcher, lambda f: f["type"] == "motion.state", seen))

    await sync_to_async(services.do_close_motion)(actor=project_lead, motion=motion)
    closed = await _frames_until(watcher, lambda f: f["type"] == "motion.state" and f["status"] == "closed", seen)
    assert closed["counts"] == {"for": 1, "against": 1, "abstain": 0} and closed["counts_hidden"] is False
    assert closed["voted"] == 2 and closed["result"] and "roll_call" not in closed
    # Before the close, no frame the watcher got carried a count.
    assert all(f["counts"] is None for f in seen[:-1] if f["type"] == "motion.state")

    assert await sync_to_async(SecretParticipation.objects.filter(motion=motion).count)() == 2
    assert await sync_to_async(SecretChoice.objects.filter(motion=motion).count)() == 2
    await voter.disconnect()
    await watcher.disconnect()
