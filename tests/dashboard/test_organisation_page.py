"""An organisation's page: who may see it, its people and roles, the apps' blocks, and a
query count that does not grow with the organisation's size."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.conftest import make_demand, make_session, make_training, register
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def _url(organisation):
    return reverse("members:organisation", kwargs={"slug": organisation.slug})


@pytest.mark.parametrize(
    "who, status",
    [(None, 302), ("outsider", 403), ("member", 200), ("delegate", 200), ("project_lead", 200)],
)
def test_who_may_see_an_organisation(client, request, organisation, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(_url(organisation)).status_code == status


def test_an_inactive_organisation_is_only_shown_to_staff(client, member, administrator):
    closed = OrganisationFactory(is_active=False)
    client.force_login(member)
    assert client.get(_url(closed)).status_code == 404
    client.force_login(administrator)
    assert "n'est plus actif" in client.get(_url(closed)).content.decode()


def test_people_and_roles(client, organisation, delegate, substitute, coordinator, member):
    gone = make_member(organisation, first_name="Ancienne")
    gone.active_membership.is_active = False
    gone.active_membership.save()
    client.force_login(member)
    page = client.get(_url(organisation)).content.decode()
    for person in (delegate, substitute, coordinator, member):
        assert person.get_full_name() in page
    assert "Ancienne" not in page
    assert "coordonnateur·rice" in page
    assert delegate.email not in page  # addresses are not shown to everyone


def test_sections_from_the_apps(client, organisation, member, training_index):
    from advocacy.models import DemandState

    other = OrganisationFactory()
    proposed = make_demand("Demande proposée ici", DemandState.CONSULTATION, organisation)
    cosigned = make_demand("Demande cosignée", DemandState.CONSULTATION, other)
    cosigned.cosigners.add(organisation)
    cosigned.save()  # a ParentalManyToManyField is stored on save
    make_demand("Demande d'un autre", DemandState.CONSULTATION, other)
    training = make_training(training_index, "Formation suivie", volets=[1])
    session = make_session(training, start=timezone.now() - timedelta(days=3))
    register(session, member, attended=True)

    client.force_login(member)
    page = client.get(_url(organisation)).content.decode()
    assert proposed.title in page
    assert cosigned.title in page
    assert "Demande d&#x27;un autre" not in page
    assert "Formation suivie" in page


def _grow(organisation, training_index, n):
    from advocacy.models import DemandState

    training = make_training(training_index, f"Formation {n}", volets=[1])
    for i in range(n):
        person = make_member(organisation)
        session = make_session(training, start=timezone.now() - timedelta(days=2 + i))
        register(session, person, attended=True)
        make_demand(f"Revendication {n}-{i}", DemandState.CONSULTATION, organisation)


def test_query_count_does_not_grow(client, organisation, delegate, training_index, django_assert_max_num_queries):
    client.force_login(delegate)
    _grow(organisation, training_index, 2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(_url(organisation)).status_code == 200
    _grow(organisation, training_index, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(organisation))
    assert response.status_code == 200
    assert "Page 1 sur 2" in response.content.decode()  # 63 people, 50 a page
    assert client.get(_url(organisation) + "?page=2").status_code == 200
    assert client.get(_url(organisation) + "?page=nope").status_code == 200
