import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tcri_site.members.models import Membership, Role, Volet
from tcri_site.members.rules import (
    is_coordinator_of_org,
    is_delegate_of_org,
    is_member,
    is_pasi_member,
    is_project_lead,
    is_tcri_staff,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def test_five_volets_exist():
    assert list(Volet.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert "asile" in Volet.objects.get(number=4).label


@pytest.mark.parametrize("role", [Role.DELEGUE, Role.SUBSTITUT])
def test_database_allows_one_active_delegate_and_one_substitute(organisation, role):
    MembershipFactory(organisation=organisation, role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(organisation=organisation, role=role)


def test_inactive_delegate_does_not_block_a_new_one(organisation):
    MembershipFactory(organisation=organisation, role=Role.DELEGUE, is_active=False)
    MembershipFactory(organisation=organisation, role=Role.DELEGUE)
    assert organisation.memberships.filter(role=Role.DELEGUE).count() == 2


def test_form_validation_explains_the_constraint(organisation):
    MembershipFactory(organisation=organisation, role=Role.DELEGUE)
    second = Membership(user=UserFactory(), organisation=organisation, role=Role.DELEGUE)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "déjà un·e délégué·e" in str(error.value)


def test_a_person_has_one_active_membership(organisation, other_organisation):
    user = make_member(organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=user, organisation=other_organisation)


def test_predicates_by_role(organisation, other_organisation, member, delegate, coordinator, project_lead, outsider):
    assert is_member(member) and not is_tcri_staff(member)
    assert is_delegate_of_org(delegate, organisation)
    assert not is_delegate_of_org(delegate, other_organisation)
    assert not is_delegate_of_org(member, organisation)
    assert is_coordinator_of_org(coordinator, organisation)
    assert is_coordinator_of_org(delegate, organisation)
    assert not is_coordinator_of_org(member, organisation)
    assert is_project_lead(project_lead) and is_tcri_staff(project_lead)
    assert not is_member(outsider) and not is_tcri_staff(outsider)


def test_pasi_participation_and_inactive_organisations():
    outside_pasi = make_member(OrganisationFactory(pasi_participant=False))
    assert is_member(outside_pasi) and not is_pasi_member(outside_pasi)
    closed = make_member(OrganisationFactory(is_active=False))
    assert not is_member(closed)
