"""What the advocacy app gives search (found by ``search.providers.load_providers``):
demands (``Demand``) and forum sessions (``ForumSession``).

Implementation updates are Wagtail pages (``UpdatePage``), indexed by
``search.providers.pages`` and typed "Suivi de l'implantation" here (``PAGE_KIND``).

Demands follow ``advocacy.see_demand``: public once adopted (its ``is_public`` states),
otherwise workspace people plus the proposing organisation; drafts — the lifecycle's
"draft" or an unpublished Wagtail draft — are never indexed at all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider
from search.providers.common import statuses_of, volets_of

# Wagtail pages of this app (implementation updates) are typed so in search.
PAGE_KIND = ("update", _("Suivi de l'implantation"))


class DemandProvider(Provider):
    model_label = "advocacy.Demand"
    kind = "demand"
    label = _("Revendications")
    order = 50

    def get_queryset(self):
        return self.model.objects.prefetch_related("volets", "migration_statuses", "tags")

    def documents(self, demand) -> list[SearchDoc]:
        if not demand.live or demand.is_draft:
            return []
        if demand.is_public:
            grants = {d.PUBLIC}
        else:
            grants = {d.WORKSPACE, d.STAFF}
            if demand.proposing_organisation_id:
                grants.add(d.org(demand.proposing_organisation_id))
        tags = " ".join(t.name for t in demand.tags.all())
        body = " ".join(
            str(p)
            for p in (demand.reference, demand.text, demand.rationale, demand.progress_note, tags,
                      demand.get_state_display())
            if p
        )
        return [
            SearchDoc(
                kind=self.kind,
                title=demand.title,
                body=body,
                url=demand.get_absolute_url(),
                date=demand.transmitted_at or demand.updated_at,
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
                body=" ".join(p for p in (session.description, session.place) if p),
                url=session.get_absolute_url(),
                date=session.starts_at,
                # advocacy.view_session: people of the workspace.
                grants={d.WORKSPACE},
            )
        ]


def providers():
    return [DemandProvider(), ForumSessionProvider()]
