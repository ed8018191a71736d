"""Ranking by type: a training, a migration status or an implementation update whose title
matches ranks above the threads and messages that mention the words (docs/search.md: field
boosts, then type weights). Runs on the database of this run (SQLite, or PostgreSQL when
DATABASE_URL is set) and on Elasticsearch when ELASTICSEARCH_URL is set."""

import pytest

from search.backends.weights import KIND_WEIGHTS
from search.services import run_search

pytestmark = pytest.mark.django_db

QUERY = "demandeur d'asile"


@pytest.fixture
def asylum_content(home, organisation, django_capture_on_commit_callbacks):
    from forum.models import Message, Space, Thread, Visibility
    from tcri_site.reference.models import MigrationStatus
    from trainings.models import TrainingIndexPage, TrainingPage

    with django_capture_on_commit_callbacks(execute=True):
        space = Space.objects.create(name="Accueil", slug="accueil", visibility=Visibility.ALL_MEMBERS)
        for n in range(3):
            thread = Thread.objects.create(space=space, title=f"Question {n} : demandeur d'asile et logement")
            for k in range(4):
                Message.objects.create(
                    thread=thread,
                    body="Un demandeur d'asile, puis un autre demandeur d'asile : le demandeur d'asile "
                    f"attend sa décision (demandeur d'asile, message {k}).",
                )
        MigrationStatus.objects.create(
            name_fr="Demandeur d'asile", name_en="Asylum claimant", slug="demandeur-asile",
            description_fr="La personne attend la décision de la CISR.",
        )
        index = home.add_child(instance=TrainingIndexPage(title="Formations", slug="formations"))
        training = index.add_child(instance=TrainingPage(
            title="Accueillir un demandeur d'asile", slug="accueil-asile",
            summary="Premiers pas avec les personnes qui attendent une décision.",
        ))
        training.save_revision().publish()


def test_the_matching_training_and_status_rank_above_messages(search_backend, asylum_content, member):
    hits = run_search(member, {"q": QUERY}).hits
    kinds = [hit.kind for hit in hits]
    assert {"training", "status", "message", "thread"} <= set(kinds)
    assert kinds[0] == "training"
    first_talk = min(kinds.index("message"), kinds.index("thread"))
    assert kinds.index("status") < first_talk


def test_type_weights_favour_reference_content():
    assert KIND_WEIGHTS["training"] > KIND_WEIGHTS.get("thread", 1) >= KIND_WEIGHTS.get("message", 1)
    assert KIND_WEIGHTS["status"] > KIND_WEIGHTS.get("message", 1)
    assert KIND_WEIGHTS["update"] > KIND_WEIGHTS.get("message", 1)


def test_elasticsearch_multiplies_the_text_score_by_the_type_weight():
    from search.backends import SearchRequest
    from search.backends.elasticsearch import build_search
    from search.documents import parse_query

    request = SearchRequest(query=parse_query(QUERY), principals=frozenset({"public"}))
    score = build_search(request).to_dict()["query"]["function_score"]
    assert score["boost_mode"] == "multiply"
    assert {"filter": {"term": {"kind": "training"}}, "weight": KIND_WEIGHTS["training"]} in score["functions"]
    assert "multi_match" in str(score["query"])  # title^3 over body: the field boosts
