"""Forum fixtures: PASI organisations with délégué·es and substitut·es, a session, demands."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy.models import Demand, DemandState, ForumSession, Motion, MotionStatus
from tcri_site.members.models import Role
from tests.factories import OrganisationFactory, make_member


def make_demand(org=None, state=DemandState.CONSULTATION, text="Que le MIFI finance X.\n\nQue les délais soient de dix jours.", **kwargs):
    demand = Demand(
        title=kwargs.pop("title", "Revendication test"), text=text, rationale="Parce que.", proposing_organisation=org,
        state=state, live=True, **kwargs,
    )
    demand.save()
    demand.save_revision().publish(skip_permission_checks=True, log_action=False)
    return Demand.objects.get(pk=demand.pk)


@pytest.fixture
def make_orgs(db):
    """``make_orgs(n)`` → list of (organisation, délégué·e, substitut·e)."""

    def build(n: int):
        rows = []
        for _ in range(n):
            org = OrganisationFactory()
            rows.append((org, make_member(org, Role.DELEGUE), make_member(org, Role.SUBSTITUT)))
        return rows

    return build


@pytest.fixture
def forum_session(project_lead):
    start = timezone.now() + timedelta(days=2)
    return ForumSession.objects.create(title="Séance test", starts_at=start, ends_at=start + timedelta(hours=2), place="Montréal", chair=project_lead)


@pytest.fixture
def demand(organisation):
    return make_demand(organisation)


@pytest.fixture
def open_motion(forum_session, organisation, delegate, substitute):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="Proposition test", text=demand.text)
    from advocacy.services import do_open_motion

    do_open_motion(actor=forum_session.chair, motion=motion)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN
    return motion


def race(calls) -> list[tuple[str, object]]:
    """Run ``calls`` in threads released together (PostgreSQL race tests): each gives
    ("ok", its result) or ("refused", the refusal's code); each thread closes its connection."""
    import threading

    from django.db import connection

    from advocacy import services

    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(fn):
        barrier.wait()
        try:
            outcome = ("ok", fn())
        except services.AdvocacyRefusal as exc:
            outcome = ("refused", exc.code)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(fn,)) for fn in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
