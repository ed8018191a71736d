"""Blocks that apps contribute to the home page and to an organisation's page.

Each app may define ``<app>/sections.py`` with ``home_sections(request)`` and/or
``organisation_sections(request, organisation)``, each returning a list of ``Section``.
Found with ``tcri_site.discovery``: the foundation (home, members) knows no app's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tcri_site.discovery import discover


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    more_url: str = ""


def hooks(name: str) -> list:
    """The ``name`` functions that apps' ``sections`` modules define (a name a module only
    re-exports from elsewhere is not a contribution of its own)."""
    found = []
    for module in discover("sections"):
        hook = getattr(module, name, None)
        if hook is not None and hook.__module__ == module.__name__:
            found.append(hook)
    return found


def home_sections(request) -> list[Section]:
    sections = [s for hook in hooks("home_sections") for s in hook(request)]
    return sorted(sections, key=lambda s: s.order)


def organisation_sections(request, organisation) -> list[Section]:
    sections = [s for hook in hooks("organisation_sections") for s in hook(request, organisation)]
    return sorted(sections, key=lambda s: s.order)
