"""The procès-verbal PDF: the TCRI heading and "Page n de N" on every page, date, place,
chair, attendance, agenda, each motion's text, tally, threshold, quorum and result, in the
session's language, with French typography embedded (read back with pypdf)."""

import io

import pytest
from pypdf import PdfReader

from advocacy import services
from advocacy.minutes_pdf import font_paths, minutes_pdf, procurations
from advocacy.models import AgendaItem, AgendaKind, DemandState, Motion, MotionResult
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db

TEXT = "Que le MIFI finance l’accueil des personnes réfugiées « dès leur arrivée » — sans délai.\n" * 3


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text, lines joined by one space (a long paragraph wraps in the PDF)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def sitting(forum_session, project_lead, make_orgs):
    project_lead.first_name, project_lead.last_name = "Hélène", "Côté-Bérubé"
    project_lead.save()
    forum_session.title = "Séance d'hiver"
    forum_session.place = "Centre Saint-Pierre, Montréal"
    forum_session.save()
    orgs = make_orgs(4)
    for org, _delegate, _substitute in orgs:
        services.do_record_attendance(actor=project_lead, session=forum_session, organisation=org, present=True)
    for n in range(30):  # long enough for several pages
        AgendaItem.objects.create(session=forum_session, sort_order=n, kind=AgendaKind.OTHER, title=f"Point d'échange n° {n + 1}")
    demand = make_demand(orgs[0][0], state=DemandState.AGENDA, text=TEXT)  # frozen into the motion at opening
    motion = Motion.objects.create(session=forum_session, demand=demand, title="Financement de l’accueil")
    services.do_open_motion(actor=project_lead, motion=motion)
    for (_org, delegate, _sub), choice in zip(orgs, ["for", "for", "against", "abstain"], strict=True):
        services.do_cast_ballot(actor=delegate, motion=motion, choice=choice)
    services.do_close_motion(actor=project_lead, motion=motion)
    motion.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED
    return forum_session, orgs


def test_french_minutes_have_heading_pages_and_the_motion_record(sitting):
    session, orgs = sitting
    assert font_paths() is not None, "fonts-dejavu-core is installed by scripts/_setup.sh"
    pages = pages_text(minutes_pdf(session))
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert "Table de concertation des organismes au service des personnes réfugiées et immigrantes (TCRI)" in text
        assert f"Page {number} de {total}" in text
    text = "\n".join(pages)
    assert "Procès-verbal — Séance d'hiver" in text
    assert "Date : " in text and " – " in text  # start – end on one day
    assert "Centre Saint-Pierre, Montréal" in text and "Hélène Côté-Bérubé" in text
    assert "Présences" in text and "4 organismes présents sur" in text
    assert all(org.name in text for org, _d, _s in orgs)
    assert "Point d'échange n° 30" in text
    assert "l’accueil des personnes réfugiées « dès leur arrivée » — sans délai." in text
    assert "Pour 2 · Contre 1 · Abstention 1" in text
    assert "Majorité simple des voix exprimées" in text
    assert "4 organismes présents, " in text and "(atteint)" in text
    assert "Résultat : Adoptée" in text
    assert "Projet — non publié" in text


def test_english_session_gives_english_minutes(sitting):
    session, _orgs = sitting
    session.language = "en"
    session.save()
    pages = pages_text(minutes_pdf(session))
    total = len(pages)
    assert f"Page {total} of {total}" in pages[-1]
    text = "\n".join(pages)
    assert "Minutes — Séance d'hiver" in text
    assert "Attendance" in text and "Agenda" in text
    assert "For 2 · Against 1 · Abstain 1" in text
    assert "Simple majority of votes cast" in text
    assert "Result: Adopted" in text
    assert "Procès-verbal" not in text and "Résultat" not in text
    # The language is the session's, not the request's.
    french = "\n".join(pages_text(minutes_pdf(session, language="fr")))
    assert "Résultat : Adoptée" in french


def test_view_serves_the_pdf_and_the_published_text(client, sitting, project_lead):
    session, _orgs = sitting
    record = services.do_draft_minutes(actor=project_lead, session=session)
    services.do_edit_minutes(actor=project_lead, minutes=record, body=record.body + "\nMot de la présidence : merci à toutes et à tous.")
    services.do_publish_minutes(actor=project_lead, minutes=record)
    client.force_login(project_lead)
    response = client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(pages_text(response.content))
    assert "Mot de la présidence : merci à toutes et à tous." in text
    assert "Statut : Publié" in text and "Signatures" in text


def test_without_dejavu_the_pdf_still_renders_with_helvetica(sitting, settings, tmp_path, caplog):
    session, _orgs = sitting
    settings.PDF_FONT_DIR = str(tmp_path)
    pdf = minutes_pdf(session)
    assert "fonts-dejavu-core" in caplog.text
    text = "\n".join(pages_text(pdf))
    assert "Résultat : Adoptée" in text and "Page 1 de" in text


def test_no_procuration_model_yet_means_no_procuration_section(sitting):
    session, _orgs = sitting
    assert procurations(session) == []
    assert "Procurations" not in "\n".join(pages_text(minutes_pdf(session)))
