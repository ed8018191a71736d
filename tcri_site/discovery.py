"""How the foundation finds what the feature apps contribute, without importing them.

Each registry names a module (``figures``, ``sections``, ``search_providers``, ``routing``,
``seed``, ``navigation`` (links with a count in the main menu), ``schedule`` for the periodic jobs of tcri_site.background, ``personal_data``); every installed app may ship one. ``discover`` imports them all with Django's
``autodiscover_modules`` (an error inside such a module is raised, never skipped) and
returns them in ``INSTALLED_APPS`` order. The answer is kept for the life of the process
(looking again costs milliseconds per call, and the installed apps do not change).
"""

from __future__ import annotations

import sys
from functools import cache
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


@cache
def discover(module_name: str) -> tuple[ModuleType, ...]:
    """Every installed app's ``<app>.<module_name>``, imported, in ``INSTALLED_APPS`` order."""
    autodiscover_modules(module_name)
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{module_name}")
        if module is not None:
            found.append(module)
    return tuple(found)
