"""Wagtail documents: searchable by title, private collections obeyed."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from search.documents import SearchDoc
from search.providers import Provider
from search.providers.common import restriction_grants


class DocumentProvider(Provider):
    kind = "document"
    label = _("Documents")
    order = 30

    @property
    def model(self):
        return get_document_model()

    @property
    def model_label(self):
        return self.model._meta.label

    def get_queryset(self):
        return self.model.objects.select_related("collection")

    def documents(self, document) -> list[SearchDoc]:
        grants = restriction_grants(document.collection.get_view_restrictions())
        if grants is None:
            return []
        tags = " ".join(t.name for t in document.tags.all()) if hasattr(document, "tags") else ""
        return [
            SearchDoc(
                kind=self.kind,
                title=document.title,
                body=f"{document.filename} {tags}",
                url=document.url,
                date=document.created_at,
                grants=grants,
            )
        ]

    def connect(self, schedule) -> None:
        super().connect(schedule)

        def restriction_changed(sender, instance, **kwargs):
            collection = Collection.objects.filter(pk=instance.collection_id).first()
            if collection is None:
                return
            collections = Collection.objects.descendant_of(collection, inclusive=True)
            for pk in self.model.objects.filter(collection__in=collections).values_list("pk", flat=True):
                schedule(self, pk)

        post_save.connect(restriction_changed, sender=CollectionViewRestriction, weak=False,
                          dispatch_uid="search-doc-restriction-save")
        post_delete.connect(restriction_changed, sender=CollectionViewRestriction, weak=False,
                            dispatch_uid="search-doc-restriction-delete")

        def restriction_groups(sender, instance, action, **kwargs):
            if action.startswith("post_") and isinstance(instance, CollectionViewRestriction):
                restriction_changed(sender, instance)

        m2m_changed.connect(restriction_groups, sender=CollectionViewRestriction.groups.through,
                            weak=False, dispatch_uid="search-doc-restriction-groups")


def providers():
    return [DocumentProvider()]
