"""The procès-verbal as a PDF worth signing (fpdf2), in the session's language.

Every page carries the TCRI's heading and "Page n de N"; the document gives the date and
place, the chair, the attendance (organisations present, then the procurations when the
app has them), the agenda, and for each closed motion its final text, tally, threshold,
quorum and result, then the lead's text of the minutes and a signature block. The facts
come from the record (``minutes_context``: counts recorded at close), not from the
editable text. DejaVu Sans (Debian's fonts-dejavu-core) is embedded for French typography
(« », ’, œ, —, narrow no-break spaces); without it the PDF falls back to Helvetica with
those characters replaced, and says so in the log.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.models import Minutes, MinutesStatus, MotionResult

logger = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FAMILY = "DejaVu"
# What Helvetica (latin-1) cannot print, replaced when DejaVu is missing.
LATIN1_FALLBACK = str.maketrans({
    "\u202f": " ", "\u2009": " ", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
    "\u2014": "-", "\u2013": "-", "\u2026": "...", "\u0153": "oe", "\u0152": "OE", "\u2022": "-",
})


def font_paths(font_dir: Path | None = None) -> dict[str, Path] | None:
    """The DejaVu files for regular, bold and italic, or None when the regular one is missing."""
    font_dir = Path(font_dir or getattr(settings, "PDF_FONT_DIR", FONT_DIR))
    regular = font_dir / FONTS[""]
    if not regular.is_file():
        return None
    return {style: (font_dir / name if (font_dir / name).is_file() else regular) for style, name in FONTS.items()}


def _procuration_line(procuration) -> str:
    return _("%(giver)s représenté par %(holder)s (%(organisation)s)") % {
        "giver": procuration.giver.name,
        "holder": _person(procuration.holder),
        "organisation": procuration.holder_organisation.name,
    }


def _document_class():
    from fpdf import FPDF

    class MinutesDocument(FPDF):
        """Letter pages with the TCRI heading and "Page n de N" on each."""

        heading = ""
        subheading = ""
        family = "Helvetica"
        is_unicode = False

        def clean(self, value) -> str:
            value = str(value)
            return value if self.is_unicode else value.translate(LATIN1_FALLBACK).encode("latin-1", "replace").decode("latin-1")

        def header(self):
            self.set_font(self.family, "B", 9)
            self.set_text_color(40, 40, 40)
            self.cell(0, 5, self.clean(self.heading), new_x="LMARGIN", new_y="NEXT")
            self.set_font(self.family, "", 8)
            self.cell(0, 4, self.clean(self.subheading), new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(120, 120, 120)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(5)
            self.set_text_color(0, 0, 0)

        def footer(self):
            self.set_y(-14)
            self.set_font(self.family, "", 8)
            label = _("Page %(page)s de %(total)s") % {"page": self.page_no(), "total": self.str_alias_nb_pages}
            self.cell(0, 6, self.clean(label), align="C")

    return MinutesDocument


class _Writer:
    def __init__(self, pdf):
        self.pdf = pdf

    def title(self, value: str, size: int = 15):
        self.pdf.set_font(self.pdf.family, "B", size)
        self.pdf.multi_cell(0, size * 0.55, self.pdf.clean(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def section(self, value: str):
        self.pdf.ln(3)
        if self.pdf.will_page_break(20):
            self.pdf.add_page()
        self.title(value, 12)

    def line(self, value: str, *, bold: bool = False, indent: float = 0, size: int = 10):
        self.pdf.set_font(self.pdf.family, "B" if bold else "", size)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(0, 5.2, self.pdf.clean(value if value.strip() else " "), new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, value: str, indent: float = 0):
        self.line(_("%(label)s : %(value)s") % {"label": label, "value": value}, indent=indent)


def _when(session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    text = formats.date_format(start, "DATETIME_FORMAT")
    if end.date() == start.date():
        text += " – " + formats.time_format(end, "TIME_FORMAT")
    return text


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.email


def _motion(w: _Writer, number: int, motion) -> None:
    w.line(f"{number}. {motion.title}", bold=True, size=11)
    w.line(_("Texte soumis au vote") + " :", indent=4)
    for paragraph in (motion.text or "—").splitlines():
        w.line(paragraph, indent=8)
    w.field(_("Majorité requise"), f"{motion.get_threshold_display()} — {motion.get_ballot_kind_display()}", indent=4)
    w.field(
        _("Décompte"),
        _("Pour %(for)d · Contre %(against)d · Abstention %(abstain)d")
        % {"for": motion.count_for, "against": motion.count_against, "abstain": motion.count_abstain},
        indent=4,
    )
    quorum = _("atteint") if motion.quorum_met else _("non atteint")
    w.field(
        _("Quorum"),
        _("%(present)d organismes présents, %(required)d requis (%(state)s)")
        % {"present": motion.present_count, "required": motion.quorum_required, "state": quorum},
        indent=4,
    )
    result = motion.get_result_display() if motion.result else "—"
    w.line(_("Résultat : %(result)s") % {"result": result}, bold=motion.result == MotionResult.ADOPTED, indent=4)
    if motion.roll_call:
        w.line(_("Vote par appel nominal") + " :", indent=4)
        for ballot in motion.roll_call:
            w.line(f"– {ballot.organisation.name} : {ballot.get_choice_display()}", indent=8)
    elif motion.is_secret:
        w.line(_("Vote secret : seuls les totaux sont consignés."), indent=4)
    w.pdf.ln(2)


def _build(session) -> bytes:
    from advocacy.services import minutes_context

    context = minutes_context(session)
    record = Minutes.objects.filter(session=session).first()
    fonts = font_paths()
    pdf = _document_class()(format="Letter")
    if fonts:
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.family, pdf.is_unicode = FAMILY, True
    else:
        logger.warning(
            "Minutes PDF: DejaVu Sans not found in %s (Debian package fonts-dejavu-core); "
            "falling back to Helvetica without French typographic characters.",
            getattr(settings, "PDF_FONT_DIR", FONT_DIR),
        )
    title = _("Procès-verbal — %(title)s") % {"title": session.title}
    pdf.heading = _("Table de concertation des organismes au service des personnes réfugiées et immigrantes (TCRI)")
    pdf.subheading = _("Forum TCRI-PASI · Procès-verbal de la séance du %(date)s") % {
        "date": formats.date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
    }
    pdf.set_title(title)
    pdf.set_author("TCRI")
    pdf.set_lang(translation.get_language())
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    w = _Writer(pdf)

    w.title(title)
    status = _("Publié") if record and record.status == MinutesStatus.PUBLISHED else _("Projet — non publié")
    w.field(_("Statut"), status)
    w.field(_("Date"), _when(session))
    w.field(_("Lieu"), session.place or (_("en ligne") if session.link else "—"))
    w.field(_("Présidence"), _person(session.chair))

    quorum = context["quorum"]
    w.section(_("Présences"))
    w.line(
        _("%(present)d organismes présents sur %(total)d ; quorum : %(required)d.")
        % {"present": quorum["present"], "total": quorum["total"], "required": quorum["required"]}
    )
    for attendance in context["attendances"]:
        who = f" ({_person(attendance.person)})" if attendance.person else ""
        w.line(f"– {attendance.organisation.name}{who}", indent=4)
    if not context["attendances"]:
        w.line(_("Aucune présence consignée."), indent=4)
    lines = [_procuration_line(p) for p in context["procurations"]]
    if lines:
        w.line(_("Procurations") + " :", bold=True)
        for line in lines:
            w.line(f"– {line}", indent=4)

    w.section(_("Ordre du jour"))
    for number, item in enumerate(context["agenda"], start=1):
        w.line(f"{number}. {item.title} ({item.get_kind_display()})", indent=4)
        if item.minutes_speeches:
            w.line(_("Interventions") + " :", indent=8)
            for speech in item.minutes_speeches:
                who = f" ({_person(speech.person)})" if speech.person else ""
                order = f" — {_('point d’ordre')}" if speech.point_of_order else ""
                w.line(f"– {speech.organisation.name}{who}{order} — {speech.duration_label}", indent=12)
    if not context["agenda"]:
        w.line(_("Aucun point."), indent=4)

    if context["speaking_time"]:
        w.section(_("Temps de parole par organisme"))
        for row in context["speaking_time"]:
            count = ngettext("%(n)d intervention", "%(n)d interventions", row["speeches"]) % {"n": row["speeches"]}
            w.line(f"– {row['organisation'].name} : {row['duration']} ({count})", indent=4)

    w.section(_("Propositions mises aux voix"))
    for number, motion in enumerate(context["motions"], start=1):
        _motion(w, number, motion)
    if not context["motions"]:
        w.line(_("Aucun vote."), indent=4)

    if record and record.body.strip():
        w.section(_("Compte rendu"))
        for paragraph in record.body.splitlines():
            w.line(paragraph)

    w.section(_("Signatures"))
    for label in (_("Présidence"), _("Secrétariat")):
        w.line(_("%(label)s : ______________________________   Date : ______________") % {"label": label})
        pdf.ln(4)
    return bytes(pdf.output())


def minutes_pdf(session, language: str | None = None) -> bytes:
    """The PDF of the session's procès-verbal, in ``language`` (default: the session's)."""
    language = language or getattr(session, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _build(session)
