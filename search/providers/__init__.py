"""Providers: one per searchable content type.

A provider knows one model: which of its objects are searchable, how each becomes
``SearchDoc`` objects (title, text, link, date, facets, grants), which signals mean it must be
indexed again, and which extra principal tokens a person holds for it.

Search owns the generic providers (Wagtail pages and documents, in this package). Each app
brings its own in ``<app>/search_providers.py``, found with ``tcri_site.discovery``: a
``providers()`` function returning its providers, and optionally ``PAGE_KIND = (kind,
label)``, the result type of the app's Wagtail pages. Search imports no app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.apps import apps
from django.db import models

from search.documents import SearchDoc

logger = logging.getLogger(__name__)

# Search's own providers; the apps' come from their search_providers modules.
GENERIC_MODULES = ["search.providers.pages", "search.providers.documents"]


class Provider:
    """Base class: override ``model_label``, ``kind``, ``label`` and ``documents``."""

    model_label: str = ""  # "app_label.ModelName"
    kind: str = ""
    label = ""  # translatable name of the type, for the facet
    order: int = 50
    # The facet whose values are the slugs of this provider's model (a vocabulary such as
    # the migration statuses), or "" for none.
    vocabulary: str = ""

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

    def known_values(self, name: str, values: Iterable[str]) -> set[str]:
        """Which of ``values`` are real values of the facet ``name`` this provider defines."""
        return set()


class Registry:
    def __init__(self):
        self._providers: dict[str, Provider] = {}
        # app label -> (kind, label) of that app's Wagtail pages
        self.page_kinds: dict[str, tuple[str, str]] = {}

    def register(self, provider: Provider) -> Provider:
        self._providers[provider.source] = provider
        return provider

    def vocabulary(self, facet: str) -> Provider | None:
        """The provider whose model's slugs are the values of ``facet`` (e.g. "status")."""
        return next((p for p in self.providers() if p.vocabulary == facet), None)

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
        self.page_kinds.clear()


registry = Registry()


def load_providers() -> None:
    """Register search's own providers, then every app's (``<app>/search_providers.py``)."""
    from importlib import import_module

    from tcri_site.discovery import discover

    for dotted in GENERIC_MODULES:
        for provider in import_module(dotted).providers():
            registry.register(provider)
    for module in discover("search_providers"):
        for provider in module.providers():
            registry.register(provider)
        page_kind = getattr(module, "PAGE_KIND", None)
        if page_kind is not None:
            registry.page_kinds[apps.get_containing_app_config(module.__name__).label] = page_kind
