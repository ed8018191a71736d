"""Training sessions (trainings.TrainingSession): visible as their training page is.

Training pages themselves are Wagtail pages (see ``pages``): their privacy is the page's.
A session inherits the grants of its training page, and is indexed again when that page is
published, unpublished, moved or has its privacy changed.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from search.documents import SearchDoc
from search.providers import Provider, model_exists
from search.providers.common import restriction_grants, statuses_of, volets_of


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
        status = session.get_status_display() if hasattr(session, "get_status_display") else ""
        fmt = session.get_format_display() if hasattr(session, "get_format_display") else ""
        return [
            SearchDoc(
                kind=self.kind,
                title=f"{training.title} — {when}",
                body=" ".join(
                    str(p)
                    for p in (status, fmt, getattr(session, "place", ""), getattr(session, "trainer", ""),
                              getattr(session, "notes", ""), getattr(training, "summary", ""))
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


def providers():
    return [TrainingSessionProvider()] if model_exists("trainings.TrainingSession") else []
