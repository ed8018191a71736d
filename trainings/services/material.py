"""Private training material: the document collection reserved to signed-in members."""

from __future__ import annotations

PRIVATE_COLLECTION_NAME = "Formations — réservé aux membres"


def private_material_collection():
    """The collection for documents reserved to signed-in members (login view restriction)."""
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PRIVATE_COLLECTION_NAME)
    if not collection.view_restrictions.exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def private_material_collection_id() -> int | None:
    from wagtail.models import Collection

    return Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).values_list("pk", flat=True).first()
