"""The demands and their lifecycle: the forum's front page, the lists and the cahier, a
demand's page, proposing and editing it, its transitions, its history and versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import registry as log_registry

from advocacy import services
from advocacy.forms import (
    CommentForm,
    DemandEditForm,
    DemandFilterForm,
    DemandForm,
    FollowUpForm,
)
from advocacy.models import (
    CAHIER_STATES,
    VOTABLE_STATES,
    Demand,
    DemandState,
)
from advocacy.models.pages import source_updates
from advocacy.views.common import PAGE_SIZE, _get_demand, _refused, inline_diff, visible_demands
from tcri_site.errors import Refusal
from tcri_site.i18n import localized_pages
from tcri_site.members.decorators import permission_required


@permission_required("advocacy.view_forum")
def index(request):
    demands = visible_demands(request.user)
    counts = dict(demands.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    groups = []
    recent = list(demands.order_by("-updated_at").select_related("proposing_organisation")[:200])
    for state, label in DemandState.choices:
        items = [d for d in recent if d.state == state][:5]
        if counts.get(state):
            groups.append({"state": state, "label": label, "count": counts[state], "items": items})
    session = services.upcoming_session()
    agenda = list(session.agenda_items.all()) if session else []
    motions = list(session.motions.all()) if session else []
    return render(
        request,
        "advocacy/index.html",
        {"groups": groups, "session": session, "agenda": agenda, "motions": motions},
    )


@permission_required("advocacy.view_forum")
def demand_list(request):
    form = DemandFilterForm(request.GET or None)
    demands = visible_demands(request.user).select_related("proposing_organisation").prefetch_related("volets")
    query = ""
    if form.is_valid():
        if form.cleaned_data.get("state"):
            demands = demands.filter(state=form.cleaned_data["state"])
        if form.cleaned_data.get("volet"):
            demands = demands.filter(volets=form.cleaned_data["volet"])
        query = "&".join(f"{k}={escape(v)}" for k, v in request.GET.items() if k != "page" and v)
    page_obj = Paginator(demands.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advocacy/demand_list.html", {"form": form, "page_obj": page_obj, "query": query})


@permission_required("advocacy.view_forum")
def cahier(request):
    demands = (
        Demand.objects.filter(state__in=CAHIER_STATES)
        .select_related("proposing_organisation")
        .prefetch_related("volets", Prefetch("updates", queryset=source_updates()))
        .order_by("-updated_at", "-pk")
    )
    page_obj = Paginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advocacy/cahier.html", {"page_obj": page_obj, "ranking": services.latest_ranking()})


def _comment_tree(demand):
    comments = list(demand.comments.select_related("author", "organisation"))
    children = {}
    for c in comments:
        children.setdefault(c.parent_id, []).append(c)
    for c in comments:
        c.children = children.get(c.pk, [])
    return children.get(None, [])


def _demand_context(request, demand, **extra):
    user = request.user
    extra.setdefault("follow_mode", services.follow_mode_of(user, demand))
    amendments = list(demand.amendments.select_related("organisation", "author"))
    for amendment in amendments:
        amendment.diff = inline_diff(amendment.base_text, amendment.proposed_text)
        amendment.may_accept = user.has_perm("advocacy.accept_amendment", amendment) and amendment.is_proposed
    timeline = []
    for entry in log_registry.get_logs_for_instance(demand).select_related("user")[:50]:
        timeline.append({"when": entry.timestamp, "label": entry.message, "who": entry.user, "kind": "log"})
    updates = localized_pages(source_updates().filter(demands=demand)[:20])
    for update in updates:
        timeline.append({"when": update.first_published_at or update.latest_revision_created_at, "label": update.title, "url": update.url, "kind": "update"})
    timeline.sort(key=lambda e: e["when"] or demand.created_at, reverse=True)
    cosigners = list(demand.cosigners.order_by("name"))
    may_cosign = user.has_perm("advocacy.cosign_demand", demand)
    context = {
        "demand": demand,
        "volets": list(demand.volets.all()),
        "statuses": list(demand.migration_statuses.all()),
        "cosigners": cosigners,
        "cosigner_regions": sorted({o.get_region_display() for o in cosigners}),
        "cosignatures_needed": services.cosignatures_for_agenda(),
        "may_cosign": may_cosign,
        "has_cosigned": may_cosign and any(o.pk == user.organisation.pk for o in cosigners),
        "tags": list(demand.tags.all()),
        "comments": _comment_tree(demand),
        "amendments": amendments,
        "motions": list(demand.motions.select_related("session")),
        "may_put_online": user.has_perm("advocacy.manage_online_votes") and demand.state in VOTABLE_STATES,
        "timeline": timeline,
        "updates": updates,
        "transitions": [(name, t) for name, t in services.available_transitions(actor=user, demand=demand) if name != "follow_up"],
        "may_follow_up": user.has_perm("advocacy.follow_up_demand", demand) and demand.state in services.TRANSITIONS["follow_up"].sources,
        "may_comment": user.has_perm("advocacy.comment_demand", demand),
        "may_amend": user.has_perm("advocacy.amend_demand", demand),
        "may_edit": user.has_perm("advocacy.edit_demand", demand) and demand.is_editable,
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "follow_up_form": extra.pop("follow_up_form", None) or FollowUpForm(initial={"mifi_response": demand.mifi_response, "progress_note": demand.progress_note}),
    }
    context.update(extra)
    return context


@permission_required("advocacy.see_demand", fn=_get_demand)
def demand_detail(request, pk):
    demand = request.permission_object
    return render(request, "advocacy/demand_detail.html", _demand_context(request, demand))


@permission_required("advocacy.propose_demand")
def demand_create(request):
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.do_create_demand(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                rationale=data["rationale"],
                volets=data["volets"],
                statuses=data["migration_statuses"],
                tags=data["tags"],
                cosigners=data["cosigners"],
            )
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("La revendication est enregistrée comme brouillon."))
            return redirect(demand)
    return render(request, "advocacy/demand_form.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("advocacy.edit_demand", fn=_get_demand)
def demand_edit(request, pk):
    demand = request.permission_object
    initial = {"title": demand.title, "text": demand.text, "rationale": demand.rationale}
    form = DemandEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_edit_demand(actor=request.user, demand=demand, **form.cleaned_data)
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Une nouvelle version de la revendication est enregistrée."))
            return redirect(demand)
    return render(request, "advocacy/demand_edit.html", {"form": form, "demand": demand}, status=400 if form.errors else 200)


@require_POST
@permission_required("advocacy.see_demand", fn=_get_demand)
def demand_transition(request, pk, action):
    demand = request.permission_object
    kwargs = {}
    if action == "follow_up":
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return render(request, "advocacy/demand_detail.html", _demand_context(request, demand, follow_up_form=form), status=400)
        kwargs = {"mifi_response": form.cleaned_data["mifi_response"], "progress_note": form.cleaned_data["progress_note"]}
    try:
        demand = services.do_transition(actor=request.user, demand=demand, action=action, **kwargs)
    except Refusal as exc:
        return _refused(request, exc, context={"back": demand.get_absolute_url()})
    messages.success(request, _("Étape actuelle : %(state)s.") % {"state": demand.get_state_display()})
    return redirect(demand)


def _revision_fields(revision) -> dict:
    content = revision.content or {}
    return {"title": content.get("title", ""), "text": content.get("text", ""), "rationale": content.get("rationale", "")}


@permission_required("advocacy.see_demand", fn=_get_demand)
def demand_history(request, pk):
    demand = request.permission_object
    revisions = demand.revisions.select_related("user").order_by("-created_at", "-pk")
    page_obj = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b and a.isdigit() and b.isdigit():
        return redirect("advocacy:demand_diff", pk=demand.pk, a=int(a), b=int(b))
    return render(request, "advocacy/demand_history.html", {"demand": demand, "page_obj": page_obj})


@permission_required("advocacy.see_demand", fn=_get_demand)
def demand_diff(request, pk, a, b):
    demand = request.permission_object
    revisions = {r.pk: r for r in demand.revisions.filter(pk__in=[a, b]).select_related("user")}
    if a not in revisions or b not in revisions:
        raise Http404(_("Version introuvable."))
    older, newer = sorted([revisions[a], revisions[b]], key=lambda r: (r.created_at, r.pk))
    fa, fb = _revision_fields(older), _revision_fields(newer)
    rows = [
        (_("Titre"), inline_diff(fa["title"], fb["title"])),
        (_("Texte"), inline_diff(fa["text"], fb["text"])),
        (_("Justification"), inline_diff(fa["rationale"], fb["rationale"])),
    ]
    return render(request, "advocacy/demand_diff.html", {"demand": demand, "older": older, "newer": newer, "rows": rows})
