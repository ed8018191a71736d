from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "tcri_site.mail"
    label = "mail"
    verbose_name = _("Courriels envoyés")
    default_auto_field = "django.db.models.BigAutoField"
