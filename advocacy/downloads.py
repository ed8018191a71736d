"""What the advocacy app has the worker prepare (tcri_site.exports): a session's results
CSV and its procès-verbal PDF when the record is long (many roll-call ballots)."""

from __future__ import annotations

from tcri_site.exports.registry import CsvKind, DownloadKind, register


def _session(arguments):
    from advocacy.models import ForumSession

    return ForumSession.objects.get(pk=arguments["session"])


def record_size(session_id: int) -> int:
    """Rows of the session's record: one per motion and one per roll-call ballot counted."""
    from advocacy.models import Ballot, BallotKind, Motion, MotionStatus

    return Motion.objects.filter(session_id=session_id).count() + Ballot.objects.filter(
        motion__session_id=session_id, motion__ballot_kind=BallotKind.ROLL_CALL, motion__status=MotionStatus.CLOSED
    ).count()


def _results_header(arguments):
    from advocacy.exports import results_header

    return results_header()


def _results_rows(arguments):
    from advocacy.exports import results_rows

    return results_rows(_session(arguments))


register(CsvKind(
    name="advocacy.results",
    permission="advocacy.read_minutes",
    permission_object=_session,
    count=lambda arguments: record_size(arguments["session"]),
    header=_results_header,
    rows=_results_rows,
    filename=lambda arguments: f"resultats-{arguments['session']}.csv",
))


def _write_minutes(arguments, out, step) -> None:
    from advocacy.minutes_pdf import minutes_pdf

    out.write(minutes_pdf(_session(arguments), language=arguments.get("language") or None))
    step(record_size(arguments["session"]))


register(DownloadKind(
    name="advocacy.minutes_pdf",
    permission="advocacy.read_minutes",
    permission_object=_session,
    count=lambda arguments: record_size(arguments["session"]),
    write=_write_minutes,
    filename=lambda arguments: f"proces-verbal-{arguments['session']}.pdf",
    content_type="application/pdf",
))
