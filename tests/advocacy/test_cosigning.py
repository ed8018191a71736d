"""Organisations co-sign a demand in consultation: who may, once per organisation, the
threshold that puts it forward (the chair told once), withdrawal, and the page."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from advocacy import services
from advocacy.models import Demand, DemandState
from advocacy.services import NotAllowed
from tcri_site.members.models import Role
from tcri_site.notifications.models import Notification
from tests.advocacy.conftest import make_demand
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulted(other_organisation):
    """A demand of another organisation, in consultation."""
    return make_demand(other_organisation, state=DemandState.CONSULTATION)


def test_a_delegate_cosigns_once_for_the_organisation_and_it_is_logged(consulted, delegate):
    assert services.do_cosign(actor=delegate, demand=consulted) is True
    assert services.do_cosign(actor=delegate, demand=consulted) is False
    assert list(consulted.cosigners.all()) == [delegate.organisation]
    entry = ModelLogEntry.objects.get(action="advocacy.demand.cosign", object_id=str(consulted.pk))
    assert entry.user == delegate and entry.data["organisation"] == delegate.organisation.pk


@pytest.mark.parametrize("who", ["member", "substitute", "coordinator", "project_lead", "administrator", "outsider"])
def test_only_delegates_of_member_organisations_cosign(consulted, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed) as refused:
        services.do_cosign(actor=actor, demand=consulted)
    assert "délégué" in str(refused.value.message)
    assert consulted.cosigners.count() == 0


def test_the_proposing_organisation_does_not_cosign_its_own_demand(delegate, organisation):
    own = make_demand(organisation, state=DemandState.CONSULTATION)
    with pytest.raises(NotAllowed):
        services.do_cosign(actor=delegate, demand=own)
    assert own.cosigners.count() == 0


@pytest.mark.parametrize("state", [DemandState.DRAFT, DemandState.AGENDA, DemandState.ADOPTED])
def test_cosigning_is_open_during_the_consultation_only(other_organisation, delegate, state):
    demand = make_demand(other_organisation, state=state)
    with pytest.raises(NotAllowed):
        services.do_cosign(actor=delegate, demand=demand)


def test_the_threshold_puts_the_demand_forward_and_tells_the_chair_once(consulted, make_orgs, project_lead, settings):
    settings.ADVOCACY_COSIGNATURES_FOR_AGENDA = 3
    signers = [d for _, d, _ in make_orgs(4)]
    services.do_cosign(actor=signers[0], demand=consulted)
    services.do_cosign(actor=signers[1], demand=consulted)
    assert Demand.objects.get(pk=consulted.pk).put_forward_at is None
    assert not Notification.objects.filter(recipient=project_lead).exists()

    services.do_cosign(actor=signers[2], demand=consulted)
    forward = Demand.objects.get(pk=consulted.pk).put_forward_at
    assert forward is not None
    told = Notification.objects.get(recipient=project_lead)
    assert "3 cosignatures" in told.title and told.url == consulted.get_absolute_url()

    # A withdrawal and a new signature do not tell the chair again, nor move the date.
    services.do_withdraw_cosignature(actor=signers[2], demand=consulted)
    services.do_cosign(actor=signers[3], demand=consulted)
    assert Notification.objects.filter(recipient=project_lead).count() == 1
    assert Demand.objects.get(pk=consulted.pk).put_forward_at == forward


def test_withdrawing_removes_only_ones_own_organisation(consulted, delegate, make_orgs):
    (_, other_delegate, _), = make_orgs(1)
    services.do_cosign(actor=delegate, demand=consulted)
    services.do_cosign(actor=other_delegate, demand=consulted)
    assert services.do_withdraw_cosignature(actor=delegate, demand=consulted) is True
    assert services.do_withdraw_cosignature(actor=delegate, demand=consulted) is False
    assert list(consulted.cosigners.all()) == [other_delegate.organisation]
    assert ModelLogEntry.objects.filter(action="advocacy.demand.uncosign", object_id=str(consulted.pk)).count() == 1


def test_the_page_shows_organisations_and_regions_and_the_button(client, consulted, delegate):
    other = OrganisationFactory(region="02")
    services.do_cosign(actor=make_member(other, Role.DELEGUE), demand=consulted)
    client.force_login(delegate)
    page = client.get(consulted.get_absolute_url()).content.decode()
    assert other.short_name in page and other.get_region_display() in page
    assert "Cosigner au nom de mon organisme" in page

    response = client.post(reverse("advocacy:demand_cosign", args=[consulted.pk]), {"action": "sign"}, follow=True)
    assert response.status_code == 200
    assert "Votre organisme cosigne cette revendication." in response.content.decode()
    assert "Retirer la cosignature de mon organisme" in response.content.decode()
    assert consulted.cosigners.count() == 2


def test_the_button_is_refused_clearly_to_a_member_and_nothing_is_stored(client, consulted, member):
    client.force_login(member)
    assert "Cosigner au nom" not in client.get(consulted.get_absolute_url()).content.decode()
    response = client.post(reverse("advocacy:demand_cosign", args=[consulted.pk]), {"action": "sign"})
    assert response.status_code == 403
    assert "délégué" in response.content.decode()
    assert consulted.cosigners.count() == 0


def test_an_unknown_action_is_a_clear_error(client, consulted, delegate):
    client.force_login(delegate)
    response = client.post(reverse("advocacy:demand_cosign", args=[consulted.pk]), {"action": "delete-all"})
    assert response.status_code == 400
    assert "Action inconnue" in response.content.decode()
    assert consulted.cosigners.count() == 0


def test_the_english_page_speaks_english(client, consulted, delegate):
    client.force_login(delegate)
    page = client.get("/en" + consulted.get_absolute_url()).content.decode()
    assert "Co-sign on behalf of my organisation" in page
