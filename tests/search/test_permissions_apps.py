"""Leak tests for the other apps' content: private spaces, hidden messages, draft demands,
sessions of private or unpublished trainings — through results, facets and suggestions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from search.services import run_search, suggest
from tests.factories import OrganisationFactory, make_member
from tests.search.test_permissions import everything_seen

pytestmark = pytest.mark.django_db


@pytest.fixture
def spaces(db, other_organisation, django_capture_on_commit_callbacks):
    from forum.models import Message, Space, Thread, Visibility

    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, visibility in [
            ("open", Visibility.ALL_MEMBERS),
            ("listed", Visibility.LISTED),
            ("coordinators", Visibility.COORDINATORS),
        ]:
            space = Space.objects.create(name=f"Espace {key}", slug=f"espace-{key}", visibility=visibility)
            if key == "listed":
                space.organisations.set([other_organisation])
            thread = Thread.objects.create(space=space, title=f"Wombat {key}")
            Message.objects.create(thread=thread, body=f"Un message wombat dans {key}")
            made[key] = space
        closed = Space.objects.create(name="Espace fermé", slug="espace-ferme", is_active=False)
        thread = Thread.objects.create(space=closed, title="Wombat fermé")
        Message.objects.create(thread=thread, body="Un message wombat fermé")
        made["closed"] = closed
    return made


def space_labels(user, q="wombat"):
    return {f.label for f in run_search(user, {"q": q}).facets.get("space", [])}


def test_private_spaces_never_leak(search_backend, home, spaces, member, coordinator, other_organisation, project_lead, outsider):
    other = make_member(other_organisation)
    # Member of an ordinary organisation: the open space only.
    seen = everything_seen(member, "wombat")
    assert seen["titles"] == {"Wombat open"}
    assert seen["total"] == seen["kind_total"] == 2  # the thread and its message
    assert seen["suggestions"] == {"Wombat open"}
    assert space_labels(member) == {"Espace open"}
    # The listed organisation sees its space; coordinators see theirs.
    assert everything_seen(other, "wombat")["titles"] == {"Wombat open", "Wombat listed"}
    assert space_labels(other) == {"Espace open", "Espace listed"}
    assert everything_seen(coordinator, "wombat")["titles"] == {"Wombat open", "Wombat coordinators"}
    # Staff see every space, closed ones included (forum.read_space).
    assert everything_seen(project_lead, "wombat")["kind_total"] == 8
    # Outside the workspace: nothing at all.
    for person in (AnonymousUser(), outsider):
        assert everything_seen(person, "wombat") == {"titles": set(), "total": 0, "kind_total": 0, "suggestions": set()}
        assert space_labels(person) == set()


def test_naming_a_space_one_cannot_see_reveals_nothing(search_backend, home, spaces, member):
    listed = spaces["listed"]
    result = run_search(member, {"q": "wombat", "espace": str(listed.pk)})
    # Treated like an unknown value: ignored, with a notice that does not name the space.
    assert any("Filtre inconnu" in n for n in result.notices)
    assert not any("listed" in n for n in result.notices)
    assert {h.title for h in result.hits} == {"Wombat open"}
    assert [f.label for f in result.facets["space"]] == ["Espace open"]


def test_visibility_change_applies_at_once(search_backend, home, spaces, member):
    from forum.models import Visibility

    listed = spaces["listed"]
    listed.visibility = Visibility.ALL_MEMBERS
    listed.save()
    assert "Wombat listed" in everything_seen(member, "wombat")["titles"]


def test_hidden_and_deleted_messages_leave_at_once(search_backend, home, spaces, member, project_lead, django_capture_on_commit_callbacks):
    from forum.models import Message, Thread

    thread = Thread.objects.get(title="Wombat open")
    with django_capture_on_commit_callbacks(execute=True):
        secret = Message.objects.create(thread=thread, body="Propos ornithorynque à masquer")
        gone = Message.objects.create(thread=thread, body="Propos ornithorynque à supprimer")
    assert run_search(member, {"q": "ornithorynque"}).total == 2
    with django_capture_on_commit_callbacks(execute=True):
        secret.hidden_at = timezone.now()
        secret.save(update_fields=["hidden_at"])
        gone.deleted_at = timezone.now()
        gone.save(update_fields=["deleted_at"])
    for person in (member, project_lead):
        result = run_search(person, {"q": "ornithorynque"})
        assert result.total == 0
        assert all(not values or all(f.count == 0 for f in values) for values in result.facets.values())
    with django_capture_on_commit_callbacks(execute=True):
        secret.hidden_at = None
        secret.save(update_fields=["hidden_at"])
    assert run_search(member, {"q": "ornithorynque"}).total == 1


def test_messages_are_not_suggested_but_threads_are(search_backend, home, spaces, member):
    assert [s.kind for s in suggest(member, "wombat")] == ["thread"]


def _demand(state, organisation, title, live=True):
    from advocacy.models import Demand

    return Demand.objects.create(
        title=title, text="Texte de la revendication gnou.", state=state,
        proposing_organisation=organisation, live=live,
    )


def test_draft_demands_never_appear(search_backend, home, organisation, member, delegate, project_lead, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _demand("draft", organisation, "Gnou brouillon")
        _demand("consultation", organisation, "Gnou en consultation", live=False)  # unpublished
        _demand("consultation", organisation, "Gnou consulté")
        _demand("adopted", organisation, "Gnou adopté")
    for person in (member, delegate, project_lead):
        seen = everything_seen(person, "gnou")
        assert seen["titles"] == {"Gnou consulté", "Gnou adopté"}
        assert seen["kind_total"] == 2
        assert seen["suggestions"] == {"Gnou consulté", "Gnou adopté"}
    for person in (AnonymousUser(), outsider):
        seen = everything_seen(person, "gnou")
        assert seen["titles"] == {"Gnou adopté"} and seen["kind_total"] == 1


def test_demand_leaves_when_it_goes_back_to_draft(search_backend, home, organisation, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = _demand("consultation", organisation, "Gnou mobile")
    assert everything_seen(member, "gnou")["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        demand.state = "draft"
        demand.save()
    assert everything_seen(member, "gnou")["total"] == 0


def test_sessions_follow_their_training_page(search_backend, home, member, outsider, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    from trainings.models import TrainingIndexPage, TrainingPage, TrainingSession

    with django_capture_on_commit_callbacks(execute=True):
        index = home.add_child(instance=TrainingIndexPage(title="Formations test", slug="formations-test"))
        public = index.add_child(instance=TrainingPage(title="Atelier kangourou public", slug="k1", summary="s"))
        private = index.add_child(instance=TrainingPage(title="Atelier kangourou réservé", slug="k2", summary="s"))
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        draft = index.add_child(instance=TrainingPage(title="Atelier kangourou brouillon", slug="k3", summary="s", live=False))
        start = timezone.now() + timedelta(days=10)
        for training in (public, private, draft):
            TrainingSession.objects.create(
                training=training, starts_at=start, ends_at=start + timedelta(hours=2),
                registration_deadline=start - timedelta(days=1), place="Montréal",
            )
    def sessions(person):
        return {h.title.split(" — ")[0] for h in run_search(person, {"q": "kangourou", "type": "session"}).hits}

    assert sessions(AnonymousUser()) == {"Atelier kangourou public"}
    assert sessions(outsider) == {"Atelier kangourou public"}
    assert sessions(member) == {"Atelier kangourou public", "Atelier kangourou réservé"}
    with django_capture_on_commit_callbacks(execute=True):
        public.unpublish()
    assert sessions(AnonymousUser()) == set()
    assert run_search(member, {"q": "kangourou", "type": "session"}).total == 1


def test_other_organisations_draft_stays_hidden_from_org_search(search_backend, home, member, django_capture_on_commit_callbacks):
    other = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _demand("draft", other, "Gnou d'ailleurs")
    assert everything_seen(member, "gnou")["total"] == 0


def test_a_thread_reads_as_its_space_and_tags(search_backend, home, member, django_capture_on_commit_callbacks):
    """A thread's excerpt names its space, then its tags, as a reader would write them."""
    from forum.models import Space, Thread

    with django_capture_on_commit_callbacks(execute=True):
        space = Space.objects.create(name="Volet 4 — Accueil", slug="volet-4-accueil")
        thread = Thread.objects.create(space=space, title="Logement des familles ornithorynques")
        thread.tags.add("logement", "ornithorynque")
        thread.save()  # the tags change after the first save: index again, as editing does
    hits = [h for h in run_search(member, {"q": "ornithorynques"}).hits if h.kind == "thread"]
    assert len(hits) == 1
    text = str(hits[0].excerpt_html).replace("<mark>", "").replace("</mark>", "")
    assert text == "Volet 4 — Accueil · logement, ornithorynque"
