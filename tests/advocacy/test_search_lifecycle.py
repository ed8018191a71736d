"""A demand's search entry follows its lifecycle, change after change, for every reader.

Each step goes through the services (what the pages and the live vote call), and the
index is refreshed the way production refreshes it: by the ``post_save`` signals, after
the commit. A state written past the model (``queryset.update``) left the index on the
old state: a submitted demand stayed invisible to the members, and an adopted one was
never findable by the public.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from advocacy import services
from advocacy.models import Choice, DemandState, ForumSession, Motion
from search import backends
from search.services import run_search
from tcri_site.members.models import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db

WORD = "okapi"
TITLE = "Accueil des okapis en région"


@pytest.fixture
def search_index(settings):
    """The database backend (SQLite FTS5 or PostgreSQL full text), emptied around the test."""
    settings.ELASTICSEARCH_URL = ""
    backend = backends.get_backend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def readers(organisation, other_organisation, member, delegate, project_lead):
    return {
        "membre": member,
        "délégué·e proposeur": delegate,
        "délégué·e d'un autre organisme": make_member(other_organisation, Role.DELEGUE),
        "chargée de projet": project_lead,
        "anonyme": AnonymousUser(),
    }


def found(user) -> bool:
    titles = {hit.title for hit in run_search(user, {"q": WORD}).hits}
    return TITLE in titles


WORKSPACE = {"membre", "délégué·e proposeur", "délégué·e d'un autre organisme", "chargée de projet"}
EVERYONE = WORKSPACE | {"anonyme"}


def assert_seen_by(readers, expected: set[str], step: str) -> None:
    seen = {name for name, user in readers.items() if found(user)}
    assert seen == expected, f"after {step}: found by {sorted(seen)}, expected {sorted(expected)}"


def test_search_follows_the_demand_from_draft_to_transmission(
    search_index, readers, delegate, project_lead, django_capture_on_commit_callbacks
):
    other_delegate = readers["délégué·e d'un autre organisme"]
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.do_create_demand(actor=delegate, title=TITLE, text="Que le MIFI finance l'accueil des okapis.")
    assert demand.state == DemandState.DRAFT
    # A draft is never indexed, not even for its own organisation.
    assert_seen_by(readers, set(), "creation (draft)")

    with django_capture_on_commit_callbacks(execute=True):
        services.do_transition(actor=delegate, demand=demand, action="submit")
    assert_seen_by(readers, WORKSPACE, "submit (consultation)")

    with django_capture_on_commit_callbacks(execute=True):
        services.do_transition(actor=project_lead, demand=demand, action="schedule")
    assert_seen_by(readers, WORKSPACE, "schedule (agenda)")

    start = timezone.now()
    session = ForumSession.objects.create(
        title="Séance okapi", starts_at=start, ends_at=start + timedelta(hours=2), chair=project_lead
    )
    motion = Motion.objects.create(session=session, demand=demand, title="Proposition okapi")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_open_motion(actor=project_lead, motion=motion)
    demand.refresh_from_db()
    assert demand.state == DemandState.VOTE
    assert_seen_by(readers, WORKSPACE, "motion opened (vote)")

    with django_capture_on_commit_callbacks(execute=True):
        services.do_cast_ballot(actor=delegate, motion=motion, choice=Choice.FOR)
        services.do_cast_ballot(actor=other_delegate, motion=motion, choice=Choice.FOR)
        services.do_close_motion(actor=project_lead, motion=motion)
    demand.refresh_from_db()
    assert demand.state == DemandState.ADOPTED
    # Adopted: public, so anyone finds it now.
    assert_seen_by(readers, EVERYONE, "vote adopted")

    with django_capture_on_commit_callbacks(execute=True):
        services.do_transition(actor=project_lead, demand=demand, action="transmit")
    demand.refresh_from_db()
    assert demand.state == DemandState.TRANSMITTED
    assert_seen_by(readers, EVERYONE, "transmitted")
    # The entry carries the current state's label, not the one it had when first indexed.
    hit = next(h for h in run_search(readers["anonyme"], {"q": WORD}).hits if h.title == TITLE)
    assert "Transmise" in str(hit.excerpt_html) or "Transmise" in str(getattr(hit, "body", ""))


def test_a_rejected_demand_stays_with_the_workspace(
    search_index, readers, delegate, project_lead, django_capture_on_commit_callbacks
):
    other_delegate = readers["délégué·e d'un autre organisme"]
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.do_create_demand(actor=delegate, title=TITLE, text="Que le MIFI finance l'accueil des okapis.")
        services.do_transition(actor=delegate, demand=demand, action="submit")
    start = timezone.now()
    session = ForumSession.objects.create(title="Séance", starts_at=start, ends_at=start + timedelta(hours=2), chair=project_lead)
    motion = Motion.objects.create(session=session, demand=demand, title="Proposition okapi")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_open_motion(actor=project_lead, motion=motion)
        services.do_cast_ballot(actor=delegate, motion=motion, choice=Choice.AGAINST)
        services.do_cast_ballot(actor=other_delegate, motion=motion, choice=Choice.AGAINST)
        services.do_close_motion(actor=project_lead, motion=motion)
    demand.refresh_from_db()
    assert demand.state == DemandState.REJECTED
    assert_seen_by(readers, WORKSPACE, "vote rejected")
