"""Wagtail pages: live pages only, their privacy restrictions (and their ancestors') obeyed.

An app may type its pages with ``PAGE_KIND`` in its ``search_providers.py`` (the trainings'
are "Formations", advocacy's "Suivi de l'implantation"); other pages are "Pages".
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import FieldDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.documents import SearchDoc
from search.providers import Provider, registry
from search.providers.common import html_to_text, restriction_grants, statuses_of, volets_of


def page_kind(page) -> str:
    """The result type of a page: its app's ``PAGE_KIND``, else "page"."""
    return registry.page_kinds.get(page._meta.app_label, ("page", None))[0]


def page_text(page) -> str:
    parts = [page.search_description or ""]
    for field in page.get_search_fields():
        name = getattr(field, "field_name", None)
        if not name or name == "title" or field.__class__.__name__ != "SearchField":
            continue
        try:
            model_field = page._meta.get_field(name)
        except FieldDoesNotExist:  # a search field may be a method, not a model field
            model_field = None
        value = getattr(page, name, None)
        if callable(value):
            value = value()
        if model_field is not None and hasattr(model_field, "get_searchable_content"):
            try:
                parts.extend(str(p) for p in model_field.get_searchable_content(value))
                continue
            except (AttributeError, TypeError, ValueError):
                pass
        parts.append(html_to_text(value))
    return " ".join(html_to_text(p) for p in parts if p)


def page_date(page):
    """A page's own date field (an update's date) if it has one, else its publication."""
    own = getattr(page, "date", None)
    if isinstance(own, datetime):
        return own
    if isinstance(own, date):
        return datetime.combine(own, time(12), tzinfo=timezone.get_current_timezone())
    return page.last_published_at or page.first_published_at


class PageProvider(Provider):
    model_label = "wagtailcore.Page"
    kind = "page"
    label = _("Pages")
    order = 10

    def kinds(self):
        return {"page": self.label, **dict(registry.page_kinds.values())}

    def get_queryset(self):
        return Page.objects.live().filter(depth__gt=1).select_related("locale")

    def documents(self, page) -> list[SearchDoc]:
        page = page.specific
        if not page.live or page.depth <= 1:
            return []
        grants = restriction_grants(page.get_view_restrictions())
        if grants is None:
            return []
        # The page's own address, whatever language the indexing request is in (page
        # models may give another language's readers an address under their prefix).
        with translation.override(page.locale.language_code if page.locale_id else None):
            url = page.get_url()
        if not url:
            return []
        return [
            SearchDoc(
                kind=page_kind(page),
                title=page.title,
                body=page_text(page),
                url=url,
                date=page_date(page),
                language=page.locale.language_code if page.locale_id else "",
                grants=grants,
                facets={"volet": volets_of(page), "status": statuses_of(page)},
            )
        ]

    def connect(self, schedule) -> None:
        def subtree(page):
            for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
                schedule(self, pk)

        def saved(sender, instance, raw=False, **kwargs):
            if not raw and isinstance(instance, Page):
                schedule(self, instance.pk)

        def deleted(sender, instance, **kwargs):
            if isinstance(instance, Page):
                schedule(self, instance.pk, deleted=True)

        def published(sender, instance, **kwargs):
            schedule(self, instance.pk)

        def moved(sender, instance, **kwargs):
            subtree(instance)

        def restriction_changed(sender, instance, **kwargs):
            page = Page.objects.filter(pk=instance.page_id).first()
            if page is not None:
                subtree(page)

        def restriction_groups(sender, instance, action, **kwargs):
            if action.startswith("post_") and isinstance(instance, PageViewRestriction):
                restriction_changed(sender, instance)

        post_save.connect(saved, weak=False, dispatch_uid="search-page-save")
        post_delete.connect(deleted, weak=False, dispatch_uid="search-page-delete")
        page_published.connect(published, weak=False, dispatch_uid="search-page-published")
        page_unpublished.connect(published, weak=False, dispatch_uid="search-page-unpublished")
        post_page_move.connect(moved, weak=False, dispatch_uid="search-page-moved")
        post_save.connect(restriction_changed, sender=PageViewRestriction, weak=False,
                          dispatch_uid="search-page-restriction-save")
        post_delete.connect(restriction_changed, sender=PageViewRestriction, weak=False,
                            dispatch_uid="search-page-restriction-delete")
        m2m_changed.connect(restriction_groups, sender=PageViewRestriction.groups.through,
                            weak=False, dispatch_uid="search-page-restriction-groups")


def providers():
    return [PageProvider()]
