from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        from search.indexing import connect_signals
        from search.providers import load_providers

        load_providers()
        connect_signals()
