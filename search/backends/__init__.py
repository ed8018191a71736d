"""Search backends: the database (SQLite FTS5 or PostgreSQL full text) or Elasticsearch.

Every backend takes the same ``SearchRequest`` — which always carries the person's principal
tokens — and returns the same ``BackendResult``, so the service, the views and the behaviour
tests do not care which one runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.safestring import SafeString

from search.documents import ParsedQuery, SearchDoc

PER_PAGE = 20
FACETS = ("kind", "volet", "status", "space")


class SearchUnavailable(Exception):
    """The search engine cannot be reached; the rest of the site keeps working."""


@dataclass
class SearchRequest:
    query: ParsedQuery
    principals: frozenset[str]
    language: str = "fr"
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet name -> values
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self):
        if not self.principals:
            raise ValueError("A search always carries the person's principals.")
        self.filters = {k: list(v) for k, v in self.filters.items() if k in FACETS and v}

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    date: datetime | None
    title_html: SafeString
    excerpt_html: SafeString
    source: str = ""
    object_id: str = ""


@dataclass
class BackendResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]


@dataclass
class Suggestion:
    kind: str
    title: str
    url: str


class Backend:
    name = "base"

    def replace(self, source: str, object_id: str, docs: list[SearchDoc]) -> None:
        raise NotImplementedError

    def add_many(self, items: list[tuple[str, str, SearchDoc]]) -> None:
        raise NotImplementedError

    def replace_many(
        self, source: str, object_ids: list[str], items: list[tuple[str, str, SearchDoc]]
    ) -> None:
        """Replace the documents of each of ``object_ids`` by those of ``items`` (maybe none)."""
        for object_id in object_ids:
            self.replace(source, object_id, [doc for _s, o, doc in items if o == object_id])

    def clear(self) -> None:
        raise NotImplementedError

    def search(self, request: SearchRequest) -> BackendResult:
        raise NotImplementedError

    def object_ids(self, request: SearchRequest) -> list[str]:
        """The ``object_id`` of the first ``request.per_page`` matching documents, for a page
        that only needs which objects match (no counts, no excerpts)."""
        return [hit.object_id for hit in self.search(request).hits]

    def autocomplete(self, request: SearchRequest, exclude_kinds: list[str]) -> list[Suggestion]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError


_backend: Backend | None = None
_backend_key: str | None = None


def get_backend() -> Backend:
    """Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the database."""
    global _backend, _backend_key
    from django.conf import settings

    key = getattr(settings, "ELASTICSEARCH_URL", "") or ""
    if _backend is None or _backend_key != key:
        if key:
            from search.backends.elasticsearch import ElasticsearchBackend

            _backend = ElasticsearchBackend(key)
        else:
            from search.backends.database import DatabaseBackend

            _backend = DatabaseBackend()
        _backend_key = key
    return _backend
