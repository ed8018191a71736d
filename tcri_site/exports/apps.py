from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _delete_file(sender, instance, **kwargs):
    # A row deleted with its requester (CASCADE) must not leave their file on disk.
    if instance.file:
        instance.file.delete(save=False)


class ExportsConfig(AppConfig):
    name = "tcri_site.exports"
    label = "exports"
    verbose_name = _("Téléchargements préparés")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_delete.connect(_delete_file, sender=self.get_model("PreparedDownload"), dispatch_uid="exports.delete_file")
