from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "tcri_site.privacy"
    label = "privacy"
    verbose_name = _("Renseignements personnels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tcri_site.privacy import signals  # noqa: F401
