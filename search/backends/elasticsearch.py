"""Elasticsearch 8 backend, through elasticsearch-dsl.

Documents are analysed in French with ASCII folding (elision, lower case, asciifolding,
French stop words, light French stemmer), so "eleve" finds "élève" and "formation" finds
"formations"; titles also get an edge n-gram sub-field for suggestions. The permission
filter (``terms`` on ``acl``) is part of the ``bool.filter`` of *every* query the builders
below produce — results, every facet aggregation (they run inside the query's scope) and
suggestions. The builders are pure functions so unit tests can check their bodies without
a cluster.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch_dsl import (
    A,
    Date,
    Document,
    Index,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from search.backends import (
    FACETS,
    Backend,
    BackendResult,
    Hit,
    SearchRequest,
    SearchUnavailable,
    Suggestion,
)
from search.backends.weights import KIND_WEIGHTS
from search.documents import MARK_END, MARK_START, SearchDoc, highlight, markers_to_html

logger = logging.getLogger(__name__)

french_elision = token_filter(
    "tcri_french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("tcri_french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("tcri_french_stemmer", type="stemmer", language="light_french")
edge_ngrams = token_filter("tcri_edge_ngrams", type="edge_ngram", min_gram=2, max_gram=20)

french = analyzer(
    "tcri_french",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)
folded = analyzer("tcri_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
prefixes = analyzer(
    "tcri_prefixes", tokenizer="standard", filter=["lowercase", "asciifolding", edge_ngrams]
)

FACET_FIELDS = {"kind": "kind", "volet": "volet", "status": "status", "space": "space"}


class SearchDocumentIndex(Document):
    source = Keyword()
    object_id = Keyword()
    language = Keyword()
    kind = Keyword()
    title = Text(
        analyzer=french,
        fields={"prefix": Text(analyzer=prefixes, search_analyzer=folded), "folded": Text(analyzer=folded)},
    )
    body = Text(analyzer=french, fields={"folded": Text(analyzer=folded)})
    url = Keyword(index=False)
    date = Date()
    acl = Keyword()
    volet = Keyword()
    status = Keyword()
    space = Keyword()


def index_name() -> str:
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'tcri')}-documents"


def index_definition(name: str | None = None) -> Index:
    index = Index(name or index_name())
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(SearchDocumentIndex)
    return index


# --- query builders (pure) ---------------------------------------------------------------
def permission_filter(principals) -> Q:
    if not principals:
        raise ValueError("A query without principals would show everything.")
    return Q("terms", acl=sorted(principals))


def scope_filters(request: SearchRequest) -> list[Q]:
    """What every query is limited to: the person's grants, their language, the period."""
    filters = [permission_filter(request.principals), Q("terms", language=[request.language, ""])]
    dates = {}
    if request.date_from:
        dates["gte"] = request.date_from.isoformat()
    if request.date_to:
        dates["lte"] = request.date_to.isoformat()
    if dates:
        filters.append(Q("range", date={**dates, "time_zone": settings.TIME_ZONE}))
    return filters


def text_query(request: SearchRequest) -> Q:
    query = request.query
    must = []
    if query.terms:
        must.append(
            Q(
                "multi_match",
                query=" ".join(query.terms),
                fields=["title^3", "title.folded^2", "body", "body.folded"],
                type="cross_fields",
                operator="and",
            )
        )
    for phrase in query.phrases:
        must.append(Q("multi_match", query=" ".join(phrase), fields=["title^3", "body"], type="phrase"))
    return Q("bool", must=must or [Q("match_all")], filter=scope_filters(request))


def facet_filter(name: str, values) -> Q:
    return Q("terms", **{FACET_FIELDS[name]: list(values)})


def weighted_query(request: SearchRequest) -> Q:
    """The text query, its score multiplied by the result type's weight (``KIND_WEIGHTS``)."""
    query = text_query(request)
    if request.query.is_empty:
        return query
    functions = [
        {"filter": Q("term", kind=kind), "weight": weight} for kind, weight in KIND_WEIGHTS.items() if weight != 1.0
    ]
    return Q("function_score", query=query, functions=functions, score_mode="max", boost_mode="multiply")


def build_search(request: SearchRequest, index: str | None = None) -> Search:
    s = Search(index=index or index_name()).query(weighted_query(request))
    chosen = [facet_filter(n, v) for n, v in request.filters.items()]
    if chosen:
        # Facet choices narrow the hits but not the aggregations (disjunctive counts).
        s = s.post_filter(Q("bool", filter=chosen))
    for name in FACETS:
        others = [facet_filter(n, v) for n, v in request.filters.items() if n != name]
        agg = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        agg.bucket("values", "terms", field=FACET_FIELDS[name], size=50)
        s.aggs.bucket(f"facet_{name}", agg)
    s = s.highlight("title", number_of_fragments=0)
    s = s.highlight("body", fragment_size=240, number_of_fragments=1, no_match_size=240)
    s = s.highlight_options(pre_tags=[MARK_START], post_tags=[MARK_END], encoder="default")
    if request.sort == "date" or request.query.is_empty:
        s = s.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
    else:
        s = s.sort("_score", {"date": {"order": "desc", "missing": "_last"}})
    s = s.source(["source", "object_id", "kind", "title", "url", "date"])
    s = s.extra(track_total_hits=True)
    return s[request.offset : request.offset + request.per_page]


def build_autocomplete(request: SearchRequest, exclude_kinds=(), index: str | None = None) -> Search:
    query = Q(
        "bool",
        must=[Q("match", **{"title.prefix": {"query": request.query.text, "operator": "and"}})],
        filter=scope_filters(request),
        must_not=[Q("terms", kind=list(exclude_kinds))] if exclude_kinds else [],
    )
    s = Search(index=index or index_name()).query(query)
    s = s.source(["kind", "title", "url"])
    return s[: request.per_page]


def to_source(source: str, object_id: str, doc: SearchDoc) -> dict:
    return {
        "_id": f"{source}:{object_id}:{doc.language or '*'}",
        "_index": index_name(),
        "_source": {
            "source": source,
            "object_id": str(object_id),
            "language": doc.language,
            "kind": doc.kind,
            "title": doc.title,
            "body": doc.body,
            "url": doc.url,
            "date": doc.date.isoformat() if doc.date else None,
            "acl": sorted(doc.grants),
            **{name: sorted(doc.facets.get(name, ())) for name in ("volet", "status", "space")},
        },
    }


def _as_datetime(value):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else value


# --- the backend -----------------------------------------------------------------------
class ElasticsearchBackend(Backend):
    name = "elasticsearch"

    def __init__(self, url: str):
        from elasticsearch import Elasticsearch

        self.client = Elasticsearch(url, request_timeout=5, max_retries=0, retry_on_timeout=False)

    def _call(self, fn, *args, **kwargs):
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        try:
            return fn(*args, **kwargs)
        except (TransportError, ApiError) as exc:
            logger.warning("Elasticsearch unavailable: %s", exc)
            raise SearchUnavailable(str(exc)) from exc

    def _ensure_index(self) -> None:
        if not self._call(self.client.indices.exists, index=index_name()):
            self._call(index_definition().create, using=self.client)

    def replace(self, source: str, object_id: str, docs: list[SearchDoc]) -> None:
        self._ensure_index()
        self._call(
            self.client.delete_by_query,
            index=index_name(),
            query={"bool": {"filter": [{"term": {"source": source}}, {"term": {"object_id": str(object_id)}}]}},
            refresh=True,
            conflicts="proceed",
        )
        if docs:
            self.add_many([(source, object_id, doc) for doc in docs])

    def add_many(self, items) -> None:
        from elasticsearch.helpers import bulk

        self._ensure_index()
        self._call(bulk, self.client, [to_source(s, o, d) for s, o, d in items], refresh="wait_for")

    def clear(self) -> None:
        self._call(self.client.indices.delete, index=index_name(), ignore_unavailable=True)
        self._call(index_definition().create, using=self.client)

    def count(self) -> int:
        return self._call(self.client.count, index=index_name())["count"]

    def search(self, request: SearchRequest) -> BackendResult:
        response = self._call(build_search(request).using(self.client).execute)
        hits = []
        for hit in response.hits:
            fragments = getattr(hit.meta, "highlight", None)
            title = hit.title
            if fragments and "title" in fragments:
                title_html = markers_to_html(fragments["title"][0])
            else:
                title_html = mark_safe(escape(title))  # noqa: S308 - escaped
            if fragments and "body" in fragments:
                excerpt_html = markers_to_html(fragments["body"][0])
            else:
                excerpt_html = highlight("", request.query)
            hits.append(
                Hit(
                    kind=hit.kind,
                    title=title,
                    url=hit.url,
                    date=_as_datetime(getattr(hit, "date", None)),
                    title_html=title_html,
                    excerpt_html=excerpt_html,
                    source=hit.source,
                    object_id=hit.object_id,
                )
            )
        facets = {
            name: {
                str(bucket.key): bucket.doc_count
                for bucket in response.aggregations[f"facet_{name}"]["values"].buckets
            }
            for name in FACETS
        }
        return BackendResult(hits=hits, total=response.hits.total.value, facets=facets)

    def autocomplete(self, request: SearchRequest, exclude_kinds) -> list[Suggestion]:
        response = self._call(build_autocomplete(request, exclude_kinds).using(self.client).execute)
        return [Suggestion(kind=h.kind, title=h.title, url=h.url) for h in response.hits]
