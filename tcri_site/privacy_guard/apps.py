from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyGuardConfig(AppConfig):
    name = "tcri_site.privacy_guard"
    label = "privacy_guard"
    verbose_name = _("Protection des renseignements")
    default_auto_field = "django.db.models.BigAutoField"
