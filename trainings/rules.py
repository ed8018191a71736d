"""Who may do what with trainings. Views, templates, the admin and services ask these."""

import rules

from tcri_site.members.rules import (
    is_coordinator,
    is_coordinator_of_org,
    is_member,
    is_project_lead,
    is_tcri_staff,
    is_workspace_user,
)


@rules.predicate
def is_self(user, person) -> bool:
    return bool(person is not None and getattr(user, "pk", None) == person.pk)


@rules.predicate
def coordinates_persons_org(user, person) -> bool:
    """A délégué·e or coordinator acting for a colleague of their own organisation."""
    if person is None or not getattr(person, "pk", None):
        return False
    organisation = person.organisation
    return bool(organisation and is_coordinator_of_org(user, organisation))


@rules.predicate
def owns_registration(user, registration) -> bool:
    return bool(registration is not None and registration.user_id == getattr(user, "pk", None))


@rules.predicate
def manages_registration(user, registration) -> bool:
    """The coordinator of the registered person's organisation."""
    if registration is None:
        return False
    return coordinates_persons_org(user, registration.user)


@rules.predicate
def attended(user, registration) -> bool:
    return bool(registration is not None and registration.attended)


@rules.predicate
def attended_session(user, session) -> bool:
    """Came to the session (confirmed, marked present): who may evaluate it."""
    if session is None or not getattr(user, "pk", None):
        return False
    from trainings.models import Registration, RegistrationStatus

    return Registration.objects.filter(
        session=session, user=user, status=RegistrationStatus.CONFIRMED, attended=True
    ).exists()


# A person registers themselves (if they belong to a member organisation); a délégué·e or
# coordinator registers colleagues of their own organisation; staff may register anyone.
may_register_person = (is_member & is_self) | (is_member & coordinates_persons_org) | is_tcri_staff

rules.add_perm("trainings.view_sessions", rules.always_allow)
rules.add_perm("trainings.view_private_material", is_workspace_user)
rules.add_perm("trainings.register", is_member)
rules.add_perm("trainings.register_person", may_register_person)
rules.add_perm("trainings.register_colleagues", is_member & is_coordinator)
rules.add_perm("trainings.cancel_registration", owns_registration | manages_registration | is_tcri_staff)
rules.add_perm("trainings.view_my_trainings", is_workspace_user)
rules.add_perm("trainings.download_certificate", (owns_registration & attended) | (is_tcri_staff & attended))
rules.add_perm("trainings.record_attendance", is_project_lead)
rules.add_perm("trainings.view_registrations", is_tcri_staff)
rules.add_perm("trainings.view_reports", is_project_lead)
rules.add_perm("trainings.download_session_certificates", is_tcri_staff)
# Self check-in: anyone signed in to the workspace may try; the service admits only the
# session's confirmed registrants. The code is shown by whoever records attendance.
rules.add_perm("trainings.check_in", is_workspace_user)
rules.add_perm("trainings.show_checkin_code", is_project_lead)

rules.add_perm("trainings.evaluate_session", is_workspace_user & attended_session)
rules.add_perm("trainings.view_evaluation_results", is_project_lead)
