"""Exports of the record: results as CSV (``tcri_site.spreadsheets``); the procès-verbal
as PDF is ``advocacy.minutes_pdf`` (re-exported here for the view)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from advocacy.minutes_pdf import minutes_pdf
from advocacy.models import Ballot, BallotKind, MotionStatus
from tcri_site.spreadsheets import csv_bytes

__all__ = ["minutes_pdf", "results_csv", "results_header", "results_rows"]


def results_header() -> list:
    return [
        _("Proposition"), _("Statut"), _("Majorité requise"), _("Type de vote"), _("Pour"), _("Contre"),
        _("Abstention"), _("Organismes présents"), _("Quorum requis"), _("Quorum atteint"), _("Résultat"),
        _("Organisme"), _("Choix"),
    ]


def results_rows(session) -> list:
    rows = []
    motions = list(session.motions.all())
    ballots = {}
    for ballot in Ballot.objects.filter(motion__in=motions, motion__ballot_kind=BallotKind.ROLL_CALL, motion__status=MotionStatus.CLOSED).select_related("organisation"):
        ballots.setdefault(ballot.motion_id, []).append(ballot)
    for m in motions:
        base = [
            m.title, m.get_status_display(), m.get_threshold_display(), m.get_ballot_kind_display(),
            m.count_for, m.count_against, m.count_abstain, m.present_count, m.quorum_required,
            "" if m.quorum_met is None else (_("oui") if m.quorum_met else _("non")),
            m.get_result_display() if m.result else "",
        ]
        rows.append([*base, "", ""])
        for ballot in ballots.get(m.pk, []):
            rows.append([*base, ballot.organisation.name, ballot.get_choice_display()])
    return rows


def results_csv(session) -> bytes:
    return csv_bytes(results_header(), results_rows(session))
