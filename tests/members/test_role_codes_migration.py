"""Role codes moved to English (members 0003, advocacy 0005): existing rows follow, both ways."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tcri_site.members.models import Invitation, Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _roles(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT role FROM {table} ORDER BY id")  # noqa: S608 (fixed table names)
        return [row[0] for row in cursor.fetchall()]


def test_codes_are_english_and_labels_french():
    assert [choice.value for choice in Role] == ["member", "delegate", "substitute"]
    assert str(Role.DELEGUE.label) == "Délégué·e"


def test_existing_rows_change_code_back_and_forth():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, role=Role.DELEGUE)
    MembershipFactory(organisation=organisation, role=Role.SUBSTITUT)
    MembershipFactory(organisation=organisation, role=Role.MEMBRE)
    _token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        email="x@test.tcri.example", organisation=organisation, role=Role.SUBSTITUT,
        token_hash=token_hash, expires_at=Invitation.default_expiry(),
    )

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([("members", "0002_volets")])
        assert _roles("members_membership") == ["delegue", "substitut", "membre"]
        assert _roles("members_invitation") == ["substitut"]
    finally:
        _migrate(leaves)

    assert _roles("members_membership") == ["delegate", "substitute", "member"]
    assert _roles("members_invitation") == ["substitute"]
    # The one-delegate-per-organisation constraint names the new code.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), organisation=organisation, role=Role.DELEGUE)
