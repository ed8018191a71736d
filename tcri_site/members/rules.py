"""Who is who in the workspace: the predicates every app's ``rules.py`` builds on.

Each predicate takes the user (and, for the object-level ones, an Organisation). They are
cheap: the person's membership and staff roles are cached on the user instance.
"""

import rules

from tcri_site.members.models import Role, StaffRole


@rules.predicate
def is_project_lead(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or StaffRole.PROJECT_LEAD.value in user.staff_roles


@rules.predicate
def is_administrator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or StaffRole.ADMINISTRATOR.value in user.staff_roles


is_tcri_staff = is_project_lead | is_administrator


def _membership(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return user.active_membership


@rules.predicate
def is_member(user) -> bool:
    """Staff of an active member organisation."""
    membership = _membership(user)
    return bool(membership and membership.organisation.is_active)


@rules.predicate
def is_pasi_member(user) -> bool:
    membership = _membership(user)
    return bool(
        membership and membership.organisation.is_active and membership.organisation.pasi_participant
    )


@rules.predicate
def is_delegate(user) -> bool:
    membership = _membership(user)
    return bool(membership and membership.role == Role.DELEGUE)


@rules.predicate
def is_substitute(user) -> bool:
    membership = _membership(user)
    return bool(membership and membership.role == Role.SUBSTITUT)


is_forum_representative = is_delegate | is_substitute


@rules.predicate
def is_coordinator(user) -> bool:
    membership = _membership(user)
    return bool(membership and (membership.is_coordinator or membership.role == Role.DELEGUE))


@rules.predicate
def is_member_of_org(user, organisation) -> bool:
    membership = _membership(user)
    return bool(membership and organisation and membership.organisation_id == organisation.pk)


@rules.predicate
def is_delegate_of_org(user, organisation) -> bool:
    membership = _membership(user)
    return bool(
        membership
        and organisation
        and membership.organisation_id == organisation.pk
        and membership.role == Role.DELEGUE
    )


@rules.predicate
def is_coordinator_of_org(user, organisation) -> bool:
    return bool(is_member_of_org(user, organisation) and is_coordinator(user))


is_workspace_user = is_member | is_tcri_staff

rules.add_perm("members.view_directory", is_workspace_user)
rules.add_perm("members.view_organisation_page", is_workspace_user)
rules.add_perm("members.manage_organisations", is_tcri_staff)
rules.add_perm("members.invite_people", is_tcri_staff)
rules.add_perm("members.unlock_logins", is_tcri_staff)
rules.add_perm("members.view_dashboard", is_tcri_staff)
