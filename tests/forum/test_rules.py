"""Permission matrix: role × space visibility × action, and the list filter agrees with it."""

import pytest

from forum.models import Space, Visibility
from forum.rules import visible_spaces
from tcri_site.members.models import Role
from tests.factories import OrganisationFactory, make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organisation, other_organisation, project_lead, administrator, outsider):
    non_pasi = OrganisationFactory(pasi_participant=False)
    coordinator = make_member(organisation, Role.MEMBRE)
    coordinator.active_membership.is_coordinator = True
    coordinator.active_membership.save()
    return {
        "member": make_member(organisation, Role.MEMBRE),
        "delegate": make_member(organisation, Role.DELEGUE),
        "coordinator": type(coordinator).objects.get(pk=coordinator.pk),
        "other_org": make_member(other_organisation, Role.MEMBRE),
        "non_pasi": make_member(non_pasi, Role.MEMBRE),
        "project_lead": project_lead,
        "administrator": administrator,
        "outsider": outsider,
    }


EXPECTED_VIEW = {
    # visibility: people who may see a space of that kind (listed = [organisation])
    Visibility.ALL_MEMBERS: {"member", "delegate", "coordinator", "other_org", "non_pasi", "project_lead", "administrator"},
    Visibility.PASI: {"member", "delegate", "coordinator", "other_org", "project_lead", "administrator"},
    Visibility.COORDINATORS: {"delegate", "coordinator", "project_lead", "administrator"},
    Visibility.LISTED: {"member", "delegate", "coordinator", "project_lead", "administrator"},
}


@pytest.mark.parametrize("visibility", list(EXPECTED_VIEW))
def test_who_sees_which_space(people, organisation, visibility):
    space = make_space(f"s-{visibility}", visibility, organisations=[organisation])
    allowed = {name for name, user in people.items() if user.has_perm("forum.read_space", space)}
    assert allowed == EXPECTED_VIEW[visibility]
    listed = {name for name, user in people.items() if space in visible_spaces(user)}
    assert listed == allowed  # the queryset filter agrees with the predicate


def test_inactive_space_is_for_staff_only(people):
    space = make_space("ferme")
    Space.objects.filter(pk=space.pk).update(is_active=False)
    space.refresh_from_db()
    allowed = {name for name, user in people.items() if user.has_perm("forum.read_space", space)}
    assert allowed == {"project_lead", "administrator"}


def test_actions_matrix(people):
    space = make_space("actions", moderators=[people["coordinator"]])
    author = people["member"]
    thread = make_thread(space, author)
    message = thread.messages.get()
    can = {name: {perm: user.has_perm(f"forum.{perm}", obj) for perm, obj in [
        ("post_message", thread), ("edit_message", message), ("remove_message", message),
        ("report_message", message), ("moderate", thread),
    ]} for name, user in people.items()}
    assert can["member"] == {"post_message": True, "edit_message": True, "remove_message": True, "report_message": False, "moderate": False}
    assert can["delegate"] == {"post_message": True, "edit_message": False, "remove_message": False, "report_message": True, "moderate": False}
    assert can["coordinator"]["moderate"] and can["coordinator"]["remove_message"]
    assert can["project_lead"]["moderate"] and not can["project_lead"]["edit_message"]
    assert not any(can["outsider"].values())
    thread.is_locked = True
    thread.save()
    assert not people["member"].has_perm("forum.post_message", thread)
    assert not people["member"].has_perm("forum.edit_message", message)
    assert people["coordinator"].has_perm("forum.post_message", thread)  # moderators still may
