"""The index follows committed changes only, and hidden things leave it at once."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from search.models import SearchDocument
from search.services import run_search


@pytest.mark.django_db(transaction=True)
def test_nothing_uncommitted_is_indexed(home, member):
    from search import backends
    from tcri_site.reference.models import MigrationStatus

    backends.get_backend().clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        MigrationStatus.objects.create(name_fr="Statut annulé wapiti", slug="wapiti")
        raise RuntimeError("rolled back")
    assert not SearchDocument.objects.filter(title__contains="wapiti").exists()
    with transaction.atomic():
        MigrationStatus.objects.create(name_fr="Statut validé wapiti", slug="wapiti2")
        # Inside the transaction nothing is indexed yet.
        assert not SearchDocument.objects.filter(title__contains="wapiti").exists()
    assert run_search(member, {"q": "wapiti"}).total == 1


@pytest.mark.django_db
def test_changes_deletions_and_unpublishing_apply_at_once(search_backend, make_page, member, django_capture_on_commit_callbacks):
    from tcri_site.reference.models import MigrationStatus

    with django_capture_on_commit_callbacks(execute=True):
        status = MigrationStatus.objects.create(name_fr="Statut ocelot", slug="ocelot")
    assert run_search(member, {"q": "ocelot"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        status.name_fr = "Statut lynx"
        status.save()
    assert run_search(member, {"q": "ocelot"}).total == 0
    assert run_search(member, {"q": "lynx"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        status.delete()
    assert run_search(member, {"q": "lynx"}).total == 0

    page = make_page("Page du caracal", "texte")
    assert run_search(member, {"q": "caracal"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert run_search(member, {"q": "caracal"}).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert run_search(member, {"q": "caracal"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert run_search(member, {"q": "caracal"}).total == 0


@pytest.mark.django_db
def test_moving_a_page_under_a_private_parent_hides_it(search_backend, make_page, member, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import AnonymousUser
    from wagtail.models import PageViewRestriction

    private = make_page("Section privée", "texte")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=private, restriction_type="login")
    page = make_page("Fiche du tatou", "texte")
    assert run_search(AnonymousUser(), {"q": "tatou"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.move(private, pos="last-child")
    assert run_search(AnonymousUser(), {"q": "tatou"}).total == 0
    assert run_search(member, {"q": "tatou"}).total == 1


@pytest.mark.django_db
def test_search_rebuild_shows_progress_and_restores_the_index(search_backend, make_page, member):
    make_page("Page du pangolin", "texte")
    search_backend.clear()
    assert run_search(member, {"q": "pangolin"}).total == 0
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    output = out.getvalue()
    assert "Pages" in output and "[" in output and "documents indexed" in output
    assert run_search(member, {"q": "pangolin"}).total == 1


@pytest.mark.django_db(transaction=True)
def test_a_bulk_change_is_indexed_by_the_worker_not_in_the_request(home, member, settings):
    """Past SEARCH_BULK_IN_TASK objects in one transaction, the request only enqueues
    indexing tasks (ids only); the worker indexes what is stored. A small change is still
    indexed at its commit."""
    from django_tasks_db.models import DBTaskResult

    from search import backends
    from tcri_site.reference.models import MigrationStatus
    from tests.mail.conftest import DATABASE_QUEUE, run_worker

    settings.TASKS = DATABASE_QUEUE
    settings.SEARCH_BULK_IN_TASK = 5
    backends.get_backend().clear()
    with transaction.atomic():
        for n in range(12):
            MigrationStatus.objects.create(name_fr=f"Statut groupé pangolin {n}", slug=f"pangolin-{n}")
    assert run_search(member, {"q": "pangolin"}).total == 0  # nothing indexed by the request
    tasks = DBTaskResult.objects.filter(task_path="search.tasks.index_objects_task")
    assert tasks.count() == 1 and len(tasks.get().args_kwargs["args"][1]) == 12
    run_worker()
    assert run_search(member, {"q": "pangolin"}).total == 12

    with transaction.atomic():
        MigrationStatus.objects.filter(slug="pangolin-0").first().delete()
        MigrationStatus.objects.create(name_fr="Statut seul tatou", slug="tatou")
    assert tasks.count() == 1  # a small change: indexed at its commit, no task
    assert run_search(member, {"q": "tatou"}).total == 1
    assert run_search(member, {"q": "pangolin"}).total == 11
