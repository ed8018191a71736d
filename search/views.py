"""The search page and the JSON suggestions behind the header search box."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search.backends import SearchUnavailable
from search.providers import registry
from search.services import FACET_PARAMS, run_search, suggest
from tcri_site.members.decorators import permission_required


def _querystring(params, drop=("page",)) -> str:
    pairs = [(k, v) for k in params for v in params.getlist(k) if k not in drop and v]
    return urlencode(pairs)


@require_GET
@permission_required("search.search")
def search(request):
    result = run_search(request.user, request.GET)
    facet_groups = [
        ("kind", FACET_PARAMS["kind"], _("Type")),
        ("volet", FACET_PARAMS["volet"], _("Volet du PASI")),
        ("status", FACET_PARAMS["status"], _("Statut migratoire")),
        ("space", FACET_PARAMS["space"], _("Espace d'échange")),
    ]
    context = {
        "result": result,
        "q": request.GET.get("q", "")[:1000],
        "facet_groups": [
            (param, label, result.facets.get(name, []))
            for name, param, label in facet_groups
            if result.facets.get(name)
        ],
        "date_from": request.GET.get("du", "")[:10],
        "date_to": request.GET.get("au", "")[:10],
        "sort": "date" if request.GET.get("tri") == "date" else "pertinence",
        "querystring": _querystring(request.GET),
        "has_filters": any(
            request.GET.get(name) for name in (*FACET_PARAMS.values(), "du", "au")
        ),
    }
    status = 503 if result.unavailable else 200
    return render(request, "search/search.html", context, status=status)


@require_GET
@permission_required("search.search")
def autocomplete(request):
    q = request.GET.get("q", "")
    if len(q.strip()) < 2:
        return JsonResponse({"results": [], "message": _("Saisissez au moins deux caractères.")})
    try:
        suggestions = suggest(request.user, q[:200])
    except SearchUnavailable:
        return JsonResponse(
            {"results": [], "message": _("La recherche est momentanément indisponible.")}, status=503
        )
    kinds = registry.kinds()
    return JsonResponse(
        {
            "results": [
                {"title": s.title, "url": s.url, "type": s.kind, "type_label": str(kinds.get(s.kind, s.kind))}
                for s in suggestions
            ]
        }
    )
