"""Demands (advocacy.Demand) and forum sessions (advocacy.ForumSession).

Implementation updates are Wagtail pages (``advocacy.UpdatePage``), indexed by ``pages``.

Demands follow ``advocacy.see_demand``: public once adopted (its ``is_public`` states),
otherwise workspace people plus the proposing organisation; drafts — the lifecycle's
"brouillon" or an unpublished Wagtail draft — are never indexed at all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider, model_exists
from search.providers.common import statuses_of, volets_of


class DemandProvider(Provider):
    model_label = "advocacy.Demand"
    kind = "demand"
    label = _("Revendications")
    order = 50

    def get_queryset(self):
        return self.model.objects.prefetch_related("volets", "migration_statuses", "tags")

    def documents(self, demand) -> list[SearchDoc]:
        if getattr(demand, "live", True) is False or getattr(demand, "is_draft", False):
            return []
        if getattr(demand, "is_public", False):
            grants = {d.PUBLIC}
        else:
            grants = {d.WORKSPACE, d.STAFF}
            if getattr(demand, "proposing_organisation_id", None):
                grants.add(d.org(demand.proposing_organisation_id))
        tags = " ".join(t.name for t in demand.tags.all()) if hasattr(demand, "tags") else ""
        reference = getattr(demand, "reference", "")
        body = " ".join(
            str(p)
            for p in (reference, getattr(demand, "text", ""), getattr(demand, "rationale", ""),
                      getattr(demand, "progress_note", ""), tags,
                      demand.get_state_display() if hasattr(demand, "get_state_display") else "")
            if p
        )
        return [
            SearchDoc(
                kind=self.kind,
                title=demand.title,
                body=body,
                url=demand.get_absolute_url(),
                date=getattr(demand, "transmitted_at", None) or getattr(demand, "updated_at", None),
                grants=grants,
                facets={"volet": volets_of(demand), "status": statuses_of(demand)},
            )
        ]


class ForumSessionProvider(Provider):
    model_label = "advocacy.ForumSession"
    kind = "forum_session"
    label = _("Séances du forum")
    order = 55

    def documents(self, session) -> list[SearchDoc]:
        return [
            SearchDoc(
                kind=self.kind,
                title=session.title,
                body=" ".join(p for p in (getattr(session, "description", ""), getattr(session, "place", "")) if p),
                url=session.get_absolute_url(),
                date=session.starts_at,
                # advocacy.view_session: people of the workspace.
                grants={d.WORKSPACE},
            )
        ]


def providers():
    found = []
    if model_exists("advocacy.Demand"):
        found.append(DemandProvider())
    if model_exists("advocacy.ForumSession"):
        found.append(ForumSessionProvider())
    return found
