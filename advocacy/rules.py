"""Who may do what at the forum. Views, consumers, services and templates ask these.

Rule names never coincide with a model permission's codename (``advocacy.add_demand``,
``advocacy.view_motion``...): Django's model backend grants those to the staff groups, so a
rule named like one would let an administrateur·rice propose demands or read drafts.

Role predicates live here; the demand's lifecycle state is checked by the services, which
call these permissions first, so both "who" and "when" are enforced at every door.
"""

import rules

from tcri_site.members.models import Role
from tcri_site.members.rules import (
    is_delegate,
    is_pasi_member,
    is_project_lead,
    is_substitute,
    is_tcri_staff,
    is_workspace_user,
)


def _org_id(user):
    membership = getattr(user, "active_membership", None) if getattr(user, "is_authenticated", False) else None
    return membership.organisation_id if membership else None


@rules.predicate
def is_demand_proposer(user, demand) -> bool:
    """The délégué·e of the organisation that proposes the demand."""
    if demand is None or not getattr(user, "is_authenticated", False):
        return False
    membership = user.active_membership
    return bool(
        membership
        and membership.role == Role.DELEGUE
        and demand.proposing_organisation_id
        and membership.organisation_id == demand.proposing_organisation_id
    )


@rules.predicate
def is_of_proposing_org(user, demand) -> bool:
    return bool(demand is not None and demand.proposing_organisation_id and _org_id(user) == demand.proposing_organisation_id)


@rules.predicate
def demand_is_public(user, demand) -> bool:
    return bool(demand is not None and demand.is_public)


@rules.predicate
def demand_is_past_draft(user, demand) -> bool:
    return bool(demand is not None and not demand.is_draft)


@rules.predicate
def demand_in_consultation(user, demand) -> bool:
    """Comments are open during the consultation window (until its end, when one is set)."""
    from django.utils import timezone

    if demand is None or not demand.is_in_consultation:
        return False
    return demand.consultation_ends_at is None or demand.consultation_ends_at > timezone.now()


@rules.predicate
def demand_is_draft(user, demand) -> bool:
    return bool(demand is not None and demand.is_draft)


@rules.predicate
def demand_open_to_amendments(user, demand) -> bool:
    return bool(demand is not None and demand.is_open_to_amendments)


@rules.predicate
def amendment_is_proposer(user, amendment) -> bool:
    return bool(amendment is not None and is_demand_proposer(user, amendment.demand))


@rules.predicate
def minutes_published(user, session) -> bool:
    minutes = getattr(session, "minutes", None) if session is not None else None
    return bool(minutes is not None and minutes.is_published)


@rules.predicate
def election_elects_people(user, election) -> bool:
    return bool(election is not None and election.candidate_kind == "person")


@rules.predicate
def is_the_candidate_or_their_delegate(user, candidacy) -> bool:
    if candidacy is None or not getattr(user, "is_authenticated", False):
        return False
    if candidacy.person_id:
        return candidacy.person_id == user.pk
    return bool(is_delegate(user) and _org_id(user) == candidacy.organisation_id)


@rules.predicate
def minutes_public(user, session) -> bool:
    """The chair published the minutes for everyone, signed in or not."""
    minutes = getattr(session, "minutes", None) if session is not None else None
    return bool(minutes is not None and minutes.is_published and minutes.public)


is_representative = is_delegate | is_substitute
may_vote = is_representative & is_pasi_member

rules.add_perm("advocacy.view_forum", rules.always_allow)
rules.add_perm(
    "advocacy.see_demand",
    demand_is_public | is_tcri_staff | is_of_proposing_org | (is_workspace_user & demand_is_past_draft),
)
rules.add_perm("advocacy.propose_demand", (is_delegate & is_pasi_member) | is_project_lead)
rules.add_perm("advocacy.edit_demand", (is_demand_proposer & demand_is_draft) | is_project_lead)
rules.add_perm("advocacy.comment_demand", is_workspace_user & demand_in_consultation)
rules.add_perm("advocacy.amend_demand", is_delegate & is_pasi_member & demand_open_to_amendments)
rules.add_perm("advocacy.accept_amendment", amendment_is_proposer)
rules.add_perm("advocacy.cosign_demand", is_delegate & is_pasi_member & demand_in_consultation & ~is_of_proposing_org)
# Lifecycle transitions (the services also check the demand's current state).
rules.add_perm("advocacy.submit_demand", is_demand_proposer | is_project_lead)
rules.add_perm("advocacy.schedule_demand", is_project_lead)
rules.add_perm("advocacy.withdraw_demand", is_demand_proposer | is_project_lead)
rules.add_perm("advocacy.transmit_demand", is_project_lead)
rules.add_perm("advocacy.follow_up_demand", is_project_lead)
# Sessions, votes, minutes.
rules.add_perm("advocacy.view_session", is_workspace_user)
rules.add_perm("advocacy.chair_session", is_project_lead)
rules.add_perm("advocacy.see_motion", is_workspace_user)
rules.add_perm("advocacy.vote", may_vote)
# Online votes between sittings (advocacy.services.online): put to the vote, extended by the chair.
rules.add_perm("advocacy.manage_online_votes", is_project_lead)
rules.add_perm("advocacy.see_votes_awaiting", may_vote)
rules.add_perm("advocacy.manage_minutes", is_project_lead)
rules.add_perm("advocacy.rank_priorities", may_vote)
rules.add_perm("advocacy.manage_elections", is_project_lead)
rules.add_perm(
    "advocacy.stand_for_election",
    is_pasi_member & ((election_elects_people & is_workspace_user) | (~election_elects_people & is_delegate)),
)
rules.add_perm("advocacy.withdraw_candidacy", is_the_candidate_or_their_delegate | is_project_lead)
rules.add_perm("advocacy.vote_in_election", may_vote)
rules.add_perm("advocacy.manage_priorities", is_project_lead)
# Published minutes name délégué·es and their roll-call choices: members only (issue 23).
rules.add_perm("advocacy.read_minutes", (is_workspace_user & minutes_published) | minutes_public | is_project_lead)
rules.add_perm("advocacy.subscribe_updates", is_workspace_user)
# Following or muting a demand (advocacy/services/following.py): whoever may see it.
rules.add_perm(
    "advocacy.follow_demand",
    is_workspace_user
    & (demand_is_public | is_tcri_staff | is_of_proposing_org | (is_workspace_user & demand_is_past_draft)),
)
# The sitting: projector, list of speakers, roll call (advocacy.services.projector,
# .speakers, .rollcall). The projector shows nothing personal: every member may open it.
rules.add_perm("advocacy.view_projector", is_workspace_user)
rules.add_perm("advocacy.project", is_project_lead)
rules.add_perm("advocacy.request_floor", is_representative & is_pasi_member)
rules.add_perm("advocacy.manage_speakers", is_project_lead)
rules.add_perm("advocacy.check_in", is_representative & is_pasi_member)
rules.add_perm("advocacy.call_roll", is_project_lead)
