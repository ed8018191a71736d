"""Collective demands, their amendments and comments, forum sessions, votes, minutes and
implementation updates; one module per topic, every model and vocabulary re-exported here
(``advocacy.models.Demand`` and the migrations keep their names)."""

from advocacy.models.demands import (
    CAHIER_STATES,
    EDITABLE_STATES,
    FOLLOW_UP_STATES,
    OPEN_TO_AMENDMENT_STATES,
    PUBLIC_STATES,
    VOTABLE_STATES,
    WITHDRAWABLE_STATES,
    AgendaApprovalTask,
    Amendment,
    AmendmentStatus,
    Comment,
    Demand,
    DemandState,
    DemandTag,
)
from advocacy.models.pages import UpdateIndexPage, UpdatePage, UpdateSubscription
from advocacy.models.projector import Projection, ProjectionKind
from advocacy.models.rollcall import AttendanceChange, AttendanceMode, RollCall
from advocacy.models.sessions import (
    AgendaItem,
    AgendaKind,
    Attendance,
    ForumSession,
    ForumSessionStatus,
    Minutes,
    MinutesStatus,
)
from advocacy.models.speakers import DEFAULT_SPEAKING_SECONDS, SpeakerList, Speech, SpeechStatus
from advocacy.models.votes import (
    Ballot,
    BallotKind,
    Choice,
    Motion,
    MotionResult,
    MotionStatus,
    Threshold,
)

__all__ = [
    "CAHIER_STATES",
    "EDITABLE_STATES",
    "FOLLOW_UP_STATES",
    "OPEN_TO_AMENDMENT_STATES",
    "PUBLIC_STATES",
    "VOTABLE_STATES",
    "WITHDRAWABLE_STATES",
    "AgendaApprovalTask",
    "AgendaItem",
    "AgendaKind",
    "Amendment",
    "AmendmentStatus",
    "Attendance",
    "AttendanceChange",
    "AttendanceMode",
    "DEFAULT_SPEAKING_SECONDS",
    "Projection",
    "ProjectionKind",
    "RollCall",
    "SpeakerList",
    "Speech",
    "SpeechStatus",
    "Ballot",
    "BallotKind",
    "Choice",
    "Comment",
    "Demand",
    "DemandState",
    "DemandTag",
    "ForumSession",
    "Minutes",
    "MinutesStatus",
    "Motion",
    "MotionResult",
    "MotionStatus",
    "ForumSessionStatus",
    "Threshold",
    "UpdateIndexPage",
    "UpdatePage",
    "UpdateSubscription",
]
