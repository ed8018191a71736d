"""The database backend: FTS5 on SQLite, ``tsvector`` with ``tcri_french`` on PostgreSQL.

The permission filter is applied in one place, ``_visible``, which every query — results,
each facet count, suggestions — starts from: on PostgreSQL an array overlap between the
row's ``acl_tokens`` and the person's tokens (GIN-indexed, combined with the full-text index), on
SQLite an ``EXISTS`` on the document's grants. On PostgreSQL one statement materialises the
matches once and returns every facet count, the total and the page; on SQLite a few
ordinary queries do the same.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.backends import FACETS, Backend, BackendResult, Hit, SearchRequest, Suggestion
from search.documents import ParsedQuery, SearchDoc, highlight
from search.models import DocumentFacet, DocumentGrant, SearchDocument

TABLE = SearchDocument._meta.db_table


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


class DatabaseBackend(Backend):
    name = "database"

    # --- writing --------------------------------------------------------------------
    def replace(self, source: str, object_id: str, docs: list[SearchDoc]) -> None:
        with transaction.atomic():
            SearchDocument.objects.filter(source=source, object_id=str(object_id)).delete()
            self._insert([(source, str(object_id), doc) for doc in docs])

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
                        sorted(f"{name}:{value}" for name, values in doc.facets.items() for value in values)
                    ),
                )
                for source, object_id, doc in items
            ]
        )
        facets, grants = [], []
        for row, (_s, _o, doc) in zip(rows, items, strict=True):
            grants += [DocumentGrant(document_id=row.pk, principal=p) for p in sorted(doc.grants)]
            for name, values in doc.facets.items():
                facets += [DocumentFacet(document_id=row.pk, name=name, value=v) for v in sorted(values)]
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
        if connection.vendor == "postgresql":
            # Array overlap on the row itself, backed by a GIN index (migration 0005).
            return SearchDocument.objects.filter(language__in=[request.language, ""]).extra(
                where=[f'"{TABLE}"."acl_tokens" && %s::text[]'],
                params=[sorted(request.principals)],
            )
        return SearchDocument.objects.filter(
            Exists(
                DocumentGrant.objects.filter(
                    document=OuterRef("pk"), principal__in=sorted(request.principals)
                )
            ),
            language__in=[request.language, ""],
        )

    def _match(self, qs, query: ParsedQuery, column: str | None = None, prefix: bool = False):
        if query.is_empty:
            return qs
        if connection.vendor == "postgresql":
            if column == "title":
                return qs.extra(
                    where=[f'"{TABLE}"."title_vector" @@ to_tsquery(\'public.tcri_simple\', %s)'],
                    params=[_tsquery(query, prefix=True)],
                )
            return qs.extra(
                where=[f'"{TABLE}"."search_vector" @@ to_tsquery(\'public.tcri_french\', %s)'],
                params=[_tsquery(query, prefix=prefix)],
            )
        if connection.vendor == "sqlite":
            return qs.extra(
                where=[f'"{TABLE}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)'],
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
        if connection.vendor == "postgresql":
            rank = RawSQL(
                f'ts_rank("{TABLE}"."search_vector", to_tsquery(\'public.tcri_french\', %s))',
                [_tsquery(query)],
            )
            return qs.annotate(rank=rank).order_by("-rank", "-date", "-pk")
        if connection.vendor == "sqlite":
            rank = RawSQL(
                "(SELECT bm25(search_fts, 5.0, 1.0) FROM search_fts "
                f'WHERE search_fts MATCH %s AND rowid = "{TABLE}"."id")',
                [_fts5_query(query)],
            )
            return qs.annotate(rank=rank).order_by("rank", "-date", "-pk")
        return qs.order_by("-date", "-pk")

    def _filtered(self, qs, request: SearchRequest, skip: str | None = None):
        for name, values in request.filters.items():
            if name == skip:
                continue
            if name == "kind":
                qs = qs.filter(kind__in=values)
            elif connection.vendor == "postgresql":
                qs = qs.extra(
                    where=[f'"{TABLE}"."facet_tokens" && %s::text[]'],
                    params=[[f"{name}:{value}" for value in values]],
                )
            else:
                qs = qs.filter(
                    Exists(
                        DocumentFacet.objects.filter(
                            document=OuterRef("pk"), name=name, value__in=values
                        )
                    )
                )
        return qs

    def _dated(self, qs, request: SearchRequest):
        tz = timezone.get_current_timezone()
        if request.date_from:
            qs = qs.filter(date__gte=datetime.combine(request.date_from, time.min, tzinfo=tz))
        if request.date_to:
            end = datetime.combine(request.date_to + timedelta(days=1), time.min, tzinfo=tz)
            qs = qs.filter(date__lt=end)
        return qs

    def search(self, request: SearchRequest) -> BackendResult:
        base = self._dated(self._match(self._visible(request), request.query), request)
        results = self._filtered(base, request)
        if connection.vendor == "postgresql":
            return self._search_postgres(request, base, results)
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

    def _search_postgres(self, request, base, results) -> BackendResult:
        """One statement, one pass over the matching rows: every facet, the total, the page.

        The rows the person may see that match the words and the period are materialised
        once (with their rank); facet choices are then applied to those rows in memory.
        Counts are disjunctive: a facet's own selection does not narrow its counts.
        """
        relevance = request.sort != "date" and not request.query.is_empty
        if relevance:
            rank = RawSQL(
                f'ts_rank("{TABLE}"."search_vector", to_tsquery(\'public.tcri_french\', %s))',
                [_tsquery(request.query)],
            )
            order = "rank DESC, date DESC, id DESC"
        else:
            rank = RawSQL("0.0", [])
            order = "date DESC, id DESC"
        tokens = RawSQL(f'"{TABLE}"."facet_tokens"', [])  # "kind:…" plus the facet keys
        matched = base.order_by().annotate(rank=rank, tokens=tokens).values("id", "kind", "tokens", "date", "rank")
        inner, inner_params = matched.query.sql_with_params()

        def condition(skip: str | None = None) -> tuple[str, list]:
            parts, params = ["TRUE"], []
            for name, values in request.filters.items():
                if name == skip:
                    continue
                if name == "kind":
                    parts.append("kind = ANY(%s::text[])")
                    params.append(list(values))
                else:
                    parts.append("tokens && %s::text[]")
                    params.append([f"{name}:{value}" for value in values])
            return " AND ".join(parts), params

        keys = "unnest(matched.tokens)"
        branches, params = [], []
        everything, everything_params = condition()
        shared = [name for name in FACETS if name not in request.filters]
        if shared:
            branches.append(
                f"SELECT 'f', key, COUNT(*) FROM matched, {keys} AS key WHERE key <> '' AND "
                f"split_part(key, ':', 1) = ANY(%s::text[]) AND {everything} GROUP BY key"
            )
            params += [shared, *everything_params]
        for name in request.filters:
            where, where_params = condition(skip=name)
            branches.append(
                f"SELECT 'f', key, COUNT(*) FROM matched, {keys} AS key WHERE "
                f"split_part(key, ':', 1) = %s AND {where} GROUP BY key"
            )
            params += [name, *where_params]
        branches.append(f"SELECT 't', NULL, COUNT(*) FROM matched WHERE {everything}")
        params += everything_params
        branches.append(
            f"(SELECT 'h', NULL, id FROM matched WHERE {everything} ORDER BY {order} LIMIT %s OFFSET %s)"
        )
        params += [*everything_params, request.per_page, request.offset]
        sql = f"WITH matched AS MATERIALIZED ({inner}) " + " UNION ALL ".join(branches)

        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        ids: list[int] = []
        total = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, [*inner_params, *params])
            for row_kind, key, value in cursor.fetchall():
                if row_kind == "h":
                    ids.append(value)
                elif row_kind == "t":
                    total = value
                else:
                    name, _sep, facet_value = key.partition(":")
                    if name in facets:
                        facets[name][facet_value] = value
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
        qs = self._match(self._visible(request), request.query, column="title", prefix=True)
        qs = qs.exclude(kind__in=exclude_kinds).order_by("-date", "title")
        return [
            Suggestion(kind=kind, title=title, url=url)
            for kind, title, url in qs.values_list("kind", "title", "url")[: request.per_page]
        ]
