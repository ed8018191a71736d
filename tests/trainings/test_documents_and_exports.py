"""ICS (e-mail and feed), reminders, attendance, certificates and reports."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from tests.factories import make_member
from tests.outbox import outbox
from tests.trainings.conftest import make_session
from trainings import exports, services
from trainings.models import Registration, RegistrationStatus, SessionStatus

pytestmark = pytest.mark.django_db


def _events(data: bytes):
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def test_confirmation_ics_parses_back(member, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.do_register(actor=member, person=member, session=session)
    name, content, mimetype = outbox()[0].attachments[0]
    assert mimetype == "text/calendar"
    (event,) = _events(content if isinstance(content, bytes) else content.encode())
    assert str(event["summary"]) == session.training.title
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == session.ends_at.replace(microsecond=0)
    assert str(event.decoded("dtstart").tzinfo) == "America/Montreal"
    assert "secret-room" in str(event["location"])


def test_one_session_ics_from_its_page_shows_the_link_to_registered_people_only(client, organisation, member, session):
    colleague = make_member(organisation)
    services.do_register(actor=member, person=member, session=session)
    client.force_login(colleague)
    page = client.get(reverse("trainings:session", args=[session.pk])).content.decode()
    url = reverse("trainings:session_ics", args=[session.pk])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="seance-{session.pk}.ics"' in response["Content-Disposition"]
    (event,) = _events(response.content)
    assert str(event["summary"]) == session.training.title
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert "secret-room" not in response.content.decode()  # not registered: no link
    client.force_login(member)
    (event,) = _events(client.get(url).content)
    assert "secret-room" in str(event["location"])


def test_waitlisted_confirmation_has_no_ics(organisation, training, django_capture_on_commit_callbacks):
    full = make_session(training, capacity=1)
    a, b = make_member(organisation), make_member(organisation)
    services.do_register(actor=a, person=a, session=full)
    outbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_register(actor=b, person=b, session=full, accept_waitlist=True)
    assert "Liste d'attente" in outbox()[0].subject
    assert outbox()[0].attachments == []


def test_private_feed_lists_confirmed_sessions_only(client, organisation, member, training):
    mine = make_session(training, capacity=1)
    waiting_for = make_session(training, days=20, capacity=1)
    other = make_member(organisation)
    services.do_register(actor=other, person=other, session=waiting_for)
    services.do_register(actor=member, person=member, session=mine)
    services.do_register(actor=member, person=member, session=waiting_for, accept_waitlist=True)
    feed = services.get_feed(person=member)
    response = client.get(reverse("trainings:feed", args=[feed.token]))
    assert response.status_code == 200
    events = _events(response.content)
    assert [str(e["uid"]) for e in events] == [f"seance-{mine.pk}@tcri-pasi"]


def test_feed_token_is_the_credential(client, member):
    feed = services.get_feed(person=member)
    old = feed.token
    assert client.get(reverse("trainings:feed", args=["nope"])).status_code == 404
    services.do_regenerate_feed(actor=member, person=member)
    assert client.get(reverse("trainings:feed", args=[old])).status_code == 404


def test_my_trainings_creates_a_feed_address(client, member):
    client.force_login(member)
    client.post(reverse("trainings:calendar_token"))
    page = client.get(reverse("trainings:my_trainings")).content.decode()
    assert services.get_feed(person=member).token in page


def test_reminders_are_sent_once(member, training):
    soon = make_session(training, days=1, deadline_days=0.5)
    later = make_session(training, days=10)
    services.do_register(actor=member, person=member, session=soon)
    services.do_register(actor=member, person=member, session=later)
    outbox().clear()
    call_command("send_training_reminders", stdout=io.StringIO())
    call_command("send_training_reminders", stdout=io.StringIO())
    assert len(outbox()) == 1
    assert "Rappel" in outbox()[0].subject and soon.training.title in outbox()[0].subject
    assert Registration.objects.get(session=soon).reminder_sent_at is not None


def test_reminders_skip_cancelled_sessions_and_registrations(organisation, training):
    soon = make_session(training, days=1, deadline_days=0.5)
    a, b = make_member(organisation), make_member(organisation)
    services.do_register(actor=a, person=a, session=soon)
    registration = services.do_register(actor=b, person=b, session=soon)
    services.do_cancel_registration(actor=b, registration=registration)
    outbox().clear()
    assert services.do_send_due_reminders() == 1
    TrainingSession = type(soon)
    TrainingSession.objects.filter(pk=soon.pk).update(status=SessionStatus.CANCELLED)
    Registration.objects.update(reminder_sent_at=None)
    assert services.do_send_due_reminders() == 0


def _held_session(training, people):
    session = make_session(training, capacity=10)
    for person in people:
        services.do_register(actor=person, person=person, session=session)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def test_project_lead_records_attendance_in_bulk(client, project_lead, organisation, training):
    people = [make_member(organisation) for _ in range(3)]
    session = _held_session(training, people)
    regs = list(Registration.objects.filter(session=session).order_by("pk"))
    client.force_login(project_lead)
    url = reverse("trainings:attendance", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [regs[0].pk, regs[2].pk]}, follow=True)
    assert "2 sur 3" in response.content.decode()
    assert [r.attended for r in Registration.objects.filter(session=session).order_by("pk")] == [True, False, True]
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_attendance_refuses_a_foreign_registration(client, project_lead, organisation, training):
    session = _held_session(training, [make_member(organisation)])
    client.force_login(project_lead)
    response = client.post(reverse("trainings:attendance", args=[session.pk]), {"present": ["999999"]}, follow=True)
    assert "ne correspond pas" in response.content.decode()
    assert Registration.objects.get(session=session).attended is None


def test_members_cannot_record_attendance(client, coordinator, session):
    client.force_login(coordinator)
    assert client.get(reverse("trainings:attendance", args=[session.pk])).status_code == 403


def _attended(training, person):
    session = _held_session(training, [person])
    registration = Registration.objects.get(session=session, user=person)
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    registration.refresh_from_db()
    return registration


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_certificate_in_french(client, organisation, training):
    person = make_member(organisation, first_name="Éloïse", last_name="Côté-Lévesque", language="fr")
    registration = _attended(training, person)
    client.force_login(person)
    response = client.get(reverse("trainings:certificate", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Attestation de participation" in text
    assert "Éloïse Côté-Lévesque" in text
    assert training.title in text


def test_certificate_in_english(organisation, training):
    person = make_member(organisation, first_name="Noé", last_name="Bélanger", language="en")
    registration = _attended(training, person)
    text = _pdf_text(services.certificate_pdf(registration))
    assert "Certificate of attendance" in text
    assert "Noé Bélanger" in text


def test_no_certificate_without_attendance(client, member, training):
    session = _held_session(training, [member])
    registration = Registration.objects.get(session=session)
    client.force_login(member)
    assert client.get(reverse("trainings:certificate", args=[registration.pk])).status_code == 403


def test_no_certificate_for_someone_else(client, organisation, training):
    registration = _attended(training, make_member(organisation))
    client.force_login(make_member(organisation))
    assert client.get(reverse("trainings:certificate", args=[registration.pk])).status_code == 403


def test_reports_csv_keeps_accents_for_excel(client, project_lead, organisation, training):
    organisation.name = "Maison d'accueil Éléonore"
    organisation.save()
    _attended(training, make_member(organisation))
    client.force_login(project_lead)
    response = client.get(reverse("trainings:reports_csv"), {"par": "organisation"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisme"
    assert rows[1] == ["Maison d'accueil Éléonore", "1", "1", "100"]


def test_reports_by_status_and_region(project_lead, organisation, training):
    _attended(training, make_member(organisation))
    by_status = exports.participation("statut")
    assert [(r.label, r.registered, r.attended) for r in by_status] == [("Demandeur·euse d'asile", 1, 1)]
    assert exports.participation("region")[0].label == "06 Montréal"
    assert {r.label.split(".")[0] for r in exports.participation("volet")} == {"1", "4"}


def test_reports_page_has_chart_and_table(client, project_lead, organisation, training):
    _attended(training, make_member(organisation))
    client.force_login(project_lead)
    response = client.get(reverse("trainings:reports"), {"par": "region"})
    body = response.content.decode()
    assert 'class="bar-chart"' in body and "<table>" in body and "06 Montréal" in body


def test_reports_bad_dates_say_so(client, project_lead):
    client.force_login(project_lead)
    response = client.get(reverse("trainings:reports"), {"du": "2026-05-01", "au": "2026-01-01"})
    assert response.status_code == 200
    assert "doit précéder" in response.content.decode()


def test_members_cannot_see_reports(client, delegate):
    client.force_login(delegate)
    assert client.get(reverse("trainings:reports")).status_code == 403
    assert client.get(reverse("trainings:reports_csv")).status_code == 403


def test_registration_status_choice_is_kept():
    assert RegistrationStatus.WAITLISTED.label
