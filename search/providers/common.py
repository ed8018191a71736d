"""Helpers shared by providers: facets read from a model's relations, Wagtail restrictions."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import strip_tags

from search import documents as d
from search.providers import registry


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
    """Slugs of the migration statuses an object is linked to (the "status" facet's
    vocabulary, whichever app provides it)."""
    return _related_values(obj, registry.vocabulary("status").source, "slug")


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
