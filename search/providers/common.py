"""Helpers shared by providers: facets read from a model's relations, Wagtail restrictions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from search import documents as d


def _related_values(obj, target_label: str, attr: str) -> set[str]:
    values: set[str] = set()
    for f in obj._meta.get_fields():
        related = getattr(f, "related_model", None)
        if related is None or related._meta.label_lower != target_label:
            continue
        if f.many_to_many and not f.auto_created:
            manager = getattr(obj, f.name, None)
            if manager is not None:
                values |= {str(getattr(o, attr)) for o in manager.all()}
        elif f.many_to_one and getattr(f, "concrete", False):
            target = getattr(obj, f.name, None)
            if target is not None:
                values.add(str(getattr(target, attr)))
    return values


def volets_of(obj) -> set[str]:
    """Numbers of the PASI volets an object is linked to, whatever its field is called."""
    return _related_values(obj, "members.volet", "number")


def statuses_of(obj) -> set[str]:
    """Slugs of the migration statuses an object is linked to."""
    return _related_values(obj, "trainings.migrationstatus", "slug")


def restriction_grants(restrictions: Iterable) -> set[str] | None:
    """Grants for content under Wagtail view restrictions, or None when it is unsearchable.

    Every restriction must be satisfied. Password-protected content is never searchable (no
    one's password can be checked at search time); "signed-in people only" becomes people of
    the workspace (members and TCRI staff: the apps' policy for private material, e.g.
    ``trainings.view_private_material``); several group restrictions keep only the groups
    common to all of them. Always stricter than Wagtail, never looser.
    """
    restrictions = list(restrictions)
    if not restrictions:
        return {d.PUBLIC}
    group_sets = []
    for restriction in restrictions:
        kind = restriction.restriction_type
        if kind == "password":
            return None
        if kind == "groups":
            group_sets.append({d.group(pk) for pk in restriction.groups.values_list("pk", flat=True)})
        elif kind not in ("login", "none"):
            return None
    if group_sets:
        allowed = set.intersection(*group_sets)
        return allowed | {d.SUPERUSER}
    if all(r.restriction_type == "none" for r in restrictions):
        return {d.PUBLIC}
    return {d.WORKSPACE}


def html_to_text(value) -> str:
    return strip_tags(str(value or "")).replace("&nbsp;", " ")


def first_url(candidates: Iterable[tuple[str, dict]], default: str = "") -> str:
    """The first URL name of ``candidates`` that reverses (apps name their views freely)."""
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return default


def get_attr(obj, *names, default=None):
    """The first attribute among ``names`` that exists and is not empty."""
    for name in names:
        value = getattr(obj, name, None)
        if callable(value) and not isinstance(value, models.Manager):
            try:
                value = value()
            except TypeError:
                continue
        if value not in (None, ""):
            return value
    return default
