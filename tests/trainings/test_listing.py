"""The sessions listing, « Mes formations », home and organisation blocks: filters, pages,
and a number of queries that does not grow with the data."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tcri_site.sections import home_sections, organisation_sections
from tests.factories import make_member
from tests.trainings.conftest import make_session, make_training
from trainings import services
from trainings.models import Registration, SessionFormat, SessionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_trainings(training_index, asylum_status, worker_status):
    asylum = make_training(training_index, title="Asile : accueil", statuses=[asylum_status], volets=[4], tags=["asile"])
    work = make_training(training_index, title="Permis de travail", statuses=[worker_status], volets=[2], tags=["permis"])
    return asylum, work


def _titles(client, **params):
    body = client.get(reverse("trainings:index"), params).content.decode()
    return {"asile": "Asile : accueil" in body, "travail": "Permis de travail" in body}


def test_filter_by_migration_status(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum)
    make_session(work)
    assert _titles(client, statut="tet") == {"asile": False, "travail": True}
    assert _titles(client, statut="demandeur-asile") == {"asile": True, "travail": False}


def test_filter_by_volet_tag_and_format(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum, format=SessionFormat.IN_PERSON, place="Montréal", online_link="")
    make_session(work)
    assert _titles(client, volet="2") == {"asile": False, "travail": True}
    assert _titles(client, etiquette="asile") == {"asile": True, "travail": False}
    assert _titles(client, format="in_person") == {"asile": True, "travail": False}


def test_filter_by_state_and_period(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum, days=-5, deadline_days=-7, status=SessionStatus.HELD)
    make_session(work, status=SessionStatus.CANCELLED)
    assert _titles(client) == {"asile": False, "travail": True}
    assert _titles(client, quand="past") == {"asile": True, "travail": False}
    assert _titles(client, quand="all", etat="held") == {"asile": True, "travail": False}


def test_bad_filter_values_do_not_break_the_page(client, two_trainings):
    response = client.get(reverse("trainings:index"), {"statut": "nope", "volet": "x", "page": "zz"})
    assert response.status_code == 200


def test_listing_is_paginated(client, training):
    for day in range(25):
        make_session(training, days=day + 2)
    body = client.get(reverse("trainings:index")).content.decode()
    assert "25 séances" in body and "Page 1 sur 2" in body
    second = client.get(reverse("trainings:index"), {"page": 2}).content.decode()
    assert second.count('class="session-item"') == 5


def _populate(training, organisation, sessions: int):
    people = [make_member(organisation) for _ in range(3)]
    for n in range(sessions):
        session = make_session(training, days=n + 2, capacity=2)
        for person in people:
            services.do_register(actor=person, person=person, session=session, accept_waitlist=True)
    return people


@pytest.mark.parametrize("size", [3, 15])
def test_listing_queries_do_not_grow(client, training, organisation, django_assert_max_num_queries, size):
    people = _populate(training, organisation, size)
    client.force_login(people[0])
    client.get(reverse("trainings:index"))  # warm cache (site root paths, policy version): measure what the data costs
    with django_assert_max_num_queries(20):
        response = client.get(reverse("trainings:index"), {"statut": "demandeur-asile"})
    assert response.content.decode().count('class="session-item"') == size


@pytest.mark.parametrize("size", [3, 15])
def test_my_trainings_queries_do_not_grow(client, training, organisation, django_assert_max_num_queries, size):
    people = _populate(training, organisation, size)
    client.force_login(people[2])  # on every waiting list: positions are computed
    client.get(reverse("trainings:my_trainings"))  # warm cache (site root paths, policy version): measure what the data costs
    with django_assert_max_num_queries(16):
        response = client.get(reverse("trainings:my_trainings"))
    assert "position 1" in response.content.decode()


@pytest.mark.parametrize("size", [3, 15])
def test_session_detail_queries_do_not_grow(client, training, organisation, project_lead, django_assert_max_num_queries, size):
    _populate(training, organisation, 1)
    session = make_session(training, capacity=size)
    for _ in range(size):
        person = make_member(organisation)
        services.do_register(actor=person, person=person, session=session)
    client.force_login(project_lead)
    client.get(session.get_absolute_url())  # warm cache (site root paths, policy version): measure what the data costs
    with django_assert_max_num_queries(20):
        response = client.get(session.get_absolute_url())
    assert response.status_code == 200


def test_my_trainings_shows_past_attendance_and_certificate(client, member, training):
    session = make_session(training)
    registration = services.do_register(actor=member, person=member, session=session)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    )
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    client.force_login(member)
    body = client.get(reverse("trainings:my_trainings")).content.decode()
    assert reverse("trainings:certificate", args=[registration.pk]) in body


def test_my_trainings_needs_login(client):
    response = client.get(reverse("trainings:my_trainings"))
    assert response.status_code == 302


def test_home_sections_show_upcoming_sessions(rf: RequestFactory, member, training):
    make_session(training, days=3)
    make_session(training, days=-3, deadline_days=-4)
    request = rf.get("/")
    request.user = member
    (section,) = [s for s in home_sections(request) if s.template.startswith("trainings/")]
    assert len(section.context["sessions"]) == 1
    assert section.more_url == reverse("trainings:index")


def test_organisation_sections_count_attended_trainings(rf, member, organisation, training):
    session = make_session(training)
    registration = services.do_register(actor=member, person=member, session=session)
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    request = rf.get("/")
    request.user = member
    (section,) = [s for s in organisation_sections(request, organisation) if s.template.startswith("trainings/")]
    assert section.context["rows"][0]["people"] == 1


def test_one_bad_filter_keeps_the_others(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum)
    make_session(work)
    assert _titles(client, statut="tet", volet="99") == {"asile": False, "travail": True}
