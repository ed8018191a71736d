"""Every way to register, every refusal, and the waiting list."""

import pytest
from django.core import mail
from django.urls import reverse

from tcri_site.members.models import Role
from tcri_site.notifications.models import Kind, Notification
from tests.factories import make_member
from tests.trainings.conftest import make_session
from trainings import services
from trainings.models import Registration, RegistrationStatus, SessionStatus

pytestmark = pytest.mark.django_db


def register(actor, person, session, waitlist=False):
    return services.do_register(actor=actor, person=person, session=session, accept_waitlist=waitlist)


def test_member_registers_themselves_and_gets_a_confirmation(member, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(member, member, session)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organisation == member.organisation
    assert len(mail.outbox) == 1
    assert "Inscription confirmée" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == "seance.ics"


def test_coordinator_registers_a_colleague(coordinator, member, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(coordinator, member, session)
    assert registration.user == member and registration.registered_by == coordinator
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == Kind.REGISTRATION


def test_delegate_registers_a_colleague(delegate, member, session):
    assert register(delegate, member, session).status == RegistrationStatus.CONFIRMED


def test_plain_member_cannot_register_a_colleague(organisation, member, session):
    colleague = make_member(organisation, Role.MEMBRE)
    with pytest.raises(services.NotAllowed):
        register(member, colleague, session)
    assert not Registration.objects.exists()


def test_coordinator_cannot_register_someone_of_another_organisation(coordinator, other_organisation, session):
    stranger = make_member(other_organisation, Role.MEMBRE)
    with pytest.raises(services.NotAllowed):
        register(coordinator, stranger, session)
    assert not Registration.objects.exists()


def test_outsider_cannot_register(outsider, session):
    with pytest.raises(services.NotAllowed):
        register(outsider, outsider, session)


def test_duplicate_registration_is_refused(member, session):
    register(member, member, session)
    with pytest.raises(services.AlreadyRegistered):
        register(member, member, session)
    assert Registration.objects.count() == 1


def test_full_session_is_refused_unless_the_waiting_list_is_accepted(organisation, session):
    people = [make_member(organisation) for _ in range(3)]
    register(people[0], people[0], session)
    register(people[1], people[1], session)
    with pytest.raises(services.SessionFull):
        register(people[2], people[2], session)
    assert Registration.objects.count() == 2
    waiting = register(people[2], people[2], session, waitlist=True)
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(waiting) == 1


def test_past_deadline_is_refused(member, training):
    late = make_session(training, days=3, deadline_days=-1)
    with pytest.raises(services.DeadlinePassed):
        register(member, member, late)
    assert not Registration.objects.exists()


def test_cancelled_session_is_refused(member, training):
    cancelled = make_session(training, status=SessionStatus.CANCELLED)
    with pytest.raises(services.SessionCancelled):
        register(member, member, cancelled)


def test_past_session_is_refused(member, training):
    past = make_session(training, days=-3, deadline_days=1)
    with pytest.raises(services.SessionClosed):
        register(member, member, past)


def test_cancel_promotes_the_first_person_waiting_with_an_email(
    organisation, session, django_capture_on_commit_callbacks
):
    a, b, c, d = (make_member(organisation) for _ in range(4))
    first = register(a, a, session)
    register(b, b, session)
    waiting_c = register(c, c, session, waitlist=True)
    waiting_d = register(d, d, session, waitlist=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.do_cancel_registration(actor=a, registration=first)
    assert promoted.pk == waiting_c.pk
    waiting_c.refresh_from_db()
    waiting_d.refresh_from_db()
    assert waiting_c.status == RegistrationStatus.CONFIRMED and waiting_c.promoted_at
    assert waiting_d.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(waiting_d) == 1
    assert [m.to for m in mail.outbox] == [[c.email]]
    assert "place s'est libérée" in mail.outbox[0].subject
    assert Notification.objects.filter(recipient=c, kind=Kind.REGISTRATION).exists()
    assert Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count() == 2


def test_cancelling_a_waiting_place_promotes_nobody(organisation, session):
    a, b, c = (make_member(organisation) for _ in range(3))
    register(a, a, session)
    register(b, b, session)
    waiting = register(c, c, session, waitlist=True)
    assert services.do_cancel_registration(actor=c, registration=waiting) is None


def test_cancel_after_the_deadline_is_refused(member, training):
    session = make_session(training, days=3, deadline_days=1)
    registration = register(member, member, session)
    session.registration_deadline = session.starts_at.replace(year=2000)
    session.save()
    with pytest.raises(services.CancelDeadlinePassed):
        services.do_cancel_registration(actor=member, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_someone_else_cannot_cancel(organisation, member, session):
    registration = register(member, member, session)
    colleague = make_member(organisation)
    with pytest.raises(services.NotAllowed):
        services.do_cancel_registration(actor=colleague, registration=registration)


def test_coordinator_cancels_for_a_colleague(coordinator, member, session):
    registration = register(member, member, session)
    services.do_cancel_registration(actor=coordinator, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue(organisation, session):
    a, b, c = (make_member(organisation) for _ in range(3))
    first = register(a, a, session)
    register(b, b, session)
    services.do_cancel_registration(actor=a, registration=first)
    register(c, c, session)
    again = register(a, a, session, waitlist=True)
    assert again.pk == first.pk and again.status == RegistrationStatus.WAITLISTED


def test_more_seats_promote_people_waiting(organisation, session):
    people = [make_member(organisation) for _ in range(3)]
    for person in people:
        register(person, person, session, waitlist=True)
    promoted = services.do_update_capacity(actor=None, session=session, capacity=3)
    assert [r.user for r in promoted] == [people[2]]


# --- through the web ------------------------------------------------------------------------


def test_register_view_gives_a_message_and_shows_the_link(client, member, session):
    client.force_login(member)
    page = client.get(session.get_absolute_url())
    assert "secret-room" not in page.content.decode()
    response = client.post(reverse("trainings:register", args=[session.pk]), follow=True)
    body = response.content.decode()
    assert "inscrit·e" in body
    assert "https://visio.tcri.example/secret-room" in body


def test_register_view_refusal_says_why_and_changes_nothing(client, member, training):
    late = make_session(training, days=3, deadline_days=-1)
    client.force_login(member)
    response = client.post(reverse("trainings:register", args=[late.pk]), follow=True)
    assert response.status_code == 200
    assert "date limite" in response.content.decode()
    assert not Registration.objects.exists()


def test_full_session_view_offers_the_waiting_list(client, organisation, training):
    full = make_session(training, capacity=1)
    someone = make_member(organisation)
    register(someone, someone, full)
    member = make_member(organisation)
    client.force_login(member)
    page = client.get(full.get_absolute_url()).content.decode()
    assert "liste d'attente" in page
    response = client.post(reverse("trainings:register", args=[full.pk]), {"waitlist": "1"}, follow=True)
    assert "position 1" in response.content.decode()


def test_coordinator_registers_colleague_through_the_form(client, coordinator, member, session):
    client.force_login(coordinator)
    page = client.get(session.get_absolute_url()).content.decode()
    assert member.email in page
    client.post(reverse("trainings:register", args=[session.pk]), {"person": member.pk, "waitlist": "on"})
    assert Registration.objects.get(user=member).registered_by == coordinator


def test_coordinator_form_rejects_a_stranger(client, coordinator, other_organisation, session):
    stranger = make_member(other_organisation)
    client.force_login(coordinator)
    response = client.post(reverse("trainings:register", args=[session.pk]), {"person": stranger.pk}, follow=True)
    assert "Choisissez une personne" in response.content.decode()
    assert not Registration.objects.exists()


def test_anonymous_register_goes_to_login(client, session):
    response = client.post(reverse("trainings:register", args=[session.pk]))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_cancel_view(client, member, session):
    registration = register(member, member, session)
    client.force_login(member)
    # Without confirmed=1 (no JavaScript), a step that says what happens; nothing changes.
    step = client.post(reverse("trainings:cancel", args=[registration.pk]))
    assert step.status_code == 200 and "première personne en liste d&#x27;attente" in step.content.decode()
    assert 'name="confirmed" value="1"' in step.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    response = client.post(reverse("trainings:cancel", args=[registration.pk]), {"confirmed": "1"}, follow=True)
    assert "annulée" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_cancel_view_forbids_others(client, organisation, member, session):
    registration = register(member, member, session)
    client.force_login(make_member(organisation))
    assert client.post(reverse("trainings:cancel", args=[registration.pk])).status_code == 403
