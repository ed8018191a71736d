"""The dashboard finds its figures in the apps' ``figures.py``: each app contributes, in a
fixed order, and a clash of keys is refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tcri_site.dashboard import registry

EXPECTED = [
    ("revendications", "advocacy.figures"),
    ("participation-mois", "trainings.figures"),
    ("participation-regions", "trainings.figures"),
    ("participation-volets", "trainings.figures"),
    ("seances-a-venir", "trainings.figures"),
    ("organismes-sans-delegue", "tcri_site.dashboard.figures"),
    ("espaces-actifs", "forum.figures"),
]


def test_every_app_contributes_its_figures_in_page_order():
    assert [(e.key, e.build.__module__) for e in registry.entries()] == EXPECTED


def test_paged_figures_give_every_row_for_the_export():
    paged = {e.key for e in registry.entries() if e.paged}
    assert paged == {"seances-a-venir", "organismes-sans-delegue", "espaces-actifs"}


def test_a_key_registered_by_two_functions_is_refused():
    def other():  # pragma: no cover - never built
        raise AssertionError

    with pytest.raises(ImproperlyConfigured, match="revendications"):
        registry.register("revendications", order=1)(other)
    assert registry.get("revendications").build.__module__ == "advocacy.figures"
