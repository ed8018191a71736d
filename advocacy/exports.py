"""Exports of the record: results as CSV (``tcri_site.spreadsheets``) and the
procès-verbal as PDF (fpdf2 with DejaVu Sans, which has every French character)."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from advocacy.models import Ballot, BallotKind, Minutes, MinutesStatus, MotionStatus
from tcri_site.spreadsheets import csv_bytes

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def results_csv(session) -> bytes:
    header = [
        _("Proposition"), _("Statut"), _("Majorité requise"), _("Type de vote"), _("Pour"), _("Contre"),
        _("Abstention"), _("Organismes présents"), _("Quorum requis"), _("Quorum atteint"), _("Résultat"),
        _("Organisme"), _("Choix"),
    ]
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
    return csv_bytes(header, rows)


def minutes_pdf(session) -> bytes:
    from fpdf import FPDF

    from advocacy.services import draft_minutes_text

    record = Minutes.objects.filter(session=session).first()
    body = record.body if record else draft_minutes_text(session)
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
    pdf.set_title(_("Procès-verbal — %(title)s") % {"title": session.title})
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, _("Procès-verbal — %(title)s") % {"title": session.title}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    status = _("Publié") if record and record.status == MinutesStatus.PUBLISHED else _("Projet")
    pdf.multi_cell(0, 6, f"{formats.date_format(timezone.localtime(session.starts_at), 'DATETIME_FORMAT')} · {status}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    for line in body.splitlines():
        pdf.multi_cell(0, 6, line if line.strip() else " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
