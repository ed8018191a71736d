"""Providers: one per searchable content type, each in its own module.

A provider knows one model: which of its objects are searchable, how each becomes
``SearchDoc`` objects (title, text, link, date, facets, grants), which signals mean it must be
indexed again, and which extra principal tokens a person holds for it. Providers for models
that are not installed simply do not register, so search grows as the other apps land.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.apps import apps
from django.db import models

from search.documents import SearchDoc

logger = logging.getLogger(__name__)

PROVIDER_MODULES = [
    "search.providers.pages",
    "search.providers.statuses",
    "search.providers.documents",
    "search.providers.trainings",
    "search.providers.forum",
    "search.providers.advocacy",
]


class Provider:
    """Base class: override ``model_label``, ``kind``, ``label`` and ``documents``."""

    model_label: str = ""  # "app_label.ModelName"
    kind: str = ""
    label = ""  # translatable name of the type, for the facet
    order: int = 50

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def source(self) -> str:
        return self.model._meta.label_lower

    def kinds(self) -> dict[str, str]:
        """The result types this provider produces, with their labels."""
        return {self.kind: self.label}

    def get_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def documents(self, obj) -> list[SearchDoc]:
        raise NotImplementedError

    def principals(self, user) -> Iterable[str]:
        return ()

    def connect(self, schedule) -> None:
        """Connect signals; ``schedule(provider, pk, deleted=False, created=False)`` indexes on commit."""
        from django.db.models.signals import post_delete, post_save

        def saved(sender, instance, raw=False, created=False, **kwargs):
            if not raw:
                schedule(self, instance.pk, created=created)

        def deleted(sender, instance, **kwargs):
            schedule(self, instance.pk, deleted=True)

        post_save.connect(saved, sender=self.model, weak=False, dispatch_uid=f"search-save-{self.source}")
        post_delete.connect(deleted, sender=self.model, weak=False, dispatch_uid=f"search-del-{self.source}")

    def facet_labels(self, name: str, values: Iterable[str]) -> dict[str, str]:
        return {}


class Registry:
    def __init__(self):
        self._providers: dict[str, Provider] = {}

    def register(self, provider: Provider) -> Provider:
        self._providers[provider.source] = provider
        return provider

    def providers(self) -> list[Provider]:
        return sorted(self._providers.values(), key=lambda p: (p.order, p.source))

    def get(self, source: str) -> Provider | None:
        return self._providers.get(source)

    def kinds(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for provider in self.providers():
            result.update(provider.kinds())
        return result

    def clear(self) -> None:
        self._providers.clear()


registry = Registry()


def model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def load_providers() -> None:
    from importlib import import_module

    for dotted in PROVIDER_MODULES:
        module = import_module(dotted)
        for provider in module.providers():
            registry.register(provider)
