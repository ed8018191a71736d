from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "tcri_site.exports"
    label = "exports"
    verbose_name = _("Téléchargements préparés")
    default_auto_field = "django.db.models.BigAutoField"
