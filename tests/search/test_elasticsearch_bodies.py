"""The Elasticsearch mapping and query bodies, checked without a cluster.

No Elasticsearch server can run on CI machines: these unit tests assert the bodies that
elasticsearch-dsl would send (``.to_dict()``). The behaviour suite runs against a real
cluster only when ELASTICSEARCH_URL is set (see conftest.BACKENDS).
"""

import json
from datetime import date

import pytest

from search.backends import SearchRequest
from search.backends.elasticsearch import (
    build_autocomplete,
    build_search,
    index_definition,
    to_source,
)
from search.documents import MARK_END, MARK_START, SearchDoc, parse_query

PRINCIPALS = frozenset({"public", "auth", "workspace", "org:3", "space:7"})


def request(q="eleve formations", **kwargs):
    return SearchRequest(query=parse_query(q), principals=PRINCIPALS, language="fr", **kwargs)


def find_all(body, key):
    """Every value stored under ``key`` anywhere in a nested body."""
    found = []
    if isinstance(body, dict):
        for k, v in body.items():
            if k == key:
                found.append(v)
            found += find_all(v, key)
    elif isinstance(body, list):
        for item in body:
            found += find_all(item, key)
    return found


def acl_filter_of(query_body):
    query_body = query_body.get("function_score", {}).get("query", query_body)  # type weights
    filters = query_body["bool"]["filter"]
    return [f for f in filters if "terms" in f and "acl" in f["terms"]]


def test_mapping_uses_a_french_folding_analyser():
    body = index_definition("tcri-test-documents").to_dict()
    analysis = body["settings"]["analysis"]
    french = analysis["analyzer"]["tcri_french"]
    assert french["tokenizer"] == "standard"
    assert "asciifolding" in french["filter"] and "lowercase" in french["filter"]
    assert analysis["filter"]["tcri_french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert analysis["filter"]["tcri_french_elision"]["type"] == "elision"
    props = body["mappings"]["properties"]
    assert props["title"]["analyzer"] == "tcri_french"
    assert props["body"]["analyzer"] == "tcri_french"
    assert props["title"]["fields"]["prefix"]["analyzer"] == "tcri_prefixes"
    for keyword in ("acl", "kind", "language", "volet", "status", "space", "source", "object_id"):
        assert props[keyword]["type"] == "keyword", keyword
    assert props["date"]["type"] == "date"


def test_search_body_always_filters_by_permissions():
    body = build_search(request()).to_dict()
    (acl,) = acl_filter_of(body["query"])
    assert sorted(acl["terms"]["acl"]) == sorted(PRINCIPALS)
    query = body["query"]["function_score"]["query"]  # the type weights wrap the text query
    assert {"terms": {"language": ["fr", ""]}} in query["bool"]["filter"]
    match = query["bool"]["must"][0]["multi_match"]
    assert match["query"] == "eleve formations" and match["operator"] == "and"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"filters": {"kind": ["page"], "volet": ["4"]}},
        {"filters": {"status": ["rpce"], "space": ["7"]}, "sort": "date"},
        {"date_from": date(2026, 1, 1), "date_to": date(2026, 2, 1), "page": 3},
    ],
)
@pytest.mark.parametrize("q", ["eleve", "", '"demandeur d\'asile" permis', "*:(", "x" * 10_000])
def test_permission_filter_is_in_every_query_and_facets_run_inside_it(q, kwargs):
    body = build_search(request(q, **kwargs)).to_dict()
    # Aggregations and post_filter only ever narrow the query's scope, which holds the ACL.
    assert len(acl_filter_of(body["query"])) == 1
    assert set(body["aggs"]) == {"facet_kind", "facet_volet", "facet_status", "facet_space"}
    # Nothing in the body lets a user's text be read as query syntax.
    text = json.dumps(body)
    assert "query_string" not in text
    for chosen in kwargs.get("filters", {}).values():
        assert chosen[0] in json.dumps(body["post_filter"])


def test_facet_aggregations_are_disjunctive():
    body = build_search(request(filters={"kind": ["page"], "volet": ["4"]})).to_dict()
    kind_agg = body["aggs"]["facet_kind"]
    assert {"terms": {"volet": ["4"]}} in kind_agg["filter"]["bool"]["filter"]
    assert "kind" not in json.dumps(kind_agg["filter"])
    assert kind_agg["aggs"]["values"]["terms"]["field"] == "kind"
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"kind": ["page"]}},
        {"terms": {"volet": ["4"]}},
    ]


def test_highlighting_uses_private_markers_and_dates_filter():
    body = build_search(request(date_from=date(2026, 1, 1))).to_dict()
    assert body["highlight"]["pre_tags"] == [MARK_START]
    assert body["highlight"]["post_tags"] == [MARK_END]
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    ranges = find_all(body["query"], "range")
    assert ranges and ranges[0]["date"]["gte"] == "2026-01-01"
    assert body["track_total_hits"] is True
    assert body["from"] == 0 and body["size"] == 20


def test_phrases_become_phrase_queries():
    body = build_search(request('"permis de travail"')).to_dict()
    phrase = body["query"]["function_score"]["query"]["bool"]["must"][0]["multi_match"]
    assert phrase["type"] == "phrase" and phrase["query"] == "permis de travail"


def test_autocomplete_body_is_permission_filtered():
    body = build_autocomplete(request("regul"), exclude_kinds=["message"]).to_dict()
    assert len(acl_filter_of(body["query"])) == 1
    assert body["query"]["bool"]["must"][0]["match"]["title.prefix"]["query"] == "regul"
    assert body["query"]["bool"]["must_not"] == [{"terms": {"kind": ["message"]}}]
    assert body["size"] == 20


def test_request_without_principals_is_refused():
    with pytest.raises(ValueError):
        SearchRequest(query=parse_query("x"), principals=frozenset())


def test_indexed_source_carries_acl_and_facets():
    doc = SearchDoc(kind="message", title="Titre", url="/x/", grants={"space:7"}, facets={"space": {7}})
    action = to_source("forum.message", "12", doc)
    assert action["_source"]["acl"] == ["space:7"]
    assert action["_source"]["space"] == ["7"]
    assert action["_id"] == "forum.message:12:*"
