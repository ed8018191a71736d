"""A secret ballot that is secret: who voted and how are two tables nothing joins; counts
stay hidden until the close; a secret ballot is final; procurations and the chair's
entries still work; the minutes give totals only."""

import logging
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from advocacy import services
from advocacy.minutes_pdf import minutes_pdf
from advocacy.models import (
    Ballot,
    BallotKind,
    Choice,
    DemandState,
    Motion,
    ProjectionKind,
    SecondMajority,
    SecretChoice,
    SecretParticipation,
)
from advocacy.services import projector
from tests.advocacy.conftest import make_demand
from tests.advocacy.test_minutes_pdf import pages_text

pytestmark = pytest.mark.django_db


def _secret_motion(session, chair, org, title="Scrutin secret"):
    demand = make_demand(org, state=DemandState.AGENDA, title=title)
    motion = Motion.objects.create(session=session, demand=demand, title=title, ballot_kind=BallotKind.SECRET)
    services.do_open_motion(actor=chair, motion=motion)
    return Motion.objects.select_related("session").get(pk=motion.pk)


@pytest.fixture
def secret_motion(forum_session, project_lead, organisation, delegate, substitute):
    return _secret_motion(forum_session, project_lead, organisation)


def _columns(model) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table))


def _rows(model) -> tuple[list[str], list[tuple]]:
    """Every column of every row, in the table's own order (what a dump lists)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return [c[0] for c in cursor.description], cursor.fetchall()


def _foreign_tables(model) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}


CAST_ORDER = ["for"] * 4 + ["against"] * 4 + ["abstain"] * 4


def _vote(motion, rows, choices=CAST_ORDER):
    for (_org, delegate, _sub), choice in zip(rows, choices, strict=True):
        services.do_cast_ballot(actor=delegate, motion=motion, choice=choice)


def test_nothing_in_the_tables_links_an_organisation_to_its_choice(make_orgs, forum_session, project_lead):
    rows = make_orgs(12)
    motion = _secret_motion(forum_session, project_lead, rows[0][0])
    _vote(motion, rows[:11], CAST_ORDER[:11])
    # The twelfth organisation votes on paper, entered by the chair.
    services.do_enter_ballot(actor=project_lead, motion=motion, organisation=rows[11][0], choice="abstain", channel="paper")

    # No roll-call ballot is kept for a secret motion.
    assert not Ballot.objects.filter(motion=motion).exists()
    # Who voted: organisation, person, channel, time; no choice column.
    who = _columns(SecretParticipation)
    assert not [c for c in who if "choice" in c]
    assert sorted(SecretParticipation.objects.values_list("organisation_id", flat=True)) == sorted(o.pk for o, _, _ in rows)
    entered = SecretParticipation.objects.get(organisation=rows[11][0])
    assert (entered.channel, entered.entered_by_id, entered.cast_by_id) == ("paper", project_lead.pk, None)
    # How: the choice only, a random key, the motion; no organisation, person, time or sequence.
    assert _columns(SecretChoice) == ["choice", "id", "motion_id"]
    ids = list(SecretChoice.objects.values_list("id", flat=True))
    assert len(ids) == 12 and all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    # No foreign key between the two tables, either way.
    assert _foreign_tables(SecretChoice) == {Motion._meta.db_table}
    assert SecretChoice._meta.db_table not in _foreign_tables(SecretParticipation)

    # Read raw, over all columns: the only value the two tables share is the motion.
    who_columns, who_rows = _rows(SecretParticipation)
    urn_columns, urn_rows = _rows(SecretChoice)
    who_values = {str(v) for row in who_rows for v in row}
    motion_at = urn_columns.index("motion_id")
    urn_values = {str(v) for row in urn_rows for i, v in enumerate(row) if i != motion_at}
    assert not who_values & urn_values
    assert {str(row[motion_at]) for row in urn_rows} == {str(motion.pk)}
    choice_at = urn_columns.index("choice")
    assert sorted(row[choice_at] for row in urn_rows) == sorted([*CAST_ORDER[:11], "abstain"])

    # The close writes the urn anew: new ids, the same choices; the counts are right.
    services.do_close_motion(actor=project_lead, motion=motion)
    assert not set(ids) & set(SecretChoice.objects.values_list("id", flat=True))
    closed = Motion.objects.get(pk=motion.pk)
    assert (closed.count_for, closed.count_against, closed.count_abstain) == (4, 4, 4)


def test_the_urn_order_does_not_follow_the_casting_order(make_orgs, forum_session, project_lead):
    """Twelve ballots, four of each choice: the table lists them in the casting order by
    chance with odds of 1 in 34,650 once; in two votes in a row, 1 in 1.2 billion."""
    rows = make_orgs(12)
    same = []
    for n in range(2):
        motion = _secret_motion(forum_session, project_lead, rows[0][0], title=f"Secret {n}")
        _vote(motion, rows)
        _columns_, urn_rows = _rows(SecretChoice)
        same.append([row[_columns_.index("choice")] for row in urn_rows] == CAST_ORDER)
        services.do_close_motion(actor=project_lead, motion=motion)
        SecretChoice.objects.all().delete()
    assert same != [True, True]


def test_counts_are_hidden_until_the_close_everywhere(client, make_orgs, forum_session, project_lead):
    rows = make_orgs(3)
    motion = _secret_motion(forum_session, project_lead, rows[0][0])
    _vote(motion, rows[:2], ["for", "against"])

    state = services.motion_state(motion)
    assert state["counts"] is None and state["counts_hidden"] is True
    assert state["voted"] == 2 and state["eligible"] == 3 and "roll_call" not in state
    # The projector's wall.
    services.do_project(actor=project_lead, session=forum_session, kind=ProjectionKind.MOTION, motion_id=motion.pk)
    wall = projector.projector_state(forum_session)["motion"]["state"]
    assert wall["counts"] is None and wall["voted"] == 2
    # The vote page and the motion's projection page: the count of organisations, no tally.
    client.force_login(project_lead)
    for name in ("advocacy:vote", "advocacy:projector"):
        page = client.get(reverse(name, args=[motion.pk])).content.decode().replace("&#x27;", "'")
        assert "le décompte reste caché jusqu'à la fermeture" in page
        assert '"counts": null' in page and '"voted": 2' in page
        assert '<dd data-count="for">1</dd>' not in page and '<dd data-count="against">1</dd>' not in page

    services.do_close_motion(actor=project_lead, motion=motion)
    closed = services.motion_state(Motion.objects.get(pk=motion.pk))
    assert closed["counts"] == {"for": 1, "against": 1, "abstain": 0} and not closed["counts_hidden"]
    page = client.get(reverse("advocacy:vote", args=[motion.pk])).content.decode().replace("&#x27;", "'")
    assert '<dd data-count="for">1</dd>' in page and '<dd data-count="against">1</dd>' in page
    assert projector.projector_state(forum_session)["motion"]["state"]["counts"]["for"] == 1


def test_the_page_says_a_secret_ballot_is_final_before_casting(client, open_motion, organisation, delegate, project_lead):
    client.force_login(delegate)
    # A roll-call vote may be changed until the close, and says so.
    page = client.get(open_motion.get_absolute_url()).content.decode().replace("&#x27;", "'")
    assert "Vous pouvez changer votre vote jusqu'à la fermeture." in page
    services.do_close_motion(actor=project_lead, motion=open_motion)

    secret = _secret_motion(open_motion.session, project_lead, organisation)
    page = client.get(secret.get_absolute_url()).content.decode().replace("&#x27;", "'")
    assert "Vote secret : une fois déposé, votre bulletin ne peut plus être changé." in page
    assert f'aria-describedby="ballot-help-{organisation.pk}"' in page
    assert "Vous pouvez changer votre vote" not in page


def test_a_second_secret_ballot_is_refused_and_nothing_is_stored(client, secret_motion, delegate, substitute):
    services.do_cast_ballot(actor=delegate, motion=secret_motion, choice="for")
    for choice in ("against", "for"):
        with pytest.raises(services.NotAllowed) as refused:
            services.do_cast_ballot(actor=delegate, motion=secret_motion, choice=choice)
        assert refused.value.code == "secret_final"
        assert "ne peut plus être changé" in str(refused.value.message)
    with translation.override("en"), pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=delegate, motion=secret_motion, choice="against")
    assert "secret ballot" in str(refused.value.message) and "cannot be changed" in str(refused.value.message)
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=substitute, motion=secret_motion, choice="against")
    assert refused.value.code == "delegate_voted"

    client.force_login(delegate)
    page = client.get(secret_motion.get_absolute_url()).content.decode().replace("&#x27;", "'")
    assert "Bulletin secret déposé dans l'urne" in page and 'name="choice"' not in page
    response = client.post(secret_motion.get_absolute_url(), {"choice": "against"})
    assert response.status_code == 403 and "ne peut plus être changé" in response.content.decode().replace("&#x27;", "'")
    assert SecretParticipation.objects.filter(motion=secret_motion).count() == 1
    assert list(SecretChoice.objects.filter(motion=secret_motion).values_list("choice", flat=True)) == ["for"]


def test_the_page_confirms_a_secret_ballot_without_its_choice(client, secret_motion, delegate):
    client.force_login(delegate)
    response = client.post(secret_motion.get_absolute_url(), {"choice": "against"}, follow=True)
    page = response.content.decode().replace("&#x27;", "'")
    assert "est dans l'urne. Il ne peut plus être changé." in page
    assert "Contre" not in page.split('id="mon-vote"')[1].split("</section>")[0]


def test_procuration_holder_and_chair_entries_on_a_secret_vote(client, make_orgs, forum_session, project_lead):
    (giver_org, giver, _gs), (holder_org, holder, _hs), (paper_org, _pd, _ps) = make_orgs(3)
    request = services.do_request_procuration(actor=giver, session=forum_session, holder=holder)
    services.do_confirm_procuration(actor=project_lead, procuration=request)
    motion = _secret_motion(forum_session, project_lead, giver_org)

    services.do_cast_ballot(actor=holder, motion=motion, choice="for")
    services.do_cast_ballot(actor=holder, motion=motion, choice="against", organisation=giver_org.pk)
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=holder, motion=motion, choice="for", organisation=giver_org.pk)
    assert refused.value.code == "secret_final"
    client.force_login(project_lead)
    response = client.post(reverse("advocacy:enter_ballot", args=[motion.pk]),
                           {"organisation": paper_org.pk, "choice": "abstain", "channel": "phone"}, follow=True)
    assert "Bulletin secret de" in response.content.decode().replace("&#x27;", "'") and "déposé dans l'urne" in response.content.decode().replace("&#x27;", "'")
    with pytest.raises(services.InvalidState) as refused:
        services.do_enter_ballot(actor=project_lead, motion=motion, organisation=paper_org, choice="for", channel="paper")
    assert refused.value.code == "already_voted"

    who = {p.organisation_id: p for p in SecretParticipation.objects.filter(motion=motion)}
    assert (who[giver_org.pk].cast_by_id, who[giver_org.pk].cast_by_role) == (holder.pk, "proxy")
    assert (who[holder_org.pk].cast_by_id, who[holder_org.pk].cast_by_role) == (holder.pk, "delegate")
    assert (who[paper_org.pk].channel, who[paper_org.pk].entered_by_id) == ("phone", project_lead.pk)
    assert sorted(SecretChoice.objects.filter(motion=motion).values_list("choice", flat=True)) == ["abstain", "against", "for"]
    state = services.motion_state(motion)
    assert state["voted"] == 3 and state["entered"]["phone"] == 1 and state["counts"] is None
    services.do_close_motion(actor=project_lead, motion=motion)
    closed = Motion.objects.get(pk=motion.pk)
    assert (closed.count_for, closed.count_against, closed.count_abstain) == (1, 1, 1)


def test_minutes_give_a_secret_vote_s_totals_only(make_orgs, forum_session, project_lead):
    rows = make_orgs(4)
    for org, _d, _s in rows:
        services.do_record_attendance(actor=project_lead, session=forum_session, organisation=org, present=True)
    motion = _secret_motion(forum_session, project_lead, rows[0][0], title="Scrutin à bulletin secret")
    _vote(motion, rows, ["for", "for", "against", "abstain"])
    services.do_close_motion(actor=project_lead, motion=motion)

    text = services.draft_minutes_text(forum_session)
    assert "Pour : 2 — Contre : 1 — Abstention : 1" in text
    assert "Vote secret : seuls les totaux sont consignés." in text
    assert "Vote par appel nominal :" not in text
    pdf = " ".join(pages_text(minutes_pdf(forum_session)))
    assert "Vote secret : seuls les totaux sont consignés." in pdf
    for org, _d, _s in rows:
        assert f"{org.name} : Pour" not in text + pdf and f"{org.name} : Contre" not in text + pdf


def test_a_secret_vote_cannot_ask_for_a_double_majority(forum_session, project_lead, organisation):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    motion = Motion(session=forum_session, demand=demand, title="P", ballot_kind=BallotKind.SECRET, second_majority=SecondMajority.REGIONS)
    with pytest.raises(ValidationError) as invalid:
        motion.full_clean()
    assert "second_majority" in invalid.value.message_dict
    motion.save()
    with pytest.raises(services.InvalidState) as refused:
        services.do_open_motion(actor=project_lead, motion=motion)
    assert "double majorité" in str(refused.value.message)
    assert Motion.objects.get(pk=motion.pk).is_pending


def test_nothing_logs_the_choice(secret_motion, delegate, project_lead, caplog):
    with caplog.at_level(logging.DEBUG):
        services.do_cast_ballot(actor=delegate, motion=secret_motion, choice=Choice.AGAINST)
        services.do_close_motion(actor=project_lead, motion=secret_motion)
    logged = " ".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert "against" not in logged and "Contre" not in logged


def test_the_kind_of_vote_does_not_change_once_open(secret_motion):
    secret_motion.ballot_kind = BallotKind.ROLL_CALL
    with pytest.raises(ValidationError) as invalid:
        secret_motion.full_clean()
    assert "ballot_kind" in invalid.value.message_dict


def test_the_migration_splits_the_secret_ballots_already_stored(make_orgs, forum_session, project_lead):
    """Ballots stored for a secret motion before the urn existed: split, then deleted."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    import advocacy.migrations

    name = next(Path(advocacy.migrations.__file__).parent.glob("*_secret_ballot_urn.py")).stem
    split = importlib.import_module(f"advocacy.migrations.{name}").split_secret_ballots
    rows = make_orgs(3)
    old = Motion.objects.create(session=forum_session, title="Ancien scrutin secret", ballot_kind=BallotKind.SECRET)
    roll_call = Motion.objects.create(session=forum_session, title="Appel nominal")
    for (org, delegate, _s), choice in zip(rows, ["for", "against", "for"], strict=True):
        Ballot.objects.create(motion=old, organisation=org, cast_by=delegate, cast_by_role="delegate", choice=choice)
        Ballot.objects.create(motion=roll_call, organisation=org, cast_by=delegate, cast_by_role="delegate", choice=choice)
    split(apps, None)
    assert not Ballot.objects.filter(motion=old).exists() and Ballot.objects.filter(motion=roll_call).count() == 3
    assert sorted(SecretParticipation.objects.filter(motion=old).values_list("organisation_id", flat=True)) == sorted(o.pk for o, _, _ in rows)
    assert sorted(SecretChoice.objects.filter(motion=old).values_list("choice", flat=True)) == ["against", "for", "for"]
