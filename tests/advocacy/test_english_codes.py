"""Stored codes are English; migration 0005 converts existing rows both ways."""

import importlib

import pytest
from django.apps import apps

from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Ballot,
    BallotKind,
    Choice,
    Demand,
    DemandState,
    ForumSession,
    ForumSessionStatus,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    Threshold,
)
from tests.advocacy.conftest import make_demand

migration = importlib.import_module("advocacy.migrations.0005_english_codes")

ENUMS = [
    DemandState,
    AmendmentStatus,
    ForumSessionStatus,
    Threshold,
    BallotKind,
    MotionStatus,
    MotionResult,
    Choice,
    MinutesStatus,
]


def test_every_stored_code_is_english_and_labels_stay_french():
    french = {"brouillon", "ordre_du_jour", "au_vote", "adoptee", "rejetee", "retiree", "transmise", "suivi",
              "proposee", "acceptee", "prevue", "en_cours", "terminee", "deux_tiers", "appel", "en_attente",
              "ouvert", "ferme", "sans_quorum", "pour", "contre", "abstention", "publie"}
    for enum in ENUMS:
        assert not french & set(enum.values), enum
    assert Choice.FOR == "for" and str(Choice.FOR.label) == "Pour"
    assert DemandState.AGENDA == "agenda" and str(DemandState.AGENDA.label) == "À l'ordre du jour"
    assert ForumSessionStatus.IN_PROGRESS == "in_progress"


def test_the_migration_maps_every_old_code_to_a_current_one():
    fields = {
        ("Demand", "state"): DemandState,
        ("Amendment", "status"): AmendmentStatus,
        ("ForumSession", "status"): ForumSessionStatus,
        ("Motion", "threshold"): Threshold,
        ("Motion", "ballot_kind"): BallotKind,
        ("Motion", "status"): MotionStatus,
        ("Motion", "result"): MotionResult,
        ("Ballot", "choice"): Choice,
        ("Minutes", "status"): MinutesStatus,
    }
    assert set(migration.CODES) == set(fields)
    for key, mapping in migration.CODES.items():
        assert set(mapping.values()) <= set(fields[key].values), key


@pytest.mark.django_db
def test_rows_convert_to_french_and_back(forum_session, organisation, delegate, project_lead):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    amendment = Amendment.objects.create(demand=demand, base_text="a", proposed_text="b", rationale="r")
    motion = Motion.objects.create(
        session=forum_session, demand=demand, title="P", threshold=Threshold.TWO_THIRDS, ballot_kind=BallotKind.ROLL_CALL,
        status=MotionStatus.CLOSED, result=MotionResult.NO_QUORUM,
    )
    Ballot.objects.create(motion=motion, organisation=organisation, cast_by=delegate, choice=Choice.ABSTAIN)
    ForumSession.objects.filter(pk=forum_session.pk).update(status=ForumSessionStatus.IN_PROGRESS)
    Minutes.objects.create(session=forum_session, body="PV", status=MinutesStatus.PUBLISHED)

    migration.to_french(apps, None)
    assert Demand.objects.get(pk=demand.pk).state == "ordre_du_jour"
    assert Amendment.objects.get(pk=amendment.pk).status == "proposee"
    assert ForumSession.objects.get(pk=forum_session.pk).status == "en_cours"
    assert Motion.objects.filter(pk=motion.pk).values_list("threshold", "ballot_kind", "status", "result").get() == (
        "deux_tiers", "appel", "ferme", "sans_quorum",
    )
    assert Ballot.objects.get().choice == "abstention"
    assert Minutes.objects.get().status == "publie"

    migration.to_english(apps, None)
    assert Demand.objects.get(pk=demand.pk).state == DemandState.AGENDA
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.PROPOSED
    assert ForumSession.objects.get(pk=forum_session.pk).status == ForumSessionStatus.IN_PROGRESS
    assert Motion.objects.filter(pk=motion.pk).values_list("threshold", "ballot_kind", "status", "result").get() == (
        Threshold.TWO_THIRDS, BallotKind.ROLL_CALL, MotionStatus.CLOSED, MotionResult.NO_QUORUM,
    )
    assert Ballot.objects.get().choice == Choice.ABSTAIN
    assert Minutes.objects.get().status == MinutesStatus.PUBLISHED
