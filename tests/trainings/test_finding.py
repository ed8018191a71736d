"""Trainings are found: the menu's entries, the text search and the filters of the sessions
listing (state kept in the URL, labels), the home page's next sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.trainings.conftest import make_session, make_training
from trainings.models import SessionFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_trainings(training_index, asylum_status, worker_status, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexed for the search on commit
        asylum = make_training(training_index, title="Accueillir les demandeurs d'asile", statuses=[asylum_status])
        work = make_training(training_index, title="Permis de travail fermés", statuses=[worker_status], tags=["permis"])
    return asylum, work


def _found(client, **params):
    body = client.get(reverse("trainings:index"), params).content.decode()
    return {"asile": "demandeurs d&#x27;asile" in body, "travail": "Permis de travail fermés" in body}


def test_the_menu_has_sessions_catalogue_and_my_trainings(client, member, training_index):
    body = client.get("/").content.decode()
    assert f'href="{training_index.url}"' in body and "Catalogue des formations" in body
    assert reverse("trainings:my_trainings") not in body  # signed out: no « Mes formations »
    client.force_login(member)
    body = client.get(reverse("trainings:index")).content.decode()
    assert f'<a href="{reverse("trainings:my_trainings")}">Mes formations</a>' in body
    assert f'href="{training_index.url}"' in body  # the listing links to the catalogue too


def test_text_search_finds_the_training_accents_and_plurals_aside(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum)
    make_session(work)
    assert _found(client, q="demandeur d'asile") == {"asile": True, "travail": False}
    assert _found(client, q="PERMIS fermes") == {"asile": False, "travail": True}
    assert _found(client, q="introuvable") == {"asile": False, "travail": False}


def test_filters_by_region_format_and_dates(client, two_trainings):
    asylum, work = two_trainings
    make_session(asylum, days=3, format=SessionFormat.IN_PERSON, place="Québec", online_link="", region="03")
    make_session(work, days=20)
    assert _found(client, region="03") == {"asile": True, "travail": False}
    assert _found(client, format="online") == {"asile": False, "travail": True}
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert _found(client, du=later) == {"asile": False, "travail": True}
    assert _found(client, au=later) == {"asile": True, "travail": False}


def test_the_filters_keep_their_state_in_the_url_and_have_labels(client, two_trainings):
    make_session(two_trainings[0])
    body = client.get(reverse("trainings:index"), {"q": "asile", "region": "06", "format": "online"}).content.decode()
    assert 'method="get"' in body
    assert 'value="asile"' in body
    assert '<option value="06" selected>' in body
    for field in ("q", "statut", "volet", "format", "region", "du", "au"):
        assert f'<label for="id_{field}">' in body


def test_the_home_page_shows_the_next_sessions(client, training):
    make_session(training, days=4)
    body = client.get("/").content.decode()
    assert "Prochaines séances de formation" in body
    assert escape_title(training.title) in body


def escape_title(title):
    from html import escape

    return escape(title)


@pytest.mark.parametrize("size", [2, 12])
def test_home_and_searched_listing_queries_do_not_grow(client, member, two_trainings, django_assert_max_num_queries, size):
    # A query per session would add at least 12 at the larger size: the bound would fail.
    for n in range(size):
        make_session(two_trainings[n % 2], days=n + 2)
    client.force_login(member)
    with django_assert_max_num_queries(30):
        home = client.get("/").content.decode()
    assert "Prochaines séances de formation" in home
    with django_assert_max_num_queries(36):
        body = client.get(reverse("trainings:index"), {"q": "demandeur d'asile", "du": "2020-01-01"}).content.decode()
    assert body.count('class="session-item"') == (size + 1) // 2
