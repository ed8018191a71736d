"""Who may do what: role × action, asked through the same permissions as the views."""

import pytest

from tcri_site.members.models import Role
from tests.factories import make_member
from trainings.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member, coordinator, delegate, substitute, project_lead, administrator, outsider):
    return {
        "member": member,
        "coordinator": coordinator,
        "delegate": delegate,
        "substitute": substitute,
        "project_lead": project_lead,
        "administrator": administrator,
        "outsider": outsider,
    }


@pytest.mark.parametrize(
    "role, register, colleagues, attendance, reports, private",
    [
        ("member", True, False, False, False, True),
        ("coordinator", True, True, False, False, True),
        ("delegate", True, True, False, False, True),
        ("substitute", True, False, False, False, True),
        ("project_lead", False, False, True, True, True),
        ("administrator", False, False, False, False, True),
        ("outsider", False, False, False, False, False),
    ],
)
def test_role_matrix(people, role, register, colleagues, attendance, reports, private):
    user = people[role]
    assert user.has_perm("trainings.register") is register
    assert user.has_perm("trainings.register_colleagues") is colleagues
    assert user.has_perm("trainings.record_attendance") is attendance
    assert user.has_perm("trainings.view_reports") is reports
    assert user.has_perm("trainings.view_private_material") is private


def test_registering_a_person(people, organisation, other_organisation):
    colleague = make_member(organisation, Role.MEMBRE)
    stranger = make_member(other_organisation, Role.MEMBRE)
    assert people["member"].has_perm("trainings.register_person", people["member"])
    assert not people["member"].has_perm("trainings.register_person", colleague)
    assert people["coordinator"].has_perm("trainings.register_person", colleague)
    assert people["delegate"].has_perm("trainings.register_person", colleague)
    assert not people["coordinator"].has_perm("trainings.register_person", stranger)
    assert not people["outsider"].has_perm("trainings.register_person", people["outsider"])
    assert people["project_lead"].has_perm("trainings.register_person", stranger)


def test_certificate_only_for_attendees(people, session):
    registration = Registration(session=session, user=people["member"], attended=False)
    assert not people["member"].has_perm("trainings.download_certificate", registration)
    registration.attended = True
    assert people["member"].has_perm("trainings.download_certificate", registration)
    assert not people["coordinator"].has_perm("trainings.download_certificate", registration)
    assert people["project_lead"].has_perm("trainings.download_certificate", registration)


def test_cancel_permission(people, session, other_organisation):
    registration = Registration(session=session, user=people["member"])
    assert people["member"].has_perm("trainings.cancel_registration", registration)
    assert people["coordinator"].has_perm("trainings.cancel_registration", registration)
    assert not people["substitute"].has_perm("trainings.cancel_registration", registration)
    assert not make_member(other_organisation, Role.DELEGUE).has_perm("trainings.cancel_registration", registration)
    assert people["administrator"].has_perm("trainings.cancel_registration", registration)
