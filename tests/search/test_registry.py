"""Search finds its providers in the apps' ``search_providers.py``: each app contributes,
and the vocabulary of the status facet comes from a provider, not from a model name."""

from search.providers import registry


def test_every_app_contributes_its_providers():
    by_module = {}
    for provider in registry.providers():
        by_module.setdefault(type(provider).__module__, set()).add(provider.kind)
    assert by_module == {
        "search.providers.pages": {"page"},
        "search.providers.documents": {"document"},
        "trainings.search_providers": {"status", "session"},
        "forum.search_providers": {"thread", "message"},
        "advocacy.search_providers": {"demand", "forum_session"},
    }


def test_apps_type_their_own_pages():
    assert {app: kind for app, (kind, _label) in registry.page_kinds.items()} == {
        "trainings": "training",
        "advocacy": "update",
    }
    assert {"page", "training", "update"} <= set(registry.kinds())


def test_the_status_facet_vocabulary_is_a_provider():
    provider = registry.vocabulary("status")
    assert type(provider).__module__ == "trainings.search_providers"
    assert provider.model._meta.model_name == "migrationstatus"
