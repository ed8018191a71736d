"""The procès-verbal PDF: the TCRI heading and "Page n de N" on every page, date, place,
chair, attendance, agenda, each motion's text, tally, threshold, quorum and result, in the
session's language, with French typography embedded (read back with pypdf)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from advocacy import services
from advocacy.minutes_pdf import font_paths, minutes_pdf
from advocacy.models import (
    AgendaItem,
    AgendaKind,
    DemandState,
    Motion,
    MotionResult,
    Speech,
    SpeechStatus,
)
from advocacy.services import speakers
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


def test_minutes_list_confirmed_procurations_speakers_and_speaking_time(sitting, make_orgs, project_lead):
    session, orgs = sitting
    (giver, giver_delegate, _s), (pending, pending_delegate, _s2) = make_orgs(2)
    holder = orgs[0][1]
    confirmed = services.do_request_procuration(actor=giver_delegate, session=session, holder=holder)
    services.do_confirm_procuration(actor=project_lead, procuration=confirmed)
    services.do_request_procuration(actor=pending_delegate, session=session, holder=orgs[1][1])  # never confirmed

    first, second = list(session.agenda_items.order_by("sort_order"))[:2]
    now = timezone.now()
    for item, person, seconds, point_of_order in (
        (first, orgs[0][1], 125, False),
        (first, orgs[2][1], 40, True),
        (second, orgs[0][2], 30, False),
    ):
        Speech.objects.create(
            speaker_list=speakers.speaker_list_for(item), organisation=person.active_membership.organisation, person=person,
            point_of_order=point_of_order, status=SpeechStatus.DONE, started_at=now, ended_at=now + timedelta(seconds=seconds),
        )
    text = "\n".join(pages_text(minutes_pdf(session)))
    assert f"{giver.name} représenté par" in text and holder.get_full_name() in text
    assert pending.name not in text
    assert "Interventions :" in text and "point d’ordre — 40 s" in text
    assert "Temps de parole par organisme" in text
    # orgs[0] spoke twice (its délégué·e 2 min 05 s, its substitut·e 30 s): 2 min 35 s, first.
    assert f"{orgs[0][0].name} : 2 min 35 s (2 interventions)" in text
    assert f"{orgs[2][0].name} : 40 s (1 intervention)" in text
    assert text.index(f"{orgs[0][0].name} : 2 min 35 s") < text.index(f"{orgs[2][0].name} : 40 s")

    draft = services.draft_minutes_text(session)
    assert f"{giver.name} représenté par" in draft and pending.name not in draft
    assert "Temps de parole par organisme" in draft and f"{orgs[0][0].name} : 2 min 35 s (2 interventions)" in draft


def test_no_procuration_no_speech_means_no_such_section(sitting):
    session, _orgs = sitting
    text = "\n".join(pages_text(minutes_pdf(session)))
    assert "Procurations" not in text and "Temps de parole" not in text
