"""Every notification kind, triggered by the real action of the app that owns it (through
that app's service, as its views call it), and delivered as the person chose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tcri_site.members.models import NotificationPreference as Delivery
from tcri_site.members.models import Role
from tcri_site.notifications.models import Kind, Notification
from tcri_site.notifications.services import do_set_preferences, send_digests
from tests.factories import OrganisationFactory, make_member
from tests.outbox import outbox, write_batches

pytestmark = pytest.mark.django_db


def _kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))



# --- forum: mentions, replies, moderation -----------------------------------------------


@pytest.fixture
def space(db):
    from forum.models import Space

    return Space.objects.create(name="Espace général", slug="general-notif")


def test_mention_in_a_forum_message(space, organisation, django_capture_on_commit_callbacks):
    from forum.services import do_create_thread

    author = make_member(organisation, email="awa.diallo@test.tcri.example")
    mentioned = make_member(organisation, email="kofi.mensah@test.tcri.example")
    do_set_preferences(mentioned, {Kind.MENTION: Delivery.IMMEDIATE})
    with django_capture_on_commit_callbacks(execute=True):
        do_create_thread(actor=author, space=space, title="Accueil", body="Bonjour @kofi.mensah, une question.")
    notification = Notification.objects.get(recipient=mentioned)
    assert notification.kind == Kind.MENTION
    assert notification.actor == author
    assert notification.url.startswith("/espaces/")
    assert [m.to for m in outbox()] == [[mentioned.email]]  # immediate, as chosen
    assert _kinds_of(author) == []


def test_reply_to_a_forum_message(space, organisation):
    from forum.models import Message
    from forum.services import do_create_thread, do_post_message

    first, second = make_member(organisation), make_member(organisation)
    thread = do_create_thread(actor=first, space=space, title="Question", body="Qui sait ?")
    original = Message.objects.get(thread=thread)
    do_post_message(actor=second, thread_id=thread.pk, body="Moi.", reply_to_id=original.pk)
    assert _kinds_of(first) == [Kind.REPLY]


def test_moderation_outcome(space, organisation, administrator):
    from forum.models import Message
    from forum.services import do_create_thread, do_set_hidden

    author = make_member(organisation)
    space.moderators.set([administrator])
    thread = do_create_thread(actor=author, space=space, title="Hors sujet", body="Texte")
    message = Message.objects.get(thread=thread)
    do_set_hidden(actor=administrator, message_id=message.pk, hidden=True)
    assert _kinds_of(author) == [Kind.MODERATION]


# --- trainings: new sessions, registrations and waiting list ---------------------------


@pytest.fixture
def training(db):
    from wagtail.models import Locale, Page

    from tcri_site.members.models import Volet
    from trainings.models import TrainingIndexPage, TrainingPage

    Locale.objects.get_or_create(language_code="fr")
    index = Page.objects.get(depth=2).add_child(
        instance=TrainingIndexPage(title="Formations", slug="formations-notif")
    )
    page = TrainingPage(title="Demande d'asile", summary="Résumé.")
    index.add_child(instance=page)
    page.volets.set(Volet.objects.filter(number=4))
    page.save_revision().publish()
    return TrainingPage.objects.get(pk=page.pk)


def _session(training, capacity=1):
    from trainings.models import SessionFormat, TrainingSession

    start = timezone.now() + timedelta(days=10)
    return TrainingSession.objects.create(
        training=training,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start - timedelta(days=1),
        capacity=capacity,
        format=SessionFormat.ONLINE,
        online_link="https://visio.tcri.example/salle",
    )


def test_new_session_in_ones_volets(training, project_lead):
    from trainings.services import do_announce_session

    in_volet = make_member(OrganisationFactory(volets=[4]))
    elsewhere = make_member(OrganisationFactory(volets=[2]))
    do_announce_session(actor=project_lead, session=_session(training))
    assert _kinds_of(in_volet) == [Kind.TRAINING]
    assert _kinds_of(elsewhere) == []


def test_registration_by_a_coordinator_and_waiting_list_promotion(training, organisation, coordinator):
    from trainings.models import RegistrationStatus
    from trainings.services import do_cancel_registration, do_register

    session = _session(training, capacity=1)
    seated, waiting = make_member(organisation), make_member(organisation)
    registration = do_register(actor=coordinator, person=seated, session=session)
    assert _kinds_of(seated) == [Kind.REGISTRATION]
    queued = do_register(actor=waiting, person=waiting, session=session, accept_waitlist=True)
    assert queued.status == RegistrationStatus.WAITLISTED
    assert _kinds_of(waiting) == []  # registering oneself is no news

    do_cancel_registration(actor=seated, registration=registration)
    promoted = Notification.objects.get(recipient=waiting)
    assert promoted.kind == Kind.REGISTRATION
    assert "place s'est libérée" in promoted.title


# --- advocacy: convocations, votes, demands, implementation updates ------------------


def _delegation():
    org = OrganisationFactory()
    return org, make_member(org, Role.DELEGUE), make_member(org, Role.MEMBRE)


@pytest.fixture
def forum_session(project_lead):
    from advocacy.models import ForumSession

    start = timezone.now() + timedelta(days=2)
    return ForumSession.objects.create(
        title="Séance d'automne", starts_at=start, ends_at=start + timedelta(hours=2), chair=project_lead
    )


def test_convocation(forum_session, project_lead):
    from advocacy.services import do_send_convocation

    _org, delegate, member = _delegation()
    do_send_convocation(actor=project_lead, session=forum_session)
    assert _kinds_of(delegate) == []  # the worker writes them, once the convocation is committed
    write_batches()
    assert _kinds_of(delegate) == [Kind.CONVOCATION]
    assert _kinds_of(member) == []


def _demand(org, state):
    from advocacy.models import Demand

    demand = Demand(title="Délais de traitement", text="Que les délais baissent.", proposing_organisation=org, state=state, live=True)
    demand.save()
    return demand


def test_vote_opening(forum_session, project_lead):
    from advocacy.models import DemandState, Motion
    from advocacy.services import do_open_motion

    org, delegate, _member = _delegation()
    demand = _demand(org, DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="Proposition 1", text=demand.text)
    do_open_motion(actor=project_lead, motion=motion)
    assert Kind.VOTE in _kinds_of(delegate)


def test_demand_changes_state(project_lead):
    from advocacy.models import DemandState
    from advocacy.services import do_transition

    org, delegate, _member = _delegation()
    demand = _demand(org, DemandState.CONSULTATION)
    do_transition(actor=project_lead, demand=demand, action="schedule")
    notification = Notification.objects.get(recipient=delegate)
    assert notification.kind == Kind.DEMAND
    assert "Délais de traitement" in notification.title


def test_new_implementation_update(project_lead, member):
    from wagtail.models import Page

    from advocacy.models import UpdateIndexPage, UpdatePage
    from advocacy.services import do_announce_update, do_subscribe

    do_subscribe(actor=member)
    index = Page.objects.get(depth=2).add_child(instance=UpdateIndexPage(title="Suivi", slug="suivi-notif"))
    page = index.add_child(instance=UpdatePage(title="Nouvelle entente MIFI", slug="entente", summary="Résumé"))
    do_announce_update(page=page, actor=project_lead)
    assert _kinds_of(member) == [Kind.UPDATE]


# --- delivery follows the person's choice, whatever the app ----------------------------


def test_digest_collects_kinds_from_different_apps(training, forum_session, project_lead):
    from advocacy.services import do_send_convocation
    from trainings.services import do_announce_session

    org = OrganisationFactory(volets=[4])
    delegate = make_member(org, Role.DELEGUE, notification_preference=Delivery.WEEKLY)
    do_announce_session(actor=project_lead, session=_session(training))
    do_send_convocation(actor=project_lead, session=forum_session)
    outbox().clear()  # the convocation's own formal e-mail is the advocacy app's
    assert send_digests("weekly") == 1
    assert outbox()[0].to == [delegate.email]
    body = outbox()[0].body
    assert "== Nouvelles formations et séances (1) ==" in body
    assert "== Convocations et ordres du jour (1) ==" in body
    assert send_digests("weekly") == 0
