from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Espaces d'échange")

    def ready(self):
        from forum import conf
        from forum.access import connect_signals

        conf.check()  # a malformed FORUM_* value stops start-up, naming the variable
        connect_signals()
