"""From material to seat: a material page lists its upcoming sessions with seats and a
register button (or colleagues' registration for a coordinator); pages with bounded queries."""


import pytest
from django.urls import reverse
from wagtail.models import Locale

from tests.factories import make_member
from tests.trainings.conftest import make_session, make_training
from trainings import services
from trainings.models import Registration, RegistrationStatus, SessionFormat, SessionStatus

pytestmark = pytest.mark.django_db


def test_material_page_shows_dates_places_seats_and_a_register_button(client, member, training):
    in_person = make_session(training, days=5, capacity=3, format=SessionFormat.IN_PERSON,
                             place="Salle communautaire, Québec", online_link="", region="03")
    full = make_session(training, days=9, capacity=1)
    other = make_member(member.organisation)
    services.do_register(actor=other, person=other, session=full)
    make_session(training, days=12, status=SessionStatus.CANCELLED)
    client.force_login(member)
    body = client.get(training.url).content.decode()
    assert "Salle communautaire, Québec" in body
    assert "3 places libres" in body
    assert "Complète — liste d'attente" in body
    assert body.count('action="%s"' % reverse("trainings:register", args=[in_person.pk])) == 1
    assert "M'inscrire sur la liste d'attente" in body
    assert reverse("trainings:register", args=[full.pk]) in body
    assert body.count('class="session-item"') == 2  # the cancelled one is not offered


def test_registering_from_the_material_page_comes_back_to_it(client, member, training, django_capture_on_commit_callbacks):
    session = make_session(training, capacity=2)
    client.force_login(member)
    back = f"{training.url}#seance-{session.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:register", args=[session.pk]), {"next": back})
    assert response["Location"] == back
    assert Registration.objects.get(session=session, user=member).status == RegistrationStatus.CONFIRMED
    body = client.get(training.url).content.decode()
    assert "Vous êtes inscrit·e" in body
    assert 'action="%s"' % reverse("trainings:register", args=[session.pk]) not in body


def test_a_full_session_puts_the_person_on_the_waiting_list(client, member, training, organisation):
    session = make_session(training, capacity=1)
    other = make_member(organisation)
    services.do_register(actor=other, person=other, session=session)
    client.force_login(member)
    client.post(reverse("trainings:register", args=[session.pk]), {"next": training.url, "waitlist": "1"})
    assert Registration.objects.get(session=session, user=member).status == RegistrationStatus.WAITLISTED


def test_an_unsafe_next_is_ignored(client, member, session):
    client.force_login(member)
    response = client.post(reverse("trainings:register", args=[session.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == session.get_absolute_url()


def test_anonymous_people_are_asked_to_sign_in(client, session):
    body = client.get(session.training.url).content.decode()
    assert reverse("members:login") in body
    assert reverse("trainings:register", args=[session.pk]) not in body


def test_coordinator_registers_a_colleague_from_the_material_page(client, coordinator, member, other_organisation, session):
    outsider = make_member(other_organisation)
    client.force_login(coordinator)
    body = client.get(session.training.url).content.decode()
    assert member.email in body and outsider.email not in body
    assert f'id="id_s{session.pk}_person"' in body
    response = client.post(
        reverse("trainings:register", args=[session.pk]),
        {"person": member.pk, "waitlist": "on", "next": session.training.url},
    )
    assert response["Location"] == session.training.url
    registration = Registration.objects.get(session=session, user=member)
    assert registration.registered_by == coordinator
    # Someone of another organisation is refused, and nothing is stored.
    client.post(reverse("trainings:register", args=[session.pk]), {"person": outsider.pk, "next": session.training.url})
    assert not Registration.objects.filter(user=outsider).exists()


def test_an_english_translation_lists_the_sessions_of_the_french_page(client, training, session):
    en, _ = Locale.objects.get_or_create(language_code="en")
    home_en = training.get_parent().get_parent().specific.copy_for_translation(en)
    home_en.save_revision().publish()
    index_en = training.get_parent().specific.copy_for_translation(en)
    index_en.save_revision().publish()
    training_en = training.copy_for_translation(en)
    training_en.title = "Welcoming asylum claimants"
    training_en.save_revision().publish()
    body = client.get(f"/en/formations/{training.slug}/").content.decode()
    assert "Welcoming asylum claimants" in body
    assert f"/en/seances/{session.pk}/" in body
    assert "2 seats left" in body


def _sessions_with_people(training, organisation, count):
    people = [make_member(organisation) for _ in range(3)]
    for n in range(count):
        session = make_session(training, days=n + 2, capacity=2)
        for person in people:
            services.do_register(actor=person, person=person, session=session, accept_waitlist=True)
    return people


@pytest.mark.parametrize("size", [2, 9])
def test_material_page_queries_do_not_grow(client, coordinator, training, organisation, django_assert_max_num_queries, size):
    _sessions_with_people(training, organisation, size)
    client.force_login(coordinator)
    client.get(training.url)  # warm cache (site root paths, policy version): measure what the data costs
    with django_assert_max_num_queries(28):
        body = client.get(training.url).content.decode()
    assert body.count('class="session-item"') == size


@pytest.mark.parametrize("size", [2, 12])
def test_catalogue_queries_do_not_grow(client, member, training_index, asylum_status, django_assert_max_num_queries, size):
    en, _ = Locale.objects.get_or_create(language_code="en")
    home_en = training_index.get_parent().specific.copy_for_translation(en)
    home_en.save_revision().publish()
    training_index.copy_for_translation(en).save_revision().publish()
    for n in range(size):
        page = make_training(training_index, title=f"Formation {n}", statuses=[asylum_status])
        if n % 2:
            translated = page.copy_for_translation(en)
            translated.title = f"Training {n}"
            translated.save_revision().publish()
    client.force_login(member)
    for prefix in ("", "/en"):
        with django_assert_max_num_queries(35):
            body = client.get(f"{prefix}/formations/").content.decode()
        assert body.count('class="card"') == size
