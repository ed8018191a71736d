"""What the forum's pages share: who sees which demands, the refusal page, the word diff,
the object loaders of ``permission_required``."""

from __future__ import annotations

import difflib
import re

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from advocacy.models import (
    PUBLIC_STATES,
    Demand,
    DemandState,
    ForumSession,
    Motion,
)
from tcri_site.confirm import confirmation_page
from tcri_site.errors import Refusal
from tcri_site.members.rules import is_tcri_staff, is_workspace_user

PAGE_SIZE = 20


def visible_demands(user):
    qs = Demand.objects.all()
    if is_tcri_staff(user):
        return qs
    if is_workspace_user(user):
        return qs.filter(~Q(state=DemandState.DRAFT) | Q(proposing_organisation_id=user.organisation.pk))
    return qs.filter(state__in=PUBLIC_STATES)


def _refused(request, exc: Refusal, template="advocacy/refused.html", context=None):
    context = dict(context or {})
    context["error"] = exc.message
    return render(request, template, context, status=exc.status)


def confirm(request, *, subject, message, yes, back):
    """The step before an irreversible action (``tcri_site.confirm``'s page, headed
    "Confirmer : <subject>"); works without JavaScript."""
    return confirmation_page(request, title=f"{_('Confirmer')} : {subject}", consequence=message, button=yes, back_url=back)


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
