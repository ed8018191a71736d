"""Ranking adopted demands for the cahier: who may, one ballot per organisation, the result
stored at close and shown as a chart on the cahier, refusals that store nothing."""

import pytest
from django.urls import reverse

from advocacy import services
from advocacy.models import DemandState, Prioritisation, PrioritisationMethod, PriorityBallot
from advocacy.services import InvalidInput, InvalidState, NotAllowed
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(organisation):
    return [make_demand(organisation, state=DemandState.ADOPTED, title=f"Revendication adoptée {i}") for i in range(3)]


def make_prioritisation(demands, method=PrioritisationMethod.BORDA, **kwargs):
    item = Prioritisation.objects.create(title="Priorités 2027", method=method, **kwargs)
    item.demands.set(demands)
    return item


@pytest.fixture
def borda(adopted, project_lead):
    item = make_prioritisation(adopted)
    services.do_open_prioritisation(actor=project_lead, prioritisation=item)
    return Prioritisation.objects.get(pk=item.pk)


def ids(demands):
    return [d.pk for d in demands]


def test_the_chair_opens_closes_and_the_ranking_is_stored(borda, adopted, make_orgs, project_lead):
    a, b, c = adopted
    voters = [d for _, d, _ in make_orgs(3)]
    services.do_cast_priorities(actor=voters[0], prioritisation=borda, ranking=[b.pk, a.pk, c.pk])
    services.do_cast_priorities(actor=voters[1], prioritisation=borda, ranking=[b.pk, c.pk, a.pk])
    services.do_cast_priorities(actor=voters[2], prioritisation=borda, ranking=[a.pk, b.pk, c.pk])
    closed = services.do_close_prioritisation(actor=project_lead, prioritisation=borda)
    assert closed.ballots_counted == 3
    assert [(row["demand"], row["score"], row["rank"]) for row in closed.result] == [(b.pk, 5, 1), (a.pk, 3, 2), (c.pk, 1, 3)]
    assert services.latest_ranking() == closed
    with pytest.raises(InvalidState):
        services.do_cast_priorities(actor=voters[0], prioritisation=closed, ranking=ids(adopted))


def test_an_organisation_has_one_ballot_which_it_may_change_until_the_close(borda, adopted, delegate):
    services.do_cast_priorities(actor=delegate, prioritisation=borda, ranking=ids(adopted))
    services.do_cast_priorities(actor=delegate, prioritisation=borda, ranking=ids(adopted)[::-1])
    ballot = PriorityBallot.objects.get(prioritisation=borda)
    assert ballot.content == {"ranking": ids(adopted)[::-1]}


def test_a_substitute_does_not_replace_the_delegates_choice(borda, adopted, delegate, substitute):
    services.do_cast_priorities(actor=delegate, prioritisation=borda, ranking=ids(adopted))
    with pytest.raises(InvalidState) as refused:
        services.do_cast_priorities(actor=substitute, prioritisation=borda, ranking=ids(adopted)[::-1])
    assert "délégué" in str(refused.value.message)
    assert PriorityBallot.objects.get(prioritisation=borda).content == {"ranking": ids(adopted)}


@pytest.mark.parametrize("who", ["member", "coordinator", "project_lead", "administrator", "outsider"])
def test_only_representatives_rank_and_nothing_is_stored_otherwise(borda, adopted, who, request):
    with pytest.raises(NotAllowed):
        services.do_cast_priorities(actor=request.getfixturevalue(who), prioritisation=borda, ranking=ids(adopted))
    assert not PriorityBallot.objects.exists()


@pytest.mark.parametrize("ranking", [[], ["x"], "abc", None])
def test_an_incomplete_ranking_is_refused_clearly(borda, adopted, delegate, ranking):
    with pytest.raises(InvalidInput) as refused:
        services.do_cast_priorities(actor=delegate, prioritisation=borda, ranking=ranking)
    assert "rang différent" in str(refused.value.message)
    assert not PriorityBallot.objects.exists()


def test_dot_voting_counts_points_within_the_budget(adopted, delegate, make_orgs, project_lead):
    item = make_prioritisation(adopted, method=PrioritisationMethod.DOTS, points=5)
    services.do_open_prioritisation(actor=project_lead, prioritisation=item)
    a, b, c = adopted
    (_, other, _), = make_orgs(1)
    services.do_cast_priorities(actor=delegate, prioritisation=item, points={a.pk: 4, c.pk: 1})
    services.do_cast_priorities(actor=other, prioritisation=item, points={c.pk: 5})
    with pytest.raises(InvalidInput):
        services.do_cast_priorities(actor=other, prioritisation=item, points={a.pk: 6})
    closed = services.do_close_prioritisation(actor=project_lead, prioritisation=item)
    assert [(row["demand"], row["score"], row["rank"]) for row in closed.result] == [(c.pk, 6, 1), (a.pk, 4, 2), (b.pk, 0, 3)]


def test_only_the_chair_opens_and_only_adopted_demands_are_ranked(adopted, organisation, delegate, project_lead):
    item = make_prioritisation(adopted)
    with pytest.raises(NotAllowed):
        services.do_open_prioritisation(actor=delegate, prioritisation=item)
    draft = make_demand(organisation, state=DemandState.CONSULTATION)
    item.demands.add(draft)
    with pytest.raises(InvalidInput):
        services.do_open_prioritisation(actor=project_lead, prioritisation=item)
    assert Prioritisation.objects.get(pk=item.pk).status == "draft"


def test_the_page_form_keeps_what_was_entered_and_the_chair_confirms(client, borda, adopted, delegate, project_lead):
    client.force_login(delegate)
    url = reverse("advocacy:prioritisation", args=[borda.pk])
    a, b, c = adopted
    bad = client.post(url, {f"rank_{a.pk}": "1", f"rank_{b.pk}": "1", f"rank_{c.pk}": "2"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "rang différent" in page and 'value="2" selected' in page
    good = client.post(url, {f"rank_{a.pk}": "2", f"rank_{b.pk}": "1", f"rank_{c.pk}": "3"}, follow=True)
    assert "Le choix de votre organisme est enregistré" in good.content.decode()
    assert PriorityBallot.objects.get().content == {"ranking": [b.pk, a.pk, c.pk]}

    client.force_login(project_lead)
    close = reverse("advocacy:prioritisation_control", args=[borda.pk, "fermer"])
    asked = client.post(close)
    assert "Cette action est définitive" in asked.content.decode()
    assert Prioritisation.objects.get(pk=borda.pk).is_open
    client.post(close, {"confirmed": "1"})
    assert Prioritisation.objects.get(pk=borda.pk).is_closed

    cahier = client.get(reverse("advocacy:cahier")).content.decode()
    assert "Priorités du forum" in cahier and "ranking-bar" in cahier
    assert cahier.index(b.title) < cahier.index(a.title)


def test_a_draft_prioritisation_is_hidden_from_members(client, adopted, delegate):
    item = make_prioritisation(adopted)
    client.force_login(delegate)
    assert client.get(reverse("advocacy:prioritisation", args=[item.pk])).status_code == 404
    assert item.title not in client.get(reverse("advocacy:prioritisations")).content.decode()


def test_the_english_page_speaks_english(client, borda, delegate):
    client.force_login(delegate)
    page = client.get("/en" + reverse("advocacy:prioritisation", args=[borda.pk])).content.decode()
    assert "Save my organisation's choice" in page
