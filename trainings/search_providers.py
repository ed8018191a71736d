"""What the trainings app gives search (found by ``search.providers.load_providers``).

- Training sessions (``TrainingSession``): visible as their training page is. Training pages
  themselves are Wagtail pages, indexed by ``search.providers.pages`` (their privacy is the
  page's) and typed "Formations" here (``PAGE_KIND``). A session inherits the grants of its
  training page, and is indexed again when that page is published, unpublished, moved or
  has its privacy changed.
- The migration-status vocabulary (``MigrationStatus``), one document per language; it is
  also the vocabulary of the "status" facet.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider
from search.providers.common import restriction_grants, statuses_of, volets_of
from trainings.models import glossary_url

# Wagtail pages of this app are typed "Formations" in search.
PAGE_KIND = ("training", _("Formations"))


class TrainingSessionProvider(Provider):
    model_label = "trainings.TrainingSession"
    kind = "session"
    label = _("Séances de formation")
    order = 40

    def get_queryset(self):
        return self.model.objects.select_related("training", "training__locale")

    def documents(self, session) -> list[SearchDoc]:
        training = session.training
        if not training.live:
            return []
        grants = restriction_grants(training.get_view_restrictions())
        if grants is None:
            return []
        starts = timezone.localtime(session.starts_at)
        when = formats.date_format(starts, "DATETIME_FORMAT")
        return [
            SearchDoc(
                kind=self.kind,
                title=f"{training.title} — {when}",
                body=" ".join(
                    str(p)
                    for p in (session.get_status_display(), session.get_format_display(), session.place,
                              session.trainer, session.notes, training.summary)
                    if p
                ),
                url=session.get_absolute_url(),
                date=session.starts_at,
                language=training.locale.language_code if training.locale_id else "",
                grants=grants,
                facets={"volet": volets_of(training), "status": statuses_of(training)},
            )
        ]

    def connect(self, schedule) -> None:
        super().connect(schedule)
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        training_model = self.model._meta.get_field("training").related_model

        def sessions_under(page):
            pages = Page.objects.descendant_of(page, inclusive=True).type(training_model)
            for pk in self.model.objects.filter(training__in=pages).values_list("pk", flat=True):
                schedule(self, pk)

        def page_changed(sender, instance, **kwargs):
            sessions_under(instance)

        def restriction_changed(sender, instance, **kwargs):
            page = Page.objects.filter(pk=instance.page_id).first()
            if page is not None:
                sessions_under(page)

        page_published.connect(page_changed, weak=False, dispatch_uid="search-sessions-published")
        page_unpublished.connect(page_changed, weak=False, dispatch_uid="search-sessions-unpublished")
        post_page_move.connect(page_changed, weak=False, dispatch_uid="search-sessions-moved")
        post_save.connect(restriction_changed, sender=PageViewRestriction, weak=False,
                          dispatch_uid="search-sessions-restriction-save")
        post_delete.connect(restriction_changed, sender=PageViewRestriction, weak=False,
                            dispatch_uid="search-sessions-restriction-delete")


class MigrationStatusProvider(Provider):
    model_label = "reference.MigrationStatus"
    kind = "status"
    label = _("Statuts migratoires")
    order = 20
    vocabulary = "status"  # the facet whose values are this model's slugs

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
                # The glossary's entry, or (no glossary page yet) a search for the name.
                url = glossary_url(status) or reverse("search:search") + "?" + urlencode({"q": name})
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
        if name != self.vocabulary:
            return {}
        return {s.slug: s.name for s in self.model.objects.filter(slug__in=list(values))}

    def known_values(self, name, values):
        if name != self.vocabulary:
            return set()
        return set(self.model.objects.filter(slug__in=list(values)).values_list("slug", flat=True))


def providers():
    return [MigrationStatusProvider(), TrainingSessionProvider()]
