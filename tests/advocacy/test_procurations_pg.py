"""A procuration holder cannot cast twice for one organisation, even when their two
ballots (and the giving organisation's own representatives) race, on PostgreSQL.

Threads against a real PostgreSQL: without the motion-row lock, one ballot per
organisation rests on the unique constraint and the retry that reads a lost insert again.
"""

import os

import pytest

from advocacy import services
from advocacy.models import Ballot, Motion, Procuration, ProcurationStatus
from tests.advocacy.conftest import make_demand, race

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent transactions need PostgreSQL (set DATABASE_URL=postgres://...); SQLite serialises every write",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 8


def test_holder_and_givers_race_one_ballot_per_organisation(make_orgs, forum_session, project_lead):
    (giver_org, giver, giver_sub), (holder_org, holder, _sub) = make_orgs(2)
    Procuration.objects.create(session=forum_session, giver=giver_org, holder=holder, holder_organisation=holder_org,
                               status=ProcurationStatus.CONFIRMED)
    for i in range(ROUNDS):
        demand = make_demand(giver_org, state="agenda", title=f"Revendication {i}")
        motion = Motion.objects.create(session=forum_session, demand=demand, title=f"P{i}")
        services.do_open_motion(actor=project_lead, motion=motion)
        holder_user = type(holder).objects.get(pk=holder.pk)
        calls = [
            # The same holder twice for the represented organisation, from two "tabs".
            lambda m=motion: services.do_cast_ballot(actor=type(holder).objects.get(pk=holder.pk), motion=m, choice="for", organisation=giver_org.pk),
            lambda m=motion: services.do_cast_ballot(actor=type(holder).objects.get(pk=holder.pk), motion=m, choice="against", organisation=giver_org.pk),
            # The giving organisation's own representatives, who gave their voice.
            lambda m=motion: services.do_cast_ballot(actor=type(giver).objects.get(pk=giver.pk), motion=m, choice="abstain"),
            lambda m=motion: services.do_cast_ballot(actor=type(giver_sub).objects.get(pk=giver_sub.pk), motion=m, choice="abstain"),
            # The holder's own organisation, at the same moment.
            lambda m=motion: services.do_cast_ballot(actor=type(holder).objects.get(pk=holder.pk), motion=m, choice="for"),
        ]
        outcomes = race(calls)
        assert len(outcomes) == 5
        ballots = list(Ballot.objects.filter(motion=motion))
        per_org = {}
        for ballot in ballots:
            per_org.setdefault(ballot.organisation_id, []).append(ballot)
        assert {org: len(b) for org, b in per_org.items()} == {giver_org.pk: 1, holder_org.pk: 1}
        represented = per_org[giver_org.pk][0]
        assert represented.cast_by_id == holder_user.pk and represented.cast_by_role == "proxy"
        assert represented.choice in ("for", "against")
        assert sorted(code for kind, code in outcomes if kind == "refused") == ["proxy_given", "proxy_given"]
        services.do_close_motion(actor=project_lead, motion=motion)
        assert Motion.objects.get(pk=motion.pk).count_for + Motion.objects.get(pk=motion.pk).count_against == 2


def test_first_ballots_of_delegate_and_substituterace(make_orgs, forum_session, project_lead):
    """Without the motion lock, two first ballots for one organisation: one wins, the other
    is read again and refused as 'already voted by your délégué·e / substitut·e'."""
    rows = make_orgs(1)
    (org, delegate, substitute), = rows
    for i in range(ROUNDS):
        demand = make_demand(org, state="agenda", title=f"R{i}")
        motion = Motion.objects.create(session=forum_session, demand=demand, title=f"Q{i}")
        services.do_open_motion(actor=project_lead, motion=motion)
        outcomes = race([
            lambda m=motion: services.do_cast_ballot(actor=type(delegate).objects.get(pk=delegate.pk), motion=m, choice="for"),
            lambda m=motion: services.do_cast_ballot(actor=type(substitute).objects.get(pk=substitute.pk), motion=m, choice="against"),
        ])
        assert Ballot.objects.filter(motion=motion).count() == 1
        assert sorted(kind for kind, _x in outcomes) == ["ok", "refused"]
        assert [code for kind, code in outcomes if kind == "refused"][0] in ("delegate_voted", "substitute_voted")
        services.do_close_motion(actor=project_lead, motion=motion)
