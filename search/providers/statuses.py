"""The migration-status vocabulary (trainings.MigrationStatus), one document per language."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider, model_exists
from search.providers.common import first_url


def _glossary_url(status) -> str:
    try:
        from trainings.models import glossary_url
    except ImportError:
        return ""
    return glossary_url(status) or ""


class MigrationStatusProvider(Provider):
    model_label = "trainings.MigrationStatus"
    kind = "status"
    label = _("Statuts migratoires")
    order = 20

    def get_queryset(self):
        return self.model.objects.prefetch_related("volets")

    def documents(self, status) -> list[SearchDoc]:
        docs = []
        volets = {str(v.number) for v in status.volets.all()}
        for language in ("fr", "en"):
            with translation.override(language):
                name = status.name_en if language == "en" and status.name_en else status.name_fr
                title = f"{name} ({status.abbreviation})" if status.abbreviation else name
                description = status.description_en if language == "en" and status.description_en else status.description_fr
                services = status.services_en if language == "en" and status.services_en else status.services_fr
                url = _glossary_url(status) or first_url(
                    [
                        ("trainings:status", {"slug": status.slug}),
                        ("trainings:migration_status", {"slug": status.slug}),
                        ("trainings:status_detail", {"slug": status.slug}),
                    ]
                ) or reverse("search:search") + "?" + urlencode({"q": name})
                docs.append(
                    SearchDoc(
                        kind=self.kind,
                        title=title,
                        # Both names are searchable in both languages: people mix them.
                        body=" ".join([description, services, status.name_fr, status.name_en]),
                        url=url,
                        language=language,
                        # The glossary of migration statuses is public reference material.
                        grants={d.PUBLIC},
                        facets={"volet": volets, "status": {status.slug}},
                    )
                )
        return docs

    def connect(self, schedule) -> None:
        super().connect(schedule)

        def volets_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
            if not action.startswith("post_"):
                return
            if isinstance(instance, self.model):
                schedule(self, instance.pk)
            elif pk_set:
                for pk in pk_set:
                    schedule(self, pk)

        m2m_changed.connect(volets_changed, sender=self.model.volets.through, weak=False,
                            dispatch_uid="search-status-volets")

    def facet_labels(self, name, values):
        if name != "status":
            return {}
        return {s.slug: s.name for s in self.model.objects.filter(slug__in=list(values))}


def providers():
    return [MigrationStatusProvider()] if model_exists("trainings.MigrationStatus") else []
