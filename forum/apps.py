from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Espaces d'échange")

    def ready(self):
        from forum.access import connect_signals

        connect_signals()
