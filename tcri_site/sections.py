"""Blocks that other apps contribute to the home page and to an organisation's page.

Each app may define ``<app>/sections.py`` with ``home_sections(request)`` and/or
``organisation_sections(request, organisation)``, each returning a list of ``Section``.
The home app knows no app's models, and an app that is not there simply adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

SECTION_APPS = ["trainings", "advocacy", "forum"]


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    more_url: str = ""


def _hooks(name: str):
    for app in SECTION_APPS:
        try:
            module = import_module(f"{app}.sections")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.sections":
                raise
            continue
        hook = getattr(module, name, None)
        if hook is not None:
            yield hook


def home_sections(request) -> list[Section]:
    sections = [s for hook in _hooks("home_sections") for s in hook(request)]
    return sorted(sections, key=lambda s: s.order)


def organisation_sections(request, organisation) -> list[Section]:
    sections = [s for hook in _hooks("organisation_sections") for s in hook(request, organisation)]
    return sorted(sections, key=lambda s: s.order)
