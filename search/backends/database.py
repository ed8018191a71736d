"""The database backend: FTS5 on SQLite, ``tsvector`` with ``tcri_french`` on PostgreSQL.

The permission filter is part of every query — results, each facet count, suggestions. On
PostgreSQL a person's visible buckets (language, access and facets) are read from
``search_searchbucket`` (a few hundred rows, ``_visible_buckets``); searches match, count
and rank on the lean ``search_searchmatch`` table, keeping the rows of those buckets, and
suggestions match titles on the document table, keeping the visible access strings. On
SQLite the filter is an ``EXISTS`` on the document's grants (``_visible``) and a few
ordinary queries do the rest.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.backends import FACETS, Backend, BackendResult, Hit, SearchRequest, Suggestion
from search.backends.weights import kind_weight, kind_weight_sql
from search.documents import ParsedQuery, SearchDoc, highlight
from search.models import DocumentFacet, DocumentGrant, SearchBucket, SearchDocument, SearchMatch

TABLE = SearchDocument._meta.db_table
MATCH = SearchMatch._meta.db_table


def _fts5_query(query: ParsedQuery, column: str | None = None) -> str:
    """An FTS5 expression made only of quoted words: nothing typed can be an operator."""
    prefix = f"{{{column}}} : " if column else ""
    parts = [f'{prefix}"{word}"*' for word in query.terms]
    parts += [prefix + '"' + " ".join(phrase) + '"' for phrase in query.phrases]
    return " AND ".join(parts)


def _tsquery(query: ParsedQuery, prefix: bool = False) -> str:
    """A ``to_tsquery`` string; words are letters and digits only, so it always parses."""
    suffix = ":*" if prefix else ""
    parts = [word + suffix for word in query.terms]
    parts += ["(" + " <-> ".join(phrase) + ")" for phrase in query.phrases]
    return " & ".join(parts)


@lru_cache(maxsize=4096)
def _facet_values(key: str) -> dict[str, frozenset[str]]:
    """``"kind:message space:3 volet:1 volet:4"`` → ``{"kind": {"message"}, "space": {"3"}, …}``.

    Cached: every search reads the facets of each of the person's visible buckets (a few
    hundred strings, the same from one search to the next). Do not change the result.
    """
    values: dict[str, set[str]] = {}
    for token in key.split():
        name, _sep, value = token.partition(":")
        values.setdefault(name, set()).add(value)
    return {name: frozenset(found) for name, found in values.items()}


def _passes(
    values: dict[str, frozenset[str]], filters: dict[str, list[str]], skip: str | None = None
) -> bool:
    """Whether a document with these facet values passes every chosen facet except ``skip``."""
    return all(
        name == skip or values.get(name, set()).intersection(chosen)
        for name, chosen in filters.items()
    )


@contextmanager
def _index_driven(enabled: bool = True):
    """Within the block, PostgreSQL finds text matches through the GIN index, never a scan.

    The planner prices the text match like any cheap operator, so for a broad query it
    estimates a sequential scan of the table as cheaper; measured, the index is several
    times faster (``tests/bench/search.py``). ``SET LOCAL`` lasts until the transaction
    ends, so the previous value is put back when the block ends (an error rolls it back).
    """
    if not enabled:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


class DatabaseBackend(Backend):
    name = "database"

    # --- writing --------------------------------------------------------------------
    def replace(self, source: str, object_id: str, docs: list[SearchDoc]) -> None:
        self.replace_many(source, [str(object_id)], [(source, str(object_id), doc) for doc in docs])

    def replace_many(
        self, source: str, object_ids: list[str], items: list[tuple[str, str, SearchDoc]]
    ) -> None:
        with transaction.atomic():
            # Usually nothing is there yet (new objects): one plain read, instead of the
            # ORM's collection of documents, facets and grants for a cascade of nothing.
            stale = list(
                SearchDocument.objects.filter(
                    source=source, object_id__in=[str(o) for o in object_ids]
                ).values_list("pk", flat=True)
            )
            if stale:
                SearchDocument.objects.filter(pk__in=stale).delete()
            self._insert(items)

    def add_many(self, items: list[tuple[str, str, SearchDoc]]) -> None:
        """Insert documents into a cleared index (``search_rebuild``)."""
        with transaction.atomic():
            self._insert(items)

    def _insert(self, items: list[tuple[str, str, SearchDoc]]) -> None:
        if not items:
            return
        rows = SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    source=source,
                    object_id=str(object_id),
                    language=doc.language,
                    kind=doc.kind,
                    title=doc.title,
                    body=doc.body,
                    url=doc.url[:500],
                    date=doc.date,
                    acl=" ".join(sorted(doc.grants)),
                    facet_keys=" ".join(
                        sorted(
                            f"{name}:{value}"
                            for name, values in doc.facets.items()
                            for value in values
                        )
                    ),
                )
                for source, object_id, doc in items
            ]
        )
        facets, grants = [], []
        for row, (_s, _o, doc) in zip(rows, items, strict=True):
            grants += [DocumentGrant(document_id=row.pk, principal=p) for p in sorted(doc.grants)]
            for name, values in doc.facets.items():
                facets += [
                    DocumentFacet(document_id=row.pk, name=name, value=v) for v in sorted(values)
                ]
        DocumentGrant.objects.bulk_create(grants, batch_size=2000)
        DocumentFacet.objects.bulk_create(facets, batch_size=2000)

    def clear(self) -> None:
        with transaction.atomic():
            DocumentFacet.objects.all().delete()
            DocumentGrant.objects.all().delete()
            SearchDocument.objects.all().delete()

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- reading --------------------------------------------------------------------
    def _visible(self, request: SearchRequest):
        """Documents this person may see, in their language: the root of every query."""
        languages = [request.language, ""]
        if connection.vendor == "postgresql":
            return SearchDocument.objects.filter(
                language__in=languages, acl__in=self._visible_acls(request)
            )
        return SearchDocument.objects.filter(
            Exists(
                DocumentGrant.objects.filter(
                    document=OuterRef("pk"), principal__in=sorted(request.principals)
                )
            ),
            language__in=languages,
        )

    @staticmethod
    def _buckets_holding(request: SearchRequest):
        """PostgreSQL: the buckets whose access holds one of this person's tokens."""
        return SearchBucket.objects.extra(
            where=["string_to_array(acl, ' ') && %s::text[]"], params=[sorted(request.principals)]
        )

    def _visible_buckets(self, request: SearchRequest) -> dict[int, str]:
        """{bucket: facets} of the visible buckets in this person's language (or all)."""
        return dict(
            self._buckets_holding(request)
            .filter(language__in=[request.language, ""])
            .values_list("pk", "facets")
        )

    def _visible_acls(self, request: SearchRequest) -> list[str]:
        """The access strings holding one of this person's tokens (a few dozen)."""
        return list(self._buckets_holding(request).values_list("acl", flat=True).distinct())

    def _match(self, qs, query: ParsedQuery, column: str | None = None):
        if query.is_empty:
            return qs
        if connection.vendor == "postgresql":
            # Only suggestions match on the document table (titles, by prefix); searches
            # match on the lean table (_search_postgres).
            return qs.extra(
                where=[f'"{TABLE}"."title_vector" @@ to_tsquery(\'public.tcri_simple\', %s)'],
                params=[_tsquery(query, prefix=True)],
            )
        if connection.vendor == "sqlite":
            return qs.extra(
                where=[
                    f'"{TABLE}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)'
                ],
                params=[_fts5_query(query, column)],
            )
        # Any other database: a plain, accent-sensitive containment test.
        condition = Q()
        for word in query.all_words:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        return qs.filter(condition)

    def _rank(self, qs, query: ParsedQuery):
        if query.is_empty:
            return qs.order_by("-date", "-pk")
        if connection.vendor == "sqlite":
            # bm25 is negative (lower is better): a heavier type makes it lower still.
            weights, weight_params = kind_weight_sql(f'"{TABLE}"."kind"')
            rank = RawSQL(
                "(SELECT bm25(search_fts, 5.0, 1.0) FROM search_fts "
                f'WHERE search_fts MATCH %s AND rowid = "{TABLE}"."id") * {weights}',
                [_fts5_query(query), *weight_params],
            )
            return qs.annotate(rank=rank).order_by("rank", "-date", "-pk")
        return qs.order_by("-date", "-pk")

    def _filtered(self, qs, request: SearchRequest, skip: str | None = None):
        for name, values in request.filters.items():
            if name == skip:
                continue
            if name == "kind":
                qs = qs.filter(kind__in=values)
            else:
                qs = qs.filter(
                    Exists(
                        DocumentFacet.objects.filter(
                            document=OuterRef("pk"), name=name, value__in=values
                        )
                    )
                )
        return qs

    @staticmethod
    def _period(request: SearchRequest) -> tuple[datetime | None, datetime | None]:
        """The chosen dates as [start, end) instants in the site's time zone."""
        tz = timezone.get_current_timezone()
        start = (
            datetime.combine(request.date_from, time.min, tzinfo=tz) if request.date_from else None
        )
        end = (
            datetime.combine(request.date_to + timedelta(days=1), time.min, tzinfo=tz)
            if request.date_to
            else None
        )
        return start, end

    def _in_period(self, qs, request: SearchRequest):
        start, end = self._period(request)
        return qs.filter(**{k: v for k, v in (("date__gte", start), ("date__lt", end)) if v})

    def search(self, request: SearchRequest) -> BackendResult:
        if connection.vendor == "postgresql":
            return self._search_postgres(request)
        base = self._in_period(self._match(self._visible(request), request.query), request)
        results = self._filtered(base, request)
        # Disjunctive facet counts: a facet's own selection does not narrow its counts. A
        # facet nobody filtered on is counted over the results themselves, so in the usual
        # case the total, every facet and the page cost three full-text evaluations.
        kind_scope = self._filtered(base, request, skip="kind")
        facets: dict[str, dict[str, int]] = {
            "kind": dict(kind_scope.order_by().values_list("kind").annotate(n=Count("pk")))
        }
        total = results.count() if "kind" in request.filters else sum(facets["kind"].values())
        shared = [name for name in FACETS if name != "kind" and name not in request.filters]
        for name in shared:
            facets[name] = {}
        if shared:
            # A join, not a subquery: the full-text condition names the outer table.
            rows = (
                results.filter(facets__name__in=shared)
                .order_by()
                .values_list("facets__name", "facets__value")
                .annotate(n=Count("pk"))
            )
            for name, value, n in rows:
                facets[name][value] = n
        for name in FACETS:
            if name == "kind" or name in shared:
                continue
            scope = self._filtered(base, request, skip=name)
            facets[name] = dict(
                scope.filter(facets__name=name)
                .order_by()
                .values_list("facets__value")
                .annotate(n=Count("pk"))
            )
        return BackendResult(hits=self._page(request, results, total), total=total, facets=facets)

    def object_ids(self, request: SearchRequest) -> list[str]:
        if connection.vendor == "postgresql":  # matched on the lean table, in one scan
            return super().object_ids(request)
        results = self._filtered(self._in_period(self._match(self._visible(request), request.query), request), request)
        return list(results.order_by().values_list("object_id", flat=True)[: request.per_page])

    def _search_postgres(self, request: SearchRequest) -> BackendResult:
        """Counts and page from the lean table (``search_searchmatch``), in one scan.

        The person's visible buckets come first, with their facets: the rows kept are those
        of these buckets (and of the words and period). With words, the matches are read
        once into a materialised set: grouped by bucket, they give a few dozen counts, from
        which the total and every facet count are derived here, each facet disjunctive (its
        own selection does not narrow its counts); ordered, those of the buckets passing the
        facet choices give the page of ids. Only the page's documents' wide rows are read
        afterwards. Without words (browsing), the counts and the page are two statements, as
        the set would be the whole index.
        """
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        buckets = self._visible_buckets(request)
        if not buckets:
            return BackendResult(hits=[], total=0, facets=facets)
        values = {bucket: _facet_values(key) for bucket, key in buckets.items()}
        passing = {bucket for bucket in buckets if _passes(values[bucket], request.filters)}
        where, params = ["bucket = ANY(%s::int[])"], [list(buckets)]
        words = not request.query.is_empty
        if words:
            where.append("search_vector @@ to_tsquery('public.tcri_french', %s)")
            params.append(_tsquery(request.query))
        start, end = self._period(request)
        if start:
            where.append("date >= %s")
            params.append(start)
        if end:
            where.append("date < %s")
            params.append(end)
        rank, rank_params = "0", []
        if words and request.sort != "date":
            # The type of a row is in its bucket's facets: weigh the buckets of each type.
            by_weight: dict[float, list[int]] = {}
            for bucket in buckets:
                weight = kind_weight(values[bucket].get("kind", ()))
                if weight != 1.0:
                    by_weight.setdefault(weight, []).append(bucket)
            cases = " ".join(f"WHEN bucket = ANY(%s::int[]) THEN {float(w)}" for w in by_weight)
            weight_sql = f"(CASE {cases} ELSE 1.0 END)" if cases else "1.0"
            rank = f"ts_rank(search_vector, to_tsquery('public.tcri_french', %s)) * {weight_sql}"
            rank_params = [_tsquery(request.query), *by_weight.values()]
        matches = f"SELECT id, bucket, date, {rank} AS r FROM {MATCH} WHERE {' AND '.join(where)}"
        # Facet choices keep the rows of the passing buckets (a test on a few hundred numbers).
        chosen, chosen_params = "", []
        if request.filters:
            chosen, chosen_params = "WHERE bucket = ANY(%s::int[])", [sorted(passing)]
        order = "ORDER BY r DESC, date DESC, id DESC LIMIT %s OFFSET %s"
        page_params = [*chosen_params, request.per_page, request.offset]

        ids: list[int] = []
        total = 0
        with _index_driven(words), connection.cursor() as cursor:
            if words:
                cursor.execute(
                    f"WITH m AS MATERIALIZED ({matches}), "
                    "g AS (SELECT bucket, COUNT(*) AS n FROM m GROUP BY bucket) "
                    f"SELECT bucket, n FROM g UNION ALL (SELECT NULL, id FROM m {chosen} {order})",
                    [*rank_params, *params, *page_params],
                )
                rows = cursor.fetchall()
            else:
                cursor.execute(
                    f"SELECT bucket, COUNT(*) FROM {MATCH} WHERE {' AND '.join(where)} GROUP BY bucket",
                    params,
                )
                rows = cursor.fetchall()
                cursor.execute(
                    f"SELECT NULL, id FROM ({matches}) m {chosen} {order}",
                    [*rank_params, *params, *page_params],
                )
                rows += cursor.fetchall()
            for bucket, n in rows:
                if bucket is None:  # a page row: (NULL, id)
                    ids.append(n)
                    continue
                if bucket in passing:
                    total += n
                for name in FACETS:
                    if _passes(values[bucket], request.filters, skip=name):
                        for value in values[bucket].get(name, ()):
                            facets[name][value] = facets[name].get(value, 0) + n
        rows = SearchDocument.objects.only(
            "source", "object_id", "kind", "title", "body", "url", "date"
        ).in_bulk(ids)
        hits = [self._hit(rows[pk], request.query) for pk in ids if pk in rows]
        return BackendResult(hits=hits, total=total, facets=facets)

    def _page(self, request, results, total) -> list[Hit]:
        if not total:
            return []
        ordered = (
            results.order_by("-date", "-pk")
            if request.sort == "date"
            else self._rank(results, request.query)
        )
        rows = ordered.only("source", "object_id", "kind", "title", "body", "url", "date")[
            request.offset : request.offset + request.per_page
        ]
        return [self._hit(row, request.query) for row in rows]

    @staticmethod
    def _hit(row: SearchDocument, query: ParsedQuery) -> Hit:
        if query.is_empty:
            title_html = mark_safe(escape(row.title))  # noqa: S308 - escaped
            excerpt_html = highlight(row.body, query)
        else:
            title_html = highlight(row.title, query, whole=True)
            excerpt_html = highlight(row.body, query)
        return Hit(
            kind=row.kind,
            title=row.title,
            url=row.url,
            date=row.date,
            title_html=title_html,
            excerpt_html=excerpt_html,
            source=row.source,
            object_id=row.object_id,
        )

    def autocomplete(self, request: SearchRequest, exclude_kinds: list[str]) -> list[Suggestion]:
        if request.query.is_empty:
            return []
        qs = self._match(self._visible(request), request.query, column="title")
        qs = qs.exclude(kind__in=exclude_kinds).order_by("-date", "title")
        with _index_driven(connection.vendor == "postgresql"):
            rows = list(qs.values_list("kind", "title", "url")[: request.per_page])
        return [Suggestion(kind=kind, title=title, url=url) for kind, title, url in rows]
