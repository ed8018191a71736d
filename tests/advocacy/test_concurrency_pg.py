"""60 délégué·es and their 60 substitut·es vote at the same moment, half over HTTP and half
over the WebSocket: exactly one ballot per organisation, and the tally equals the ballots.

Needs PostgreSQL (real row locks and concurrent connections); CI's second run has it.
"""

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client

from advocacy import services
from advocacy.models import Ballot, Motion
from tests.advocacy.conftest import make_demand

ORGS = 60

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row-lock concurrency needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_sixty_organisations_vote_at_once_over_http_and_websocket(make_orgs, forum_session, project_lead):
    from tcri_site.asgi import application

    rows = make_orgs(ORGS)
    demand = make_demand(rows[0][0], state="agenda")
    motion = Motion.objects.create(session=forum_session, demand=demand, title="Vote simultané")
    services.do_open_motion(actor=project_lead, motion=motion)
    choices = ["for", "against", "abstain"]
    http_jobs, ws_jobs = [], []
    for i, (_org, delegate, substitute) in enumerate(rows):
        # Even organisations: délégué·e over HTTP, substitut·e over the socket; odd: the reverse.
        first, second = (delegate, substitute) if i % 2 == 0 else (substitute, delegate)
        http_jobs.append((_cookie(first), choices[i % 3]))
        ws_jobs.append((_cookie(second), choices[(i + 1) % 3]))
    url = f"/forum-pasi/votes/{motion.pk}/"
    start = threading.Barrier(2)
    http_status = []

    def post(job):
        cookie, choice = job
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        try:
            return client.post(url, {"choice": choice}).status_code
        finally:
            connection.close()

    def run_http():
        start.wait()
        with ThreadPoolExecutor(max_workers=20) as pool:
            http_status.extend(pool.map(post, http_jobs))

    async def run_ws():
        comms = []
        for cookie, _choice in ws_jobs:
            comm = WebsocketCommunicator(
                application,
                f"/ws/votes/{motion.pk}/",
                headers=[(b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()), (b"origin", b"http://testserver")],
            )
            connected, _ = await comm.connect(timeout=20)
            assert connected
            await comm.receive_json_from(timeout=20)  # state
            await comm.receive_json_from(timeout=20)  # own ballot
            comms.append(comm)
        await asyncio.get_running_loop().run_in_executor(None, start.wait)
        for comm, (_cookie_value, choice) in zip(comms, ws_jobs, strict=True):
            await comm.send_json_to({"type": "cast", "choice": choice})
        replies = []
        for comm in comms:
            while True:
                message = await comm.receive_json_from(timeout=60)
                if message["type"] in ("ballot", "error"):
                    replies.append(message)
                    break
        for comm in comms:
            await comm.disconnect()
        return replies

    http_thread = threading.Thread(target=run_http)
    http_thread.start()
    ws_replies = asyncio.run(run_ws())
    http_thread.join(timeout=120)

    ballots = list(Ballot.objects.filter(motion=motion))
    assert len(ballots) == ORGS
    assert len({b.organisation_id for b in ballots}) == ORGS
    # Per organisation exactly one of the two people won; the other got a clear refusal.
    accepted_http = sum(1 for s in http_status if s == 302)
    refused_http = sum(1 for s in http_status if s == 403)
    accepted_ws = sum(1 for r in ws_replies if r["type"] == "ballot")
    refused_ws = [r for r in ws_replies if r["type"] == "error"]
    assert accepted_http + refused_http == ORGS and len(ws_replies) == ORGS
    assert accepted_http + accepted_ws == ORGS
    assert all(r["code"] in ("delegate_voted", "substitute_voted") for r in refused_ws)
    for ballot in ballots:
        org, delegate, substitute = next(r for r in rows if r[0].pk == ballot.organisation_id)
        assert ballot.cast_by_id in (delegate.pk, substitute.pk)
    state = services.motion_state(motion)
    assert state["voted"] == ORGS == sum(state["counts"].values())
    for choice in choices:
        assert state["counts"][choice] == sum(1 for b in ballots if b.choice == choice)
    closed = services.do_close_motion(actor=project_lead, motion=motion)
    assert closed.count_for + closed.count_against + closed.count_abstain == ORGS
