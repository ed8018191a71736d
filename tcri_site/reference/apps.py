from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference vocabularies shared by several apps (the migration statuses)."""

    name = "tcri_site.reference"
    label = "reference"
    verbose_name = _("Vocabulaires de référence")
