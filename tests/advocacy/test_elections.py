"""Elections from the call for candidacies to the result: who may stand, vote and conduct;
one final ballot per organisation; secrecy read off the database tables; the pages."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from advocacy import services
from advocacy.models import (
    CandidateKind,
    Election,
    ElectionBallot,
    ElectionMethod,
    ElectionParticipation,
    ElectionStatus,
)
from advocacy.services import InvalidInput, InvalidState, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(project_lead):
    item = Election.objects.create(title="Table MIFI-organismes", seats=2, method=ElectionMethod.APPROVAL)
    services.do_open_candidacies(actor=project_lead, election=item)
    return Election.objects.get(pk=item.pk)


def candidates(election, people):
    return [services.do_stand(actor=p, election=election, statement=f"Je me présente, {i}.") for i, p in enumerate(people)]


def test_from_the_call_to_the_result(election, make_orgs, project_lead):
    orgs = make_orgs(5)
    a, b, c = candidates(election, [orgs[0][1], orgs[1][1], orgs[2][2]])
    services.do_open_voting(actor=project_lead, election=election)
    for (_, delegate, _), choice in zip(orgs, [[a.pk, b.pk], [a.pk], [b.pk, c.pk], [a.pk, c.pk], [a.pk, b.pk]], strict=True):
        services.do_cast_election_ballot(actor=delegate, election=election, choices=choice)
    closed = services.do_close_election(actor=project_lead, election=election)
    assert closed.status == ElectionStatus.CLOSED
    assert closed.result["ballots"] == 5
    assert closed.result["elected"] == [a.pk, b.pk]
    assert [(r["candidacy"], r["score"]) for r in closed.result["placed"]] == [(a.pk, 4), (b.pk, 3), (c.pk, 2)]


def test_one_final_ballot_per_organisation(election, delegate, substitute, make_orgs, project_lead):
    (a,) = candidates(election, [make_orgs(1)[0][1]])
    services.do_open_voting(actor=project_lead, election=election)
    services.do_cast_election_ballot(actor=delegate, election=election, choices=[a.pk])
    for who in (delegate, substitute):
        with pytest.raises(InvalidState) as refused:
            services.do_cast_election_ballot(actor=who, election=election, choices=[])
        assert "ne change plus" in str(refused.value.message)
    assert ElectionParticipation.objects.count() == 1 and ElectionBallot.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "coordinator", "project_lead", "administrator", "outsider"])
def test_only_representatives_vote_and_nothing_is_stored_otherwise(election, who, request, make_orgs, project_lead):
    (a,) = candidates(election, [make_orgs(1)[0][1]])
    services.do_open_voting(actor=project_lead, election=election)
    with pytest.raises(NotAllowed):
        services.do_cast_election_ballot(actor=request.getfixturevalue(who), election=election, choices=[a.pk])
    assert not ElectionParticipation.objects.exists() and not ElectionBallot.objects.exists()


def test_bad_ballots_are_refused_clearly(election, delegate, make_orgs, project_lead):
    a, b, c = candidates(election, [p for _, p, _ in make_orgs(3)])
    services.do_open_voting(actor=project_lead, election=election)
    for choices, words in (([a.pk, b.pk, c.pk], "Au plus 2"), ([a.pk, a.pk], "chacune une fois"), ([999999], "chacune une fois"), (["x"], "chacune une fois")):
        with pytest.raises(InvalidInput) as refused:
            services.do_cast_election_ballot(actor=delegate, election=election, choices=choices)
        assert words in str(refused.value.message)
    assert not ElectionParticipation.objects.exists()


def test_standing_rules(election, member, outsider, delegate, project_lead):
    services.do_stand(actor=member, election=election, statement="Membre depuis dix ans.")
    with pytest.raises(InvalidState):
        services.do_stand(actor=member, election=election, statement="Encore.")
    with pytest.raises(InvalidInput):
        services.do_stand(actor=delegate, election=election, statement="   ")
    with pytest.raises(NotAllowed):
        services.do_stand(actor=outsider, election=election, statement="Hors PASI.")
    org_seat = Election.objects.create(title="Siège d'organisme", candidate_kind=CandidateKind.ORGANISATION)
    services.do_open_candidacies(actor=project_lead, election=org_seat)
    with pytest.raises(NotAllowed):
        services.do_stand(actor=member, election=org_seat, statement="Mon organisme.")
    candidacy = services.do_stand(actor=delegate, election=org_seat, statement="Notre organisme.")
    assert candidacy.person is None and candidacy.organisation == delegate.organisation


def test_a_withdrawal_during_the_vote_is_skipped_by_the_count(election, make_orgs, project_lead):
    orgs = make_orgs(3)
    a, b, c = candidates(election, [d for _, d, _ in orgs])
    services.do_open_voting(actor=project_lead, election=election)
    services.do_cast_election_ballot(actor=orgs[0][1], election=election, choices=[a.pk, c.pk])
    services.do_cast_election_ballot(actor=orgs[1][1], election=election, choices=[a.pk, b.pk])
    with pytest.raises(NotAllowed):
        services.do_withdraw_candidacy(actor=orgs[1][1], candidacy=a)
    services.do_withdraw_candidacy(actor=orgs[0][1], candidacy=a)
    result = services.do_close_election(actor=project_lead, election=election).result
    assert a.pk not in [r["candidacy"] for r in result["placed"]]
    assert [w["candidacy"] for w in result["withdrawn"]] == [a.pk]
    assert sorted(result["elected"]) == sorted([b.pk, c.pk])


def test_instant_runoff_fills_one_seat_only(project_lead, delegate):
    item = Election.objects.create(title="Porte-parole", seats=2, method=ElectionMethod.IRV)
    services.do_open_candidacies(actor=project_lead, election=item)
    services.do_stand(actor=delegate, election=item, statement="Porte-parole d'expérience.")
    with pytest.raises(InvalidInput) as refused:
        services.do_open_voting(actor=project_lead, election=item)
    assert "un siège" in str(refused.value.message)
    assert Election.objects.get(pk=item.pk).status == ElectionStatus.CANDIDACY


def _columns(model):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)]


def _table_order():
    """The urn's rows in the table's own order (what a dump lists), not sorted by anything."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT choices FROM {ElectionBallot._meta.db_table}")
        return [r[0] if isinstance(r[0], list) else json.loads(r[0]) for r in cursor.fetchall()]


def _eight_distinct_ballots(election, orgs, project_lead):
    """Cast eight ballots that differ from each other, in a known order."""
    a, b, c, d = candidates(election, [delegate for _, delegate, _ in orgs[:4]])
    services.do_open_voting(actor=project_lead, election=election)
    contents = [[], [a.pk], [b.pk], [c.pk], [d.pk], [a.pk, b.pk], [a.pk, c.pk], [a.pk, d.pk]]
    for (_, delegate, _), choice in zip(orgs, contents, strict=True):
        services.do_cast_election_ballot(actor=delegate, election=election, choices=choice)
    return contents


def test_secrecy_nothing_in_the_tables_links_an_organisation_to_its_choice(election, make_orgs, project_lead):
    orgs = make_orgs(8)
    cast_order = _eight_distinct_ballots(election, orgs, project_lead)

    # Who voted: organisation, person and time, never the choice.
    assert set(ElectionParticipation.objects.values_list("choices", flat=True)) == {None}
    assert sorted(ElectionParticipation.objects.values_list("organisation_id", flat=True)) == sorted(o.pk for o, _, _ in orgs)
    # How: the choices only; no organisation, person, time or sequential key.
    assert sorted(_columns(ElectionBallot)) == ["choices", "election_id", "id"]
    ids = list(ElectionBallot.objects.values_list("id", flat=True))
    assert all(i.version == 4 for i in ids)
    assert sorted(map(sorted, _table_order())) == sorted(map(sorted, cast_order))

    # The close writes the urn anew: new ids, the same ballots.
    services.do_close_election(actor=project_lead, election=election)
    assert not set(ids) & set(ElectionBallot.objects.values_list("id", flat=True))
    assert sorted(map(sorted, _table_order())) == sorted(map(sorted, cast_order))


def test_the_urn_order_does_not_follow_the_casting_order(make_orgs, project_lead):
    """Eight distinct ballots: the table's order equals the casting order by chance with odds
    of 1 in 40,320; in two elections in a row, 1 in 1.6 billion."""
    orgs = make_orgs(8)
    same = []
    for n in range(2):
        item = Election.objects.create(title=f"Élection {n}", seats=2)
        services.do_open_candidacies(actor=project_lead, election=item)
        cast_order = _eight_distinct_ballots(item, orgs, project_lead)
        rows = [r for r in _table_order() if r in cast_order]
        same.append(rows == cast_order)
        ElectionBallot.objects.all().delete()
    assert same != [True, True]


def test_the_page_from_standing_to_result(client, election, member, delegate, make_orgs, project_lead):
    client.force_login(member)
    url = reverse("advocacy:election", args=[election.pk])
    empty = client.post(url, {"form": "stand", "statement": "  "})
    assert empty.status_code == 400 and "quelques lignes" in empty.content.decode()
    client.post(url, {"form": "stand", "statement": "Intervenante en région."})
    candidacy = election.candidacies.get()

    client.force_login(project_lead)
    step = reverse("advocacy:election_control", args=[election.pk, "vote"])
    assert "ne change plus" in client.post(step).content.decode()
    client.post(step, {"confirmed": "1"})

    client.force_login(delegate)
    page = client.get(url).content.decode()
    assert "Un bulletin déposé ne peut plus être modifié." in page and "Le vote est secret" in page
    client.post(url, {"form": "ballot", "choice": [str(candidacy.pk)]})
    assert "Votre organisme a voté" in client.get(url).content.decode()

    client.force_login(project_lead)
    client.post(reverse("advocacy:election_control", args=[election.pk, "fermer"]), {"confirmed": "1"})
    result = client.get(url).content.decode()
    assert "Élu·e" in result and candidacy.name in result

    english = client.get("/en" + url).content.decode()
    assert "Elected" in english
