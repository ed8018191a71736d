"""The forum's public pages. Every view asks ``advocacy.rules``; every change goes through
``advocacy.services``; refusals come back as a page that says why, never a 500."""

from __future__ import annotations

import difflib
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.log_actions import registry as log_registry

from advocacy import services
from advocacy.forms import (
    AmendmentForm,
    BallotForm,
    CommentForm,
    DemandEditForm,
    DemandFilterForm,
    DemandForm,
    FollowUpForm,
    MinutesForm,
)
from advocacy.models import (
    CAHIER_STATES,
    PUBLIC_STATES,
    Amendment,
    Ballot,
    Comment,
    Demand,
    DemandState,
    ForumSession,
    Minutes,
    Motion,
    MotionStatus,
    UpdateIndexPage,
    UpdatePage,
    UpdateSubscription,
)
from advocacy.services import AdvocacyError
from tcri_site.members.decorators import permission_required
from tcri_site.members.rules import is_tcri_staff, is_workspace_user
from tcri_site.spreadsheets import CONTENT_TYPE

PAGE_SIZE = 20


# --- helpers ---------------------------------------------------------------------------


def visible_demands(user):
    qs = Demand.objects.all()
    if is_tcri_staff(user):
        return qs
    if is_workspace_user(user):
        return qs.filter(~Q(state=DemandState.DRAFT) | Q(proposing_organisation_id=user.organisation.pk))
    return qs.filter(state__in=PUBLIC_STATES)


def _refused(request, exc: AdvocacyError, template="advocacy/refused.html", context=None):
    context = dict(context or {})
    context["error"] = exc.message
    return render(request, template, context, status=exc.status)


def inline_diff(old: str, new: str) -> str:
    """Word-level diff of two texts as escaped HTML with <del> and <ins>."""
    tokens_a = re.findall(r"\s+|[^\s]+", old or "")
    tokens_b = re.findall(r"\s+|[^\s]+", new or "")
    out = []
    removed = escape(_("supprimé : "))
    added = escape(_("ajouté : "))
    matcher = difflib.SequenceMatcher(a=tokens_a, b=tokens_b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(tokens_a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del><span class="visually-hidden">{removed}</span>{escape("".join(tokens_a[a1:a2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins><span class="visually-hidden">{added}</span>{escape("".join(tokens_b[b1:b2]))}</ins>')
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


def _get_demand(request, pk, **kwargs):
    return get_object_or_404(Demand.objects.select_related("proposing_organisation"), pk=pk)


def _get_motion(request, pk, **kwargs):
    return get_object_or_404(Motion.objects.select_related("session", "demand", "amendment"), pk=pk)


def _get_session(request, pk, **kwargs):
    return get_object_or_404(ForumSession.objects.select_related("chair"), pk=pk)


# --- front page, demands ---------------------------------------------------------------


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
        .prefetch_related("volets", Prefetch("updates", queryset=UpdatePage.objects.live().order_by("-date")))
        .order_by("-updated_at", "-pk")
    )
    page_obj = Paginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advocacy/cahier.html", {"page_obj": page_obj})


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
    amendments = list(demand.amendments.select_related("organisation", "author"))
    for amendment in amendments:
        amendment.diff = inline_diff(amendment.base_text, amendment.proposed_text)
        amendment.may_accept = user.has_perm("advocacy.accept_amendment", amendment) and amendment.is_proposed
    timeline = []
    for entry in log_registry.get_logs_for_instance(demand).select_related("user")[:50]:
        timeline.append({"when": entry.timestamp, "label": entry.message, "who": entry.user, "kind": "log"})
    updates = list(demand.updates.live().order_by("-date")[:20])
    for update in updates:
        timeline.append({"when": update.first_published_at or update.latest_revision_created_at, "label": update.title, "url": update.url, "kind": "update"})
    timeline.sort(key=lambda e: e["when"] or demand.created_at, reverse=True)
    context = {
        "demand": demand,
        "volets": list(demand.volets.all()),
        "statuses": list(demand.migration_statuses.all()),
        "cosigners": list(demand.cosigners.all()),
        "tags": list(demand.tags.all()),
        "comments": _comment_tree(demand),
        "amendments": amendments,
        "motions": list(demand.motions.select_related("session")),
        "timeline": timeline,
        "updates": updates,
        "transitions": [(name, t) for name, t in services.available_transitions(user, demand) if name != "follow_up"],
        "may_follow_up": user.has_perm("advocacy.follow_up_demand", demand) and demand.state in services.TRANSITIONS["follow_up"].sources,
        "may_comment": user.has_perm("advocacy.comment_demand", demand),
        "may_amend": user.has_perm("advocacy.amend_demand", demand),
        "may_edit": user.has_perm("advocacy.edit_demand", demand) and demand.is_editable,
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "follow_up_form": extra.pop("follow_up_form", None) or FollowUpForm(initial={"mifi_response": demand.mifi_response, "progress_note": demand.progress_note}),
    }
    context.update(extra)
    return context


@permission_required("advocacy.view_demand", fn=_get_demand)
def demand_detail(request, pk):
    demand = request.permission_object
    return render(request, "advocacy/demand_detail.html", _demand_context(request, demand))


@permission_required("advocacy.add_demand")
def demand_create(request):
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.do_create_demand(
                request.user,
                title=data["title"],
                text=data["text"],
                rationale=data["rationale"],
                volets=data["volets"],
                statuses=data["migration_statuses"],
                tags=data["tags"],
                cosigners=data["cosigners"],
            )
        except AdvocacyError as exc:
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
            services.do_edit_demand(request.user, demand, **form.cleaned_data)
        except AdvocacyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Une nouvelle version de la revendication est enregistrée."))
            return redirect(demand)
    return render(request, "advocacy/demand_edit.html", {"form": form, "demand": demand}, status=400 if form.errors else 200)


@require_POST
@permission_required("advocacy.view_demand", fn=_get_demand)
def demand_transition(request, pk, action):
    demand = request.permission_object
    kwargs = {}
    if action == "follow_up":
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return render(request, "advocacy/demand_detail.html", _demand_context(request, demand, follow_up_form=form), status=400)
        kwargs = {"mifi_response": form.cleaned_data["mifi_response"], "progress_note": form.cleaned_data["progress_note"]}
    try:
        demand = services.do_transition(request.user, demand, action, **kwargs)
    except AdvocacyError as exc:
        return _refused(request, exc, context={"back": demand.get_absolute_url()})
    messages.success(request, _("Étape actuelle : %(state)s.") % {"state": demand.get_state_display()})
    return redirect(demand)


@require_POST
@permission_required("advocacy.view_demand", fn=_get_demand)
def comment_create(request, pk):
    demand = request.permission_object
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], demand=demand).first()
        try:
            services.do_comment(request.user, demand, form.cleaned_data["body"], parent)
        except AdvocacyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return redirect(demand.get_absolute_url() + "#commentaires")
    status = 403 if not request.user.has_perm("advocacy.comment_demand", demand) else 400
    return render(request, "advocacy/demand_detail.html", _demand_context(request, demand, comment_form=form), status=status)


@permission_required("advocacy.view_demand", fn=_get_demand)
def amendment_create(request, pk):
    demand = request.permission_object
    if not request.user.has_perm("advocacy.amend_demand", demand):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = AmendmentForm(request.POST or None, initial={"proposed_text": demand.text})
    diff = None
    if request.method == "POST" and form.is_valid():
        diff = inline_diff(demand.text, form.cleaned_data["proposed_text"])
        try:
            amendment = services.do_propose_amendment(
                request.user, demand, proposed_text=form.cleaned_data["proposed_text"], rationale=form.cleaned_data["rationale"]
            )
        except AdvocacyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre amendement est proposé."))
            return redirect(amendment)
    return render(
        request, "advocacy/amendment_form.html", {"form": form, "demand": demand, "diff": diff}, status=400 if form.errors else 200
    )


def _get_amendment(request, pk):
    amendment = get_object_or_404(Amendment.objects.select_related("demand", "organisation", "author"), pk=pk)
    return amendment


def amendment_detail(request, pk):
    amendment = _get_amendment(request, pk)
    if not request.user.has_perm("advocacy.view_demand", amendment.demand):
        raise PermissionDenied if request.user.is_authenticated else Http404
    return render(
        request,
        "advocacy/amendment_detail.html",
        {
            "amendment": amendment,
            "demand": amendment.demand,
            "diff": inline_diff(amendment.base_text, amendment.proposed_text),
            "may_accept": request.user.has_perm("advocacy.accept_amendment", amendment) and amendment.is_proposed,
        },
    )


@require_POST
def amendment_accept(request, pk):
    amendment = _get_amendment(request, pk)
    try:
        services.do_accept_amendment(request.user, amendment)
    except AdvocacyError as exc:
        return _refused(request, exc, context={"back": amendment.get_absolute_url()})
    messages.success(request, _("L'amendement est intégré au texte : une nouvelle version est enregistrée."))
    return redirect(amendment.demand)


def _revision_fields(revision) -> dict:
    content = revision.content or {}
    return {"title": content.get("title", ""), "text": content.get("text", ""), "rationale": content.get("rationale", "")}


@permission_required("advocacy.view_demand", fn=_get_demand)
def demand_history(request, pk):
    demand = request.permission_object
    revisions = demand.revisions.select_related("user").order_by("-created_at", "-pk")
    page_obj = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b and a.isdigit() and b.isdigit():
        return redirect("advocacy:demand_diff", pk=demand.pk, a=int(a), b=int(b))
    return render(request, "advocacy/demand_history.html", {"demand": demand, "page_obj": page_obj})


@permission_required("advocacy.view_demand", fn=_get_demand)
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


# --- sessions ---------------------------------------------------------------------------


@permission_required("advocacy.view_session")
def session_list(request):
    sessions = ForumSession.objects.annotate(n_motions=Count("motions")).order_by("-starts_at")
    page_obj = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advocacy/session_list.html", {"page_obj": page_obj})


@permission_required("advocacy.view_session", fn=_get_session)
def session_detail(request, pk):
    session = request.permission_object
    chair = request.user.has_perm("advocacy.chair_session", session)
    present_ids = set(session.attendances.values_list("organisation_id", flat=True))
    organisations = list(services.eligible_organisations().order_by("name")) if chair else []
    attendances = list(session.attendances.select_related("organisation", "person"))
    return render(
        request,
        "advocacy/session_detail.html",
        {
            "session": session,
            "agenda": list(session.agenda_items.select_related("demand", "amendment", "update")),
            "motions": list(session.motions.select_related("demand", "amendment")),
            "quorum": services.session_quorum(session),
            "attendances": attendances,
            "organisations": organisations,
            "present_ids": present_ids,
            "chair": chair,
            "minutes": Minutes.objects.filter(session=session).first(),
            "live_labels": {
                # Singular and plural; the script picks one as the template does (n == 1).
                "line": {"one": _quorum_line(1), "other": _quorum_line(2)},
                "met": _("atteint"),
                "not_met": _("non atteint"),
            },
        },
    )


def _quorum_line(count: int) -> str:
    # The same sentence as session_detail.html's, placeholders left for the script.
    return ngettext(
        "%(p)s organisme présent sur %(t)s (quorum : %(r)s)",
        "%(p)s organismes présents sur %(t)s (quorum : %(r)s)",
        count,
    )


@permission_required("advocacy.view_session", fn=_get_session)
def session_ics(request, pk):
    session = request.permission_object
    response = HttpResponse(services.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forum-{session.pk}.ics"'
    return response


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def session_convocation(request, pk):
    session = request.permission_object
    try:
        n = services.do_send_convocation(request.user, session)
    except AdvocacyError as exc:
        return _refused(request, exc, context={"back": session.get_absolute_url()})
    messages.success(request, _("Convocation envoyée à %(n)s personnes.") % {"n": n})
    return redirect(session)


@require_POST
@permission_required("advocacy.view_session", fn=_get_session)
def session_attendance(request, pk):
    session = request.permission_object
    from tcri_site.members.models import Organisation

    raw = request.POST.get("organisation", "")
    org = Organisation.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if org is None:
        return _refused(request, services.InvalidInput(_("Organisme inconnu.")), context={"back": session.get_absolute_url()})
    try:
        services.do_record_attendance(request.user, session, org, request.POST.get("present") == "1")
    except AdvocacyError as exc:
        return _refused(request, exc, context={"back": session.get_absolute_url()})
    return redirect(session.get_absolute_url() + "#appel")


# --- votes -----------------------------------------------------------------------------


def vote_labels() -> dict:
    """Labels for the live page, in the reader's language (the socket sends codes)."""
    from advocacy.models import Choice, MotionResult

    return {
        "choice": {c.value: str(c.label) for c in Choice},
        "status": {s.value: str(s.label) for s in MotionStatus},
        "result": {r.value: str(r.label) for r in MotionResult},
        "met": _("atteint"),
        "not_met": _("non atteint"),
        "connected": _("En direct"),
        "reconnecting": _("Connexion perdue, reconnexion…"),
    }


def _vote_context(request, motion, **extra):
    user = request.user
    own = None
    membership = user.active_membership if user.is_authenticated else None
    if membership:
        own = Ballot.objects.filter(motion=motion, organisation_id=membership.organisation_id).select_related("cast_by").first()
    may_vote = user.has_perm("advocacy.vote")
    context = {
        "motion": motion,
        "session": motion.session,
        "state": services.motion_state(motion),
        "labels": vote_labels(),
        "own": own,
        "may_vote": may_vote,
        "chair": user.has_perm("advocacy.chair_session", motion.session),
        "form": extra.pop("form", None) or BallotForm(initial={"choice": own.choice if own else None}),
        "diff": inline_diff(motion.amendment.base_text, motion.amendment.proposed_text) if motion.amendment_id else None,
    }
    context.update(extra)
    return context


@permission_required("advocacy.view_motion", fn=_get_motion)
def vote(request, pk):
    motion = request.permission_object
    if request.method == "POST":
        form = BallotForm(request.POST)
        choice = request.POST.get("choice", "")
        try:
            result = services.cast_ballot(request.user, motion, choice)
        except AdvocacyError as exc:
            motion.refresh_from_db()
            return render(request, "advocacy/vote.html", _vote_context(request, motion, error=exc.message, form=form), status=exc.status)
        if result.changed:
            messages.success(request, _("Votre bulletin est enregistré : %(choice)s.") % {"choice": result.ballot.get_choice_display()})
        else:
            messages.info(request, _("Ce choix était déjà enregistré ; rien n'a changé."))
        return redirect(motion)
    return render(request, "advocacy/vote.html", _vote_context(request, motion))


@permission_required("advocacy.view_motion", fn=_get_motion)
def projector(request, pk):
    motion = request.permission_object
    return render(request, "advocacy/projector.html", {"motion": motion, "state": services.motion_state(motion), "labels": vote_labels()})


@require_POST
@permission_required("advocacy.view_motion", fn=_get_motion)
def motion_control(request, pk, action):
    motion = request.permission_object
    try:
        if action == "ouvrir":
            services.do_open_motion(request.user, motion)
            messages.success(request, _("Le vote est ouvert."))
        elif action == "fermer":
            motion = services.do_close_motion(request.user, motion)
            messages.success(request, _("Le vote est fermé : %(result)s.") % {"result": motion.get_result_display()})
        else:
            raise Http404
    except AdvocacyError as exc:
        return _refused(request, exc, context={"back": motion.get_absolute_url()})
    return redirect(motion)


# --- minutes and exports ---------------------------------------------------------------


@permission_required("advocacy.view_minutes", fn=_get_session)
def minutes(request, pk):
    session = request.permission_object
    record = Minutes.objects.filter(session=session).first()
    return render(
        request,
        "advocacy/minutes.html",
        {"session": session, "minutes": record, "manage": request.user.has_perm("advocacy.manage_minutes", session), **services.minutes_context(session)},
    )


@permission_required("advocacy.manage_minutes", fn=_get_session)
def minutes_edit(request, pk):
    session = request.permission_object
    record = Minutes.objects.filter(session=session).first()
    if record is None:
        try:
            record = services.do_draft_minutes(request.user, session)
        except AdvocacyError as exc:
            return _refused(request, exc, context={"back": session.get_absolute_url()})
    if record.is_published:
        messages.info(request, _("Le procès-verbal est publié : il ne peut plus être modifié."))
        return redirect("advocacy:minutes", pk=session.pk)
    form = MinutesForm(request.POST or None, initial={"body": record.body})
    if request.method == "POST" and form.is_valid():
        try:
            if "redraft" in request.POST:
                services.do_draft_minutes(request.user, session)
                messages.success(request, _("Le procès-verbal a été rédigé de nouveau à partir de la séance."))
                return redirect("advocacy:minutes_edit", pk=session.pk)
            services.do_edit_minutes(request.user, record, form.cleaned_data["body"])
            if "publish" in request.POST:
                services.do_publish_minutes(request.user, record)
                messages.success(request, _("Le procès-verbal est publié."))
            else:
                messages.success(request, _("Le procès-verbal est enregistré."))
        except AdvocacyError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("advocacy:minutes", pk=session.pk)
    return render(request, "advocacy/minutes_form.html", {"session": session, "form": form, "minutes": record}, status=400 if form.errors else 200)


@permission_required("advocacy.view_minutes", fn=_get_session)
def minutes_pdf(request, pk):
    from advocacy.exports import minutes_pdf as build

    session = request.permission_object
    response = HttpResponse(build(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-{session.pk}.pdf"'
    return response


@permission_required("advocacy.view_minutes", fn=_get_session)
def results_csv(request, pk):
    from advocacy.exports import results_csv as build

    session = request.permission_object
    response = HttpResponse(build(session), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="resultats-{session.pk}.csv"'
    return response


# --- implementation updates ------------------------------------------------------------


@permission_required("advocacy.view_forum")
def updates(request):
    index_page = UpdateIndexPage.objects.live().filter(locale__language_code=request.LANGUAGE_CODE).first() or UpdateIndexPage.objects.live().first()
    qs = UpdatePage.objects.live().order_by("-date", "-pk").prefetch_related("volets")
    if index_page is not None:
        qs = qs.descendant_of(index_page)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    subscribed = request.user.is_authenticated and UpdateSubscription.objects.filter(user=request.user).exists()
    return render(request, "advocacy/updates.html", {"page_obj": page_obj, "index_page": index_page, "subscribed": subscribed})


@require_POST
@permission_required("advocacy.subscribe_updates")
def subscribe(request):
    on = request.POST.get("subscribe") == "1"
    services.do_subscribe(request.user, on)
    messages.success(request, _("Vous recevrez les mises à jour par courriel.") if on else _("Vous ne recevrez plus les mises à jour par courriel."))
    return redirect(reverse("advocacy:updates"))
