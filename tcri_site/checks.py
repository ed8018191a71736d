"""System checks of the foundation, run by ``manage.py check`` (and before migrate/runserver).

``check_rule_names_do_not_shadow_model_permissions``: a permission registered with ``rules``
(``rules.add_perm("app.name", predicate)``) whose name equals a Django model permission
(``<app_label>.<codename>``, from each model's ``default_permissions`` and ``permissions``)
is also granted by ``ModelBackend`` to any user or group holding that model permission,
bypassing the rule: an admin group with ``advocacy.add_demand`` could then do what the rule
``advocacy.add_demand`` reserves to others. Rule names must differ from every model
permission (e.g. ``advocacy.propose_demand`` rather than ``advocacy.add_demand``).
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks

RULE_SHADOWS_MODEL_PERMISSION = "tcri.E001"


def model_permission_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        opts = model._meta
        for action in opts.default_permissions:
            names.add(f"{opts.app_label}.{action}_{opts.model_name}")
        for codename, _label in opts.permissions:
            names.add(f"{opts.app_label}.{codename}")
    return names


def colliding_rule_names() -> list[str]:
    from rules.permissions import permissions

    model_names = model_permission_names()
    return sorted(name for name in permissions if name in model_names)


@checks.register(checks.Tags.security)
def check_rule_names_do_not_shadow_model_permissions(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"The rules permission {name!r} has the name of a Django model permission: "
            "ModelBackend grants it to every user or group holding that model permission, "
            "whatever the rule says.",
            hint="Rename the rule (e.g. 'propose_*', 'see_*', 'browse_*') so that it matches "
            "no '<app_label>.<action>_<model>' nor Meta.permissions codename.",
            id=RULE_SHADOWS_MODEL_PERMISSION,
        )
        for name in colliding_rule_names()
    ]
