"""The forum's public pages. Every view asks ``advocacy.rules``; every change goes through
``advocacy.services``; refusals come back as a page that says why, never a 500.

One module per topic, as the services: ``lifecycle`` (demands), ``consultation``,
``sessions``, ``votes``, ``proxies`` (procurations), ``minutes``, ``updates``; the URLs name the views re-exported here.
"""

from advocacy.views.common import inline_diff, visible_demands
from advocacy.views.consultation import (
    amendment_accept,
    amendment_create,
    amendment_detail,
    comment_create,
    demand_cosign,
)
from advocacy.views.elections import candidacy_withdraw, election, election_control, election_list
from advocacy.views.lifecycle import (
    cahier,
    demand_create,
    demand_detail,
    demand_diff,
    demand_edit,
    demand_history,
    demand_list,
    demand_transition,
    index,
)
from advocacy.views.minutes import minutes, minutes_edit, minutes_pdf, results_csv
from advocacy.views.online import online_vote_create, online_vote_extend, votes_awaiting
from advocacy.views.priorities import prioritisation, prioritisation_control, prioritisation_list
from advocacy.views.proxies import procuration_decide, procuration_request
from advocacy.views.sessions import (
    session_convocation,
    session_detail,
    session_ics,
    session_list,
)
from advocacy.views.updates import subscribe, updates
from advocacy.views.votes import enter_ballot, motion_control, projector, vote, vote_labels

__all__ = [
    "online_vote_create",
    "online_vote_extend",
    "votes_awaiting",
    "candidacy_withdraw",
    "election",
    "election_control",
    "election_list",
    "prioritisation",
    "prioritisation_control",
    "prioritisation_list",
    "enter_ballot",
    "procuration_decide",
    "procuration_request",
    "amendment_accept",
    "amendment_create",
    "amendment_detail",
    "cahier",
    "comment_create",
    "demand_cosign",
    "demand_create",
    "demand_detail",
    "demand_diff",
    "demand_edit",
    "demand_history",
    "demand_list",
    "demand_transition",
    "index",
    "inline_diff",
    "minutes",
    "minutes_edit",
    "minutes_pdf",
    "motion_control",
    "projector",
    "results_csv",
    "session_convocation",
    "session_detail",
    "session_ics",
    "session_list",
    "subscribe",
    "updates",
    "visible_demands",
    "vote",
    "vote_labels",
]
