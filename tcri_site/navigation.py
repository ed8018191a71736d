"""Links with a count that apps add to the main navigation ("À voter (2)").

Each app may define ``<app>/navigation.py`` with ``nav_items(request)`` returning a list of
``NavItem`` for that person (an empty list when the link is not theirs). Found with
``tcri_site.discovery``: the foundation knows no app's models. Each hook should cost one
bounded query (a ``count()``), since it runs on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from tcri_site.discovery import discover


@dataclass
class NavItem:
    key: str  # names the badge for scripts and tests (``data-nav-count``)
    label: str
    url: str
    count: int | None = None
    count_label: str = ""  # what the count means, for screen readers ("à voter")
    order: int = 100


def nav_items(request) -> list[NavItem]:
    items = []
    for module in discover("navigation"):
        hook = getattr(module, "nav_items", None)
        if hook is not None and hook.__module__ == module.__name__:
            items.extend(hook(request))
    return sorted(items, key=lambda item: item.order)
