"""Secret ballots racing on PostgreSQL: one who-voted row and one choice per organisation,
and an urn that loses no ballot while each ballot rewrites it.

Threads against a real PostgreSQL: a secret motion's ballots lock the motion row for update,
so the second of two ballots for one organisation sees the first and is refused.
"""

import os

import pytest
from django.db import connection

from advocacy import services
from advocacy.models import BallotKind, Motion, SecretChoice, SecretParticipation
from tests.advocacy.conftest import make_demand, race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent transactions need PostgreSQL (set DATABASE_URL=postgres://...); SQLite serialises every write",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 6


def _secret(session, chair, org, title) -> Motion:
    motion = Motion.objects.create(
        session=session, demand=make_demand(org, state="agenda", title=title), title=title, ballot_kind=BallotKind.SECRET
    )
    services.do_open_motion(actor=chair, motion=motion)
    return motion


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_two_concurrent_ballots_for_one_organisation_store_one_of_each(make_orgs, forum_session, project_lead):
    (org, delegate, substitute), = make_orgs(1)
    for i in range(ROUNDS):
        motion = _secret(forum_session, project_lead, org, f"Secret {i}")
        # Odd rounds: the délégué·e from two tabs; even rounds: délégué·e against substitut·e.
        second = delegate if i % 2 else substitute
        outcomes = race([
            lambda m=motion: services.do_cast_ballot(actor=_fresh(delegate), motion=m, choice="for"),
            lambda m=motion, s=second: services.do_cast_ballot(actor=_fresh(s), motion=m, choice="against"),
        ])
        assert sorted(kind for kind, _x in outcomes) == ["ok", "refused"], outcomes
        refused = next(code for kind, code in outcomes if kind == "refused")
        assert refused in (("secret_final",) if i % 2 else ("delegate_voted", "substitute_voted")), outcomes
        assert SecretParticipation.objects.filter(motion=motion).count() == 1
        assert SecretChoice.objects.filter(motion=motion).count() == 1
        services.do_close_motion(actor=project_lead, motion=motion)
        closed = Motion.objects.get(pk=motion.pk)
        assert closed.count_for + closed.count_against + closed.count_abstain == 1


def test_many_organisations_at_once_lose_no_ballot_in_the_urn(make_orgs, forum_session, project_lead):
    rows = make_orgs(12)
    motion = _secret(forum_session, project_lead, rows[0][0], "Secret simultané")
    choices = ["for", "against", "abstain"]
    calls = [
        lambda m=motion, d=delegate, c=choices[i % 3]: services.do_cast_ballot(actor=_fresh(d), motion=m, choice=c)
        for i, (_org, delegate, _sub) in enumerate(rows)
    ]
    # The chair enters a paper ballot for one of them at the same moment: one of the two wins.
    calls.append(lambda m=motion: services.do_enter_ballot(
        actor=_fresh(project_lead), motion=m, organisation=rows[0][0].pk, choice="abstain", channel="paper"
    ))
    outcomes = race(calls)
    assert [kind for kind, _x in outcomes].count("ok") == 12, outcomes
    assert SecretParticipation.objects.filter(motion=motion).count() == 12
    assert SecretChoice.objects.filter(motion=motion).count() == 12
    # Every urn row was written by the latest ballot: no transaction id pairs a choice with
    # the participation written beside it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT xmin::text) FROM {SecretChoice._meta.db_table} WHERE motion_id = %s", [motion.pk])  # noqa: S608
        assert cursor.fetchone()[0] == 1
    services.do_close_motion(actor=project_lead, motion=motion)
    closed = Motion.objects.get(pk=motion.pk)
    assert closed.count_for + closed.count_against + closed.count_abstain == 12
    assert SecretChoice.objects.filter(motion=motion).count() == 12
