"""PostgreSQL's lean match table and access list stay in step with the indexed documents.

Searches on PostgreSQL match, count and rank on ``search_searchmatch`` (filled by triggers,
migrations 0006 and 0007) and keep the rows of the person's visible buckets
(``search_searchbucket``): a row left behind or missing, or in the wrong bucket, would show
a deleted item, hide a new one or count it under the wrong facet. The facet arithmetic the
backend does in Python runs on every database.
"""

import os

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.database import _facet_values, _index_driven, _passes
from search.documents import SearchDoc
from search.models import SearchBucket, SearchDocument, SearchMatch
from search.services import run_search, suggest

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the lean match table is PostgreSQL's (DATABASE_URL)",
)


def test_facet_groups_are_counted_disjunctively():
    groups = {
        "kind:page volet:3": 2,
        "kind:status status:da volet:3 volet:4": 1,
        "kind:message space:7": 5,
    }
    values = {key: _facet_values(key) for key in groups}
    assert values["kind:status status:da volet:3 volet:4"] == {
        "kind": {"status"},
        "status": {"da"},
        "volet": {"3", "4"},
    }
    filters = {"kind": ["page", "status"], "volet": ["4"]}
    passing = [key for key in groups if _passes(values[key], filters)]
    assert passing == ["kind:status status:da volet:3 volet:4"]
    # The kind facet ignores its own choice but not the volet one, and the other way round.
    assert [key for key in groups if _passes(values[key], filters, skip="kind")] == passing
    assert [key for key in groups if _passes(values[key], filters, skip="volet")] == [
        "kind:page volet:3",
        "kind:status status:da volet:3 volet:4",
    ]
    assert all(_passes(v, {}) for v in values.values())


@postgres_only
@pytest.mark.django_db
def test_match_rows_follow_documents(search_backend, make_page, member):
    page = make_page("Hébergement temporaire", "Un lit pour la nuit.")
    doc = SearchDocument.objects.get(source="wagtailcore.page", object_id=str(page.pk))
    match = SearchMatch.objects.get(pk=doc.pk)
    bucket = SearchBucket.objects.get(pk=match.bucket)
    assert (bucket.language, bucket.acl, match.date) == (doc.language, doc.acl, doc.date)
    assert bucket.facets.split()[0] == "kind:page"

    # A change of access moves the row to another bucket (created on the way).
    SearchDocument.objects.filter(pk=doc.pk).update(acl="org:999")
    moved = SearchBucket.objects.get(pk=SearchMatch.objects.get(pk=doc.pk).bucket)
    assert moved.acl == "org:999" and moved.facets == bucket.facets
    assert run_search(member, {"q": "lit"}).total == 0  # nobody in org 999
    SearchDocument.objects.filter(pk=doc.pk).update(acl=doc.acl)

    # A change of the document's text reaches the match table's vector.
    SearchDocument.objects.filter(pk=doc.pk).update(body="Un refuge pour la nuit.")
    assert [hit.title for hit in run_search(member, {"q": "refuge"}).hits] == ["Hébergement temporaire"]
    assert run_search(member, {"q": "lit"}).total == 0

    SearchDocument.objects.filter(pk=doc.pk).delete()
    assert not SearchMatch.objects.filter(pk=doc.pk).exists()
    assert run_search(member, {"q": "refuge"}).total == 0


@postgres_only
@pytest.mark.django_db
def test_search_leaves_the_planner_as_it_found_it(search_backend, make_page, member):
    make_page("Parrainage collectif", "Un groupe de deux à cinq personnes.")

    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            return cursor.fetchone()[0]

    with transaction.atomic():  # as in a request that is already in a transaction
        with _index_driven():
            assert seqscan() == "off"
        assert run_search(member, {"q": "parrainage"}).total == 1
        assert suggest(member, "parr")
        assert seqscan() == "on"


@postgres_only
@pytest.mark.django_db
def test_suggestions_use_the_title_index(search_backend, make_page, member):
    """The title index leaves messages out; with many messages, suggestions must use it."""
    make_page("Parrainage collectif", "Un groupe de deux à cinq personnes.")
    search_backend.add_many(
        [
            ("forum.message", str(n), SearchDoc(kind="message", title="Parrainage : questions",
                                                url=f"/m/{n}", grants={"workspace"}))
            for n in range(2000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    with CaptureQueriesContext(connection) as queries:
        assert [s.title for s in suggest(member, "parr")] == ["Parrainage collectif"]
    sql = next(q["sql"] for q in queries.captured_queries if "title_vector" in q["sql"])
    with _index_driven(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_title_gin" in plan
