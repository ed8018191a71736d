"""Self check-in with the session's code: only during the session (from shortly before the
start to the end, Montréal time), only for confirmed registrants, idempotent; the trainer's
list shows it and stays the place for corrections; certificates follow attendance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tcri_site.members.models import Role
from tests.factories import make_member
from tests.trainings.conftest import make_session
from trainings import services
from trainings.models import Registration, RegistrationStatus, TrainingSession
from trainings.services.checkin import CODE_ALPHABET, CODE_LENGTH, OPENS_BEFORE

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(training):
    """A session that began ten minutes ago and lasts two hours."""
    session = make_session(training, days=10)
    start = timezone.now() - timedelta(minutes=10)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2), registration_deadline=start - timedelta(days=1)
    )
    session.refresh_from_db()
    return session


def _confirmed(session, person):
    return Registration.objects.create(session=session, user=person, organisation=person.organisation)


def test_code_is_short_unambiguous_and_stable(project_lead, running):
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("IO01L")
    assert services.do_ensure_checkin_code(actor=project_lead, session=running) == code


def test_only_the_project_lead_shows_the_code(member, administrator, running):
    for person in (member, administrator):
        with pytest.raises(services.NotAllowed):
            services.do_ensure_checkin_code(actor=person, session=running)


def test_a_registrant_checks_in_once_and_again_changes_nothing(project_lead, member, running):
    registration = _confirmed(running, member)
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    checked, already = services.do_check_in(actor=member, code=f" {code[:3].lower()}-{code[3:]} ")
    assert checked.pk == registration.pk and already is False
    registration.refresh_from_db()
    first = registration.checked_in_at
    assert registration.attended is True and first is not None
    again, already = services.do_check_in(actor=member, code=code)
    assert already is True
    registration.refresh_from_db()
    assert registration.checked_in_at == first
    assert member.has_perm("trainings.download_certificate", registration)


@pytest.mark.parametrize(
    ("now_offset", "opens"),
    [(-OPENS_BEFORE - timedelta(minutes=1), False), (-OPENS_BEFORE + timedelta(minutes=1), True),
     (timedelta(hours=2) - timedelta(minutes=1), True), (timedelta(hours=2, minutes=1), False)],
)
def test_the_code_works_only_from_shortly_before_the_start_to_the_end(project_lead, member, running, now_offset, opens):
    _confirmed(running, member)
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    now = running.starts_at + now_offset
    if opens:
        services.do_check_in(actor=member, code=code, now=now)
        assert Registration.objects.get(user=member).attended is True
    else:
        with pytest.raises(services.CheckinClosed) as refused:
            services.do_check_in(actor=member, code=code, now=now)
        assert "heure de Montréal" in str(refused.value.message)
        assert Registration.objects.get(user=member).attended is None


def test_not_registered_waitlisted_or_cancelled_people_cannot_check_in(project_lead, organisation, running):
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    stranger = make_member(organisation, Role.MEMBRE)
    waiting = make_member(organisation, Role.MEMBRE)
    Registration.objects.create(session=running, user=waiting, status=RegistrationStatus.WAITLISTED)
    gone = make_member(organisation, Role.MEMBRE)
    Registration.objects.create(session=running, user=gone, status=RegistrationStatus.CANCELLED)
    for person in (stranger, waiting, gone):
        with pytest.raises(services.NotRegisteredForCheckin):
            services.do_check_in(actor=person, code=code)
    assert not Registration.objects.filter(attended=True).exists()


def test_an_unknown_code_is_refused(member, running):
    _confirmed(running, member)
    with pytest.raises(services.CheckinCodeUnknown):
        services.do_check_in(actor=member, code="ZZZZZZ")


def test_trainer_corrections_still_rule(project_lead, member, organisation, running):
    other = make_member(organisation, Role.MEMBRE)
    mine, theirs = _confirmed(running, member), _confirmed(running, other)
    services.do_check_in(actor=member, code=services.do_ensure_checkin_code(actor=project_lead, session=running))
    # The trainer unticks the person who checked in (left at once) and ticks the other.
    services.do_record_attendance(actor=project_lead, session=running, present_ids=[theirs.pk])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.attended is False and mine.checked_in_at is not None
    assert theirs.attended is True


# --- Views ---------------------------------------------------------------------------------


def test_the_qr_code_page_shows_the_code_and_an_svg(client, project_lead, running):
    client.force_login(project_lead)
    response = client.get(reverse("trainings:checkin_code", args=[running.pk]))
    assert response.status_code == 200
    running.refresh_from_db()
    body = response.content.decode()
    assert running.checkin_code in body and "<svg" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


def test_qr_page_refused_to_members(client, member, running):
    client.force_login(member)
    assert client.get(reverse("trainings:checkin_code", args=[running.pk])).status_code == 403


def test_the_qr_link_fills_the_code_and_posting_checks_in(client, project_lead, member, running):
    _confirmed(running, member)
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    client.force_login(member)
    page = client.get(reverse("trainings:checkin") + f"?code={code}")
    assert f'value="{code}"' in page.content.decode()
    assert Registration.objects.get(user=member).attended is None  # a GET changes nothing
    response = client.post(reverse("trainings:checkin"), {"code": code})
    assert response.status_code == 302 and response.url == running.get_absolute_url()
    assert Registration.objects.get(user=member).attended is True
    again = client.post(reverse("trainings:checkin"), {"code": code}, follow=True)
    assert "déjà notée" in again.content.decode()


def test_a_refused_check_in_keeps_the_code_and_says_why(client, project_lead, member, running):
    code = services.do_ensure_checkin_code(actor=project_lead, session=running)
    client.force_login(member)
    response = client.post("/en/seances/presence/", {"code": code})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only people registered (confirmed) to this session" in body and f'value="{code}"' in body


def test_check_in_needs_an_account(client, running):
    response = client.get(reverse("trainings:checkin"))
    assert response.status_code == 302 and "connexion" in response.url


def test_trainer_list_shows_who_checked_in(client, project_lead, member, running):
    _confirmed(running, member)
    services.do_check_in(actor=member, code=services.do_ensure_checkin_code(actor=project_lead, session=running))
    client.force_login(project_lead)
    body = client.get(reverse("trainings:attendance", args=[running.pk])).content.decode()
    assert "présence notée par la personne" in body
