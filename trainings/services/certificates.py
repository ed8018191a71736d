"""Certificates of attendance as PDF (fpdf2, DejaVu fonts for the accents)."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trainings.models import Registration

logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2 subsetting is chatty

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def certificate_pdf(registration: Registration) -> bytes:
    """A certificate of attendance, in the person's language (fpdf2, DejaVu for accents)."""
    from fpdf import FPDF

    person = registration.user
    session = registration.session
    language = person.language or settings.LANGUAGE_CODE
    with translation.override(language):
        starts = timezone.localtime(session.starts_at)
        hours, minutes = divmod(int((session.ends_at - session.starts_at).total_seconds() // 60), 60)
        duration = f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
        lines = {
            "title": _("Attestation de participation"),
            "intro": _("La Table de concertation des organismes au service des personnes réfugiées et immigrantes (TCRI) atteste que"),
            "name": person.get_full_name() or person.email,
            "org": person.organisation.name if person.organisation else "",
            "took": _("a participé à la formation"),
            "training": session.training.title,
            "when": _("donnée le %(date)s (durée : %(duration)s)")
            % {"date": date_format(starts, "DATE_FORMAT"), "duration": duration},
            "trainer": _("Formateur·rice : %(name)s") % {"name": session.trainer} if session.trainer else "",
            "programme": _("Programme d'accompagnement et de soutien à l'intégration (PASI)"),
            "issued": _("Délivrée le %(date)s — n° %(number)s")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT"), "number": f"{session.pk}-{registration.pk}"},
        }
    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_title(str(lines["title"]))
    pdf.set_author("TCRI")
    pdf.set_lang(language)
    pdf.add_font("DejaVu", "", FONT_PATH)
    pdf.add_font("DejaVu", "B", FONT_BOLD_PATH)
    pdf.add_page()
    pdf.set_draw_color(0, 84, 147)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(30)
    pdf.set_font("DejaVu", "B", 26)
    pdf.cell(0, 14, str(lines["title"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_x(30)
    pdf.multi_cell(pdf.w - 60, 7, str(lines["intro"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 20)
    pdf.cell(0, 12, lines["name"], align="C", new_x="LMARGIN", new_y="NEXT")
    if lines["org"]:
        pdf.set_font("DejaVu", "", 13)
        pdf.cell(0, 8, lines["org"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, str(lines["took"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_x(25)
    pdf.multi_cell(pdf.w - 50, 9, lines["training"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, str(lines["when"]), align="C", new_x="LMARGIN", new_y="NEXT")
    if lines["trainer"]:
        pdf.cell(0, 8, str(lines["trainer"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-45)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, str(lines["programme"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, str(lines["issued"]), align="C", new_x="LMARGIN", new_y="NEXT")
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()
