"""Every change at the forum: ``check_*`` says whether it may happen, ``do_*`` makes it.

Each ``do_*`` runs in one transaction, writes the audit log (Wagtail's log entries) and
announces itself after the commit, so nothing is broadcast that was not stored. One ballot
per organisation is the database's unique constraint; ballots share-lock the motion row
and the close locks it for update, so no ballot is stored after the close.

One module per topic (each says what it owns); this package re-exports the public names:
``lifecycle`` (the only writer of ``Demand.state``), ``consultation`` (comments,
amendments), ``cosigning`` (organisations' co-signatures), ``sessions`` (convocation, roll call,
quorum), ``votes`` (open, close, tally), ``ballots`` (who votes for which organisation,
casting, ballots the chair enters), ``online`` (online votes between sittings: schedule,
reminders, "À voter", deadline), ``proxies`` (procurations), ``minutes``, ``priorities``
(ranking the cahier), ``elections``, ``updates`` (implementation updates and their announcements).
"""

from advocacy.groups import motion_group, session_group
from advocacy.services.ballots import (
    CastResult,
    VotingRights,
    VotingSlot,
    check_choice,
    do_cast_ballot,
    do_enter_ballot,
    voting_rights,
)
from advocacy.services.common import (
    LOG_ACTIONS,
    AdvocacyRefusal,
    InvalidInput,
    InvalidState,
    NotAllowed,
    eligible_organisations,
)
from advocacy.services.consultation import (
    do_accept_amendment,
    do_comment,
    do_propose_amendment,
    merged_text,
)
from advocacy.services.cosigning import (
    check_cosign,
    cosignatures_for_agenda,
    do_cosign,
    do_withdraw_cosignature,
)
from advocacy.services.elections import (
    do_cast_election_ballot,
    do_close_election,
    do_open_candidacies,
    do_open_voting,
    do_stand,
    do_withdraw_candidacy,
)
from advocacy.services.following import do_follow_demand, follow_mode_of
from advocacy.services.lifecycle import (
    TRANSITIONS,
    Transition,
    available_transitions,
    check_transition,
    do_create_demand,
    do_edit_demand,
    do_transition,
)
from advocacy.services.minutes import (
    do_draft_minutes,
    do_edit_minutes,
    do_publish_minutes,
    draft_minutes_text,
    minutes_context,
)
from advocacy.services.online import (
    check_online_schedule,
    do_close_due_votes,
    do_create_online_vote,
    do_extend_deadline,
    do_open_due_votes,
    do_send_due_reminders,
    online_quorum,
    run_online_votes,
    votes_awaiting,
    votes_awaiting_count,
)
from advocacy.services.priorities import (
    do_cast_priorities,
    do_close_prioritisation,
    do_open_prioritisation,
    latest_ranking,
)
from advocacy.services.proxies import (
    do_confirm_procuration,
    do_refuse_procuration,
    do_request_procuration,
    do_withdraw_procuration,
    procurations_state,
    represented_organisation_ids,
    session_procurations,
)
from advocacy.services.sessions import (
    do_record_attendance,
    do_send_convocation,
    session_ics,
    session_quorum,
    session_state,
    upcoming_session,
)
from advocacy.services.updates import do_announce_update, do_subscribe
from advocacy.services.votes import (
    check_may_chair,
    do_close_motion,
    do_open_motion,
    motion_state,
)

__all__ = [
    "check_online_schedule",
    "do_close_due_votes",
    "do_create_online_vote",
    "do_extend_deadline",
    "do_open_due_votes",
    "do_send_due_reminders",
    "online_quorum",
    "run_online_votes",
    "votes_awaiting",
    "votes_awaiting_count",
    "VotingRights",
    "VotingSlot",
    "do_confirm_procuration",
    "do_enter_ballot",
    "do_refuse_procuration",
    "do_request_procuration",
    "do_withdraw_procuration",
    "procurations_state",
    "represented_organisation_ids",
    "session_procurations",
    "voting_rights",
    "LOG_ACTIONS",
    "TRANSITIONS",
    "AdvocacyRefusal",
    "CastResult",
    "InvalidInput",
    "InvalidState",
    "NotAllowed",
    "Transition",
    "do_announce_update",
    "available_transitions",
    "do_cast_ballot",
    "do_cast_election_ballot",
    "do_cast_priorities",
    "do_close_election",
    "do_open_candidacies",
    "do_open_voting",
    "do_stand",
    "do_withdraw_candidacy",
    "do_close_prioritisation",
    "do_open_prioritisation",
    "latest_ranking",
    "check_choice",
    "check_cosign",
    "cosignatures_for_agenda",
    "do_cosign",
    "do_withdraw_cosignature",
    "check_may_chair",
    "check_transition",
    "do_accept_amendment",
    "do_close_motion",
    "do_comment",
    "do_create_demand",
    "do_draft_minutes",
    "do_edit_demand",
    "do_edit_minutes",
    "do_follow_demand",
    "do_open_motion",
    "do_propose_amendment",
    "do_publish_minutes",
    "do_record_attendance",
    "do_send_convocation",
    "do_subscribe",
    "do_transition",
    "draft_minutes_text",
    "eligible_organisations",
    "follow_mode_of",
    "merged_text",
    "minutes_context",
    "motion_group",
    "motion_state",
    "session_group",
    "session_ics",
    "session_quorum",
    "session_state",
    "upcoming_session",
]

# The sitting (projector, speakers, roll call): their own modules, imported by name
# (``from advocacy.services import projector``) as well as re-exported here.
from advocacy.services.projector import do_project, projector_state  # noqa: E402
from advocacy.services.rollcall import (  # noqa: E402
    do_check_in,
    do_close_roll_call,
    do_mark_attendance,
    do_open_roll_call,
    rollcall_state,
)
from advocacy.services.speakers import (  # noqa: E402
    do_give_floor,
    do_lower_hand,
    do_move_speech,
    do_raise_hand,
    do_set_speaking_limit,
    do_start_timer,
    do_stop_speech,
    speakers_state,
    speaking_time_by_organisation,
)

__all__ += [
    "do_check_in",
    "do_close_roll_call",
    "do_give_floor",
    "do_lower_hand",
    "do_mark_attendance",
    "do_move_speech",
    "do_open_roll_call",
    "do_project",
    "do_raise_hand",
    "do_set_speaking_limit",
    "do_start_timer",
    "do_stop_speech",
    "projector_state",
    "rollcall_state",
    "speakers_state",
    "speaking_time_by_organisation",
]
