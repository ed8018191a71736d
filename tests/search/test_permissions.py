"""Nothing leaks: results, facet counts and suggestions only show what a person may see.

Each case builds one visible and one hidden document that both match, then checks every
door of the search API for every kind of person.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from search.services import run_search, suggest

pytestmark = pytest.mark.django_db


def everything_seen(user, q):
    """Titles from results, plus facet totals and suggestions, for one query."""
    result = run_search(user, {"q": q})
    return {
        "titles": {hit.title for hit in result.hits},
        "total": result.total,
        "kind_total": sum(f.count for f in result.facets.get("kind", [])),
        "suggestions": {s.title for s in suggest(user, q)},
    }


def restrict(page, kind, groups=(), capture=None):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret" if kind == "password" else "")
    if groups:
        restriction.groups.set(groups)
    return restriction


def test_private_pages_are_hidden_from_those_outside(search_backend, make_page, member, outsider, django_capture_on_commit_callbacks):
    make_page("Zébrure publique", "texte")
    logged = make_page("Zébrure réservée connectés", "texte")
    grouped = make_page("Zébrure réservée groupe", "texte")
    child = make_page("Zébrure enfant du groupe", "texte", parent=grouped)
    password = make_page("Zébrure par mot de passe", "texte")
    group = Group.objects.create(name="Comité")
    with django_capture_on_commit_callbacks(execute=True):
        restrict(logged, "login")
        restrict(grouped, "groups", [group])
        restrict(password, "password")
    anonymous = everything_seen(AnonymousUser(), "zebrure")
    assert anonymous == {
        "titles": {"Zébrure publique"},
        "total": 1,
        "kind_total": 1,
        "suggestions": {"Zébrure publique"},
    }
    # "Signed-in only" pages are for people of the workspace, not any account.
    assert everything_seen(outsider, "zebrure")["titles"] == {"Zébrure publique"}
    seen = everything_seen(member, "zebrure")
    assert seen["titles"] == {"Zébrure publique", "Zébrure réservée connectés"}
    assert seen["total"] == seen["kind_total"] == 2
    assert seen["suggestions"] == seen["titles"]
    member.groups.add(group)
    in_group = everything_seen(type(member).objects.get(pk=member.pk), "zebrure")
    assert in_group["titles"] == {
        "Zébrure publique",
        "Zébrure réservée connectés",
        "Zébrure réservée groupe",
        child.title,
    }
    assert in_group["kind_total"] == 4
    # Password-protected pages are never searchable, whoever asks.
    assert "Zébrure par mot de passe" not in everything_seen(outsider, "zebrure")["suggestions"]


def test_unpublished_drafts_never_appear(search_backend, make_page, member, project_lead, django_capture_on_commit_callbacks):
    make_page("Brouillon zinzolin", "jamais publié", publish=False)
    live = make_page("Version publiée", "texte zinzolin")
    with django_capture_on_commit_callbacks(execute=True):
        live.title = "Titre en brouillon zinzolin caché"
        live.save_revision()  # a draft revision: the live page keeps its old title
    for person in (member, project_lead):
        seen = everything_seen(person, "zinzolin")
        assert seen["titles"] == {"Version publiée"}
        assert seen["kind_total"] == 1
        assert seen["suggestions"] == set()  # no live title starts with "zinzolin"
    with django_capture_on_commit_callbacks(execute=True):
        live.unpublish()
    assert everything_seen(project_lead, "zinzolin")["total"] == 0


def test_private_document_collections(search_backend, home, member, outsider, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    root = Collection.get_first_root_node()
    private = root.add_child(name="Privé")
    group = Group.objects.create(name="Lecteurs")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = CollectionViewRestriction.objects.create(collection=private, restriction_type="groups")
        restriction.groups.set([group])
        Document.objects.create(title="Quenouille publique", file=ContentFile(b"x", name="a.txt"), collection=root)
        Document.objects.create(title="Quenouille confidentielle", file=ContentFile(b"x", name="b.txt"), collection=private)
    for person in (AnonymousUser(), member, outsider):
        seen = everything_seen(person, "quenouille")
        assert seen["titles"] == {"Quenouille publique"}
        assert seen["kind_total"] == 1
        assert seen["suggestions"] == {"Quenouille publique"}


def test_migration_status_glossary_is_public(search_backend, member, outsider, django_capture_on_commit_callbacks):
    from tcri_site.reference.models import MigrationStatus

    with django_capture_on_commit_callbacks(execute=True):
        MigrationStatus.objects.create(name_fr="Statut xylophone", slug="xylo")
    for person in (AnonymousUser(), outsider, member):
        assert everything_seen(person, "xylophone")["total"] == 1


def test_facet_values_only_from_visible_documents(search_backend, make_page, member, django_capture_on_commit_callbacks):
    """A facet value coming only from a hidden document is not even counted."""
    private = make_page("Page yéti réservée", "texte")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=private, restriction_type="login")
    result = run_search(AnonymousUser(), {"q": "yeti", "type": "page"})
    assert result.total == 0
    assert [(f.value, f.count) for f in result.facets["kind"]] == [("page", 0)]
    assert run_search(member, {"q": "yeti", "type": "page"}).total == 1


def test_matching_object_ids_shows_only_what_the_results_show(search_backend, make_page, member, outsider, django_capture_on_commit_callbacks):
    """The trainings' text search asks only which objects match: the same permission
    filter as the results page, without its counts."""
    from search.services import matching_object_ids

    public = make_page("Zébrure publique", "texte")
    logged = make_page("Zébrure réservée connectés", "texte")
    make_page("Autre chose", "texte")
    with django_capture_on_commit_callbacks(execute=True):
        restrict(logged, "login")
    for user, expected in ((AnonymousUser(), {public}), (outsider, {public}), (member, {public, logged})):
        ids = matching_object_ids(user, {"q": "zebrure"})
        assert set(ids) == {str(page.pk) for page in expected}
        assert set(ids) == {hit.object_id for hit in run_search(user, {"q": "zebrure"}).hits}
    assert matching_object_ids(member, {"q": "zebrure"}, limit=1) and len(matching_object_ids(member, {"q": "zebrure"}, limit=1)) == 1
    assert matching_object_ids(member, {"q": ""}) == []
