"""State changes for training sessions, by topic; this module re-exports the public names.

``check_*`` functions raise a ``TrainingRefusal`` (a ``tcri_site.errors.Refusal``) with a
code and a message meant for the person; ``do_*`` functions change the database in one
transaction, keyword-only with ``actor`` first.

- ``errors``: the refusals.
- ``registration``: registering, cancelling, the waiting list; the only writer of
  ``Registration.status``.
- ``sessions``: the session row lock, the writer of ``TrainingSession.status``, announcements.
- ``attendance``: who came.
- ``checkin``: the session code, its QR code and attendees marking their own presence.
- ``questions``: answers to a session's registration questions.
- ``reminders``: confirmation and reminder e-mails.
- ``evaluation``: the anonymous evaluation after a session and its invitations;
  ``evaluation_results``: its results for the reports.
- ``calendars``: iCalendar files and private feeds.
- ``certificates``: certificates of attendance.
- ``material``: the members-only document collection.
"""

from trainings.services.attendance import check_may_record_attendance, do_record_attendance
from trainings.services.calendars import do_regenerate_feed, get_feed, sessions_ics
from trainings.services.certificates import FONT_BOLD_PATH, FONT_PATH, certificate_pdf
from trainings.services.checkin import (
    check_checkin_open,
    checkin_open,
    checkin_window,
    do_check_in,
    do_ensure_checkin_code,
    normalise_code,
    qr_svg,
)
from trainings.services.errors import (
    AlreadyCancelled,
    AlreadyRegistered,
    AnswerRequired,
    CancelDeadlinePassed,
    CheckinClosed,
    CheckinCodeUnknown,
    DeadlinePassed,
    InvalidAnswer,
    NotAllowed,
    NotRegisteredForCheckin,
    SessionCancelled,
    SessionClosed,
    SessionFull,
    SessionNotStarted,
    TrainingRefusal,
)
from trainings.services.evaluation import (
    AlreadyEvaluated,
    EvaluationClosed,
    InvalidEvaluation,
    NotAnAttendee,
    check_may_evaluate,
    do_invite_to_evaluations,
    do_submit_evaluation,
)
from trainings.services.material import (
    PRIVATE_COLLECTION_NAME,
    private_material_collection,
    private_material_collection_id,
)
from trainings.services.questions import check_answers, session_questions
from trainings.services.registration import (
    check_may_cancel,
    check_may_register,
    check_registration_open,
    do_cancel_registration,
    do_register,
    do_update_capacity,
    waitlist_position,
    with_waitlist_positions,
)
from trainings.services.reminders import REMINDER_HOURS, do_send_due_reminders, email_registration
from trainings.services.sessions import (
    do_announce_cancellation,
    do_announce_session,
    lock_session,
    session_audience,
    set_session_status,
)

__all__ = [
    "FONT_BOLD_PATH",
    "FONT_PATH",
    "PRIVATE_COLLECTION_NAME",
    "REMINDER_HOURS",
    "AlreadyCancelled",
    "AlreadyEvaluated",
    "AnswerRequired",
    "CheckinClosed",
    "CheckinCodeUnknown",
    "InvalidAnswer",
    "NotRegisteredForCheckin",
    "AlreadyRegistered",
    "CancelDeadlinePassed",
    "DeadlinePassed",
    "EvaluationClosed",
    "InvalidEvaluation",
    "NotAllowed",
    "NotAnAttendee",
    "SessionCancelled",
    "SessionClosed",
    "SessionFull",
    "SessionNotStarted",
    "TrainingRefusal",
    "certificate_pdf",
    "check_answers",
    "check_checkin_open",
    "checkin_open",
    "checkin_window",
    "do_check_in",
    "do_ensure_checkin_code",
    "normalise_code",
    "qr_svg",
    "session_questions",
    "check_may_cancel",
    "check_may_evaluate",
    "check_may_record_attendance",
    "check_may_register",
    "check_registration_open",
    "do_announce_cancellation",
    "do_announce_session",
    "do_cancel_registration",
    "do_invite_to_evaluations",
    "do_record_attendance",
    "do_regenerate_feed",
    "do_register",
    "do_send_due_reminders",
    "do_submit_evaluation",
    "do_update_capacity",
    "email_registration",
    "get_feed",
    "lock_session",
    "private_material_collection",
    "private_material_collection_id",
    "session_audience",
    "set_session_status",
    "sessions_ics",
    "waitlist_position",
    "with_waitlist_positions",
]
