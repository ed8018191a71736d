"""The one search API: a person, what they typed and chose → results they may see.

``run_search`` reads untrusted parameters without ever failing: unknown filter values,
impossible dates, pages out of range and odd characters become *notices* (translated
sentences shown above the results), not errors.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from search.backends import (
    FACETS,
    PER_PAGE,
    BackendResult,
    SearchRequest,
    SearchUnavailable,
    Suggestion,
    get_backend,
)
from search.documents import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, ParsedQuery, parse_query
from search.documents import space as space_token
from search.providers import registry
from search.rules import principals_for
from tcri_site.members.models import VOLET_LABELS

MAX_PAGE = 500
SUGGESTIONS = 8
FACET_PARAMS = {"kind": "type", "volet": "volet", "status": "statut", "space": "espace"}
_SLUG = re.compile(r"^[-a-z0-9_]{1,100}$")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    query: ParsedQuery
    request: SearchRequest | None
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    unavailable: bool = False
    searched: bool = False

    @property
    def page(self) -> int:
        return self.request.page if self.request else 1

    @property
    def num_pages(self) -> int:
        per_page = self.request.per_page if self.request else PER_PAGE
        return max(1, math.ceil(self.total / per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def _values(params, name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else params.get(name, [])
    if not isinstance(raw, list | tuple):
        raw = [raw]
    return [str(v).strip()[:100] for v in raw if str(v).strip()][:20]


def _date(params, name: str, notices: list[str], label: str) -> date | None:
    raw = (_values(params, name) or [""])[0]
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        notices.append(
            _("La date « %(value)s » (%(label)s) n'est pas valide : utilisez le format AAAA-MM-JJ. Ce filtre est ignoré.")
            % {"value": raw, "label": label}
        )
        return None


def _known_values(name: str, values: list[str], principals: frozenset[str]) -> set[str]:
    if name == "kind":
        return set(registry.kinds()) & set(values)
    if name == "volet":
        return {v for v in values if v.isdigit() and int(v) in VOLET_LABELS}
    if name == "status":
        # The statuses' provider knows its vocabulary (search names no app's model).
        return registry.vocabulary(name).known_values(name, [v for v in values if _SLUG.match(v)])
    if name == "space":
        # Only spaces the person may see: naming another one must not reveal its name.
        return {v for v in values if v.isdigit() and space_token(v) in principals}
    return set()


# The most common French (and English) words, which the French analysers of PostgreSQL and
# Elasticsearch leave out of the index and of queries.
COMMON_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
    même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous est sont été être avoir ont the and of to in for on""".split()
)


def read_request(params, user, language: str | None = None) -> tuple[SearchRequest, list[str]]:
    """Turn GET parameters into a ``SearchRequest``, with notices for what was ignored."""
    notices: list[str] = []
    principals = principals_for(user)
    raw_query = str(params.get("q") or "").strip()
    query = parse_query(raw_query)
    if query.truncated:
        notices.append(
            _("Votre recherche était trop longue : seuls les %(n)s premiers caractères ont été utilisés.")
            % {"n": MAX_QUERY_LENGTH}
        )
    if raw_query and query.is_empty and len(raw_query) >= MIN_QUERY_LENGTH:
        notices.append(_("Votre recherche ne contient aucun mot d'au moins deux lettres ou chiffres."))
    filters: dict[str, list[str]] = {}
    for name, param in FACET_PARAMS.items():
        values = _values(params, param)
        if not values:
            continue
        known = _known_values(name, values, principals)
        unknown = [v for v in values if v not in known]
        if unknown:
            notices.append(
                _("Filtre inconnu ignoré : %(values)s.") % {"values": ", ".join(f"« {v} »" for v in unknown)}
            )
        if known:
            filters[name] = sorted(known)
    date_from = _date(params, "du", notices, _("à partir du"))
    date_to = _date(params, "au", notices, _("jusqu'au"))
    if date_from and date_to and date_from > date_to:
        notices.append(_("La période choisie finit avant de commencer : les dates ont été inversées."))
        date_from, date_to = date_to, date_from
    sort = (_values(params, "tri") or ["pertinence"])[0]
    page_raw = (_values(params, "page") or ["1"])[0]
    try:
        page = min(max(int(page_raw), 1), MAX_PAGE)
    except ValueError:
        page = 1
    request = SearchRequest(
        query=query,
        principals=principals,
        language=language or translation.get_language() or "fr",
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        sort="date" if sort == "date" else "relevance",
        page=page,
    )
    return request, notices


def facet_labels(name: str, values) -> dict[str, str]:
    values = list(values)
    if name == "kind":
        return {k: str(v) for k, v in registry.kinds().items()}
    if name == "volet":
        return {v: _("Volet %(number)s") % {"number": v} for v in values}
    labels: dict[str, str] = {}
    for provider in registry.providers():
        labels.update(provider.facet_labels(name, values))
    return labels


def matching_object_ids(user, params, language: str | None = None, limit: int = 200) -> list[str] | None:
    """Which objects the person's search matches (``object_id`` of at most ``limit``
    documents), without the counts, facets and excerpts of a results page: for a listing
    that filters on the site's search (the trainings' text search). None when the search
    engine is unavailable; [] for a query with no word."""
    request, _notices = read_request(params, user, language)
    if request.query.is_empty:
        return []
    request.page, request.per_page = 1, limit
    try:
        return get_backend().object_ids(request)
    except SearchUnavailable:
        return None


def run_search(user, params, language: str | None = None) -> SearchPage:
    request, notices = read_request(params, user, language)
    page = SearchPage(query=request.query, request=request, notices=notices)
    raw = page.query.raw
    if raw and len(raw) < MIN_QUERY_LENGTH:
        page.notices.append(_("Saisissez au moins deux caractères pour lancer la recherche."))
    has_filters = bool(request.filters or request.date_from or request.date_to)
    if request.query.is_empty and not has_filters:
        return page
    page.searched = True
    try:
        result: BackendResult = get_backend().search(request)
        if not result.hits and result.total and request.page > 1:
            request.page = max(1, math.ceil(result.total / request.per_page))
            result = get_backend().search(request)
    except SearchUnavailable:
        page.unavailable = True
        return page
    page.total = result.total
    page.hits = result.hits
    words = request.query.all_words
    if not result.total and words and all(word in COMMON_WORDS for word in words):
        # PostgreSQL and Elasticsearch drop these words: say why nothing came back.
        page.notices.append(
            _("« %(words)s » : des mots trop courants pour être cherchés seuls. Ajoutez un mot plus précis.")
            % {"words": " ".join(words)}
        )
    kinds = registry.kinds()
    for hit in page.hits:
        hit.kind_label = str(kinds.get(hit.kind, hit.kind))
    for name in FACETS:
        counts = result.facets.get(name, {})
        selected = set(request.filters.get(name, []))
        values = set(counts) | selected
        labels = facet_labels(name, values)
        items = [
            FacetValue(value=v, label=labels.get(v, v), count=counts.get(v, 0), selected=v in selected)
            for v in values
            # A value with no label is not shown (a space that no longer exists…).
            if v in labels or name in ("volet",)
        ]
        items.sort(key=lambda f: (-f.count, f.label) if name != "volet" else (int(f.value), ""))
        page.facets[name] = items
    return page


def suggest(user, q: str, language: str | None = None) -> list[Suggestion]:
    """Titles for the header box's suggestions; raises ``SearchUnavailable``."""
    query = parse_query(q)
    if query.is_empty:
        return []
    request = SearchRequest(
        query=query,
        principals=principals_for(user),
        language=language or translation.get_language() or "fr",
        per_page=SUGGESTIONS,
    )
    exclude = [p.kind for p in registry.providers() if not getattr(p, "suggest", True)]
    return get_backend().autocomplete(request, exclude_kinds=exclude)
